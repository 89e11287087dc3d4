#include "exchanges/krakenbook.h"

#include "exchanges/marketsource.h"

namespace tickwire::exchanges::kraken {

using namespace Qt::StringLiterals;

namespace {

// Applies `levels` to one side, then truncates it to `depth`; returns the prices whose
// quantity changed (including levels truncated away), best first.
template<typename Side, typename Parsed>
QList<Decimal> applyLevels(Side &side, const QList<Parsed> &levels, int depth)
{
    std::map<Decimal, bool, typename Side::key_compare> changed; // ordered like the side
    for (const Parsed &level : levels) {
        if (level.qty.isZero())
            side.erase(level.price);
        else
            side.insert_or_assign(level.price, typename Side::mapped_type{level.qty, level.text});
        changed.insert_or_assign(level.price, true);
    }
    while (side.size() > std::size_t(depth)) {
        const auto worst = std::prev(side.end());
        changed.insert_or_assign(worst->first, true);
        side.erase(worst);
    }
    QList<Decimal> out;
    out.reserve(qsizetype(changed.size()));
    for (const auto &entry : changed)
        out.append(entry.first);
    return out;
}

template<typename Side>
QList<protocol::BookLevel> levelsAt(const Side &side, const QList<Decimal> &prices,
                                    const Decimal &zero)
{
    QList<protocol::BookLevel> out;
    out.reserve(prices.size());
    for (const Decimal &price : prices) {
        const auto it = side.find(price);
        out.append(protocol::BookLevel{price, it != side.end() ? it->second.qty : zero});
    }
    return out;
}

template<typename Side> QList<RawLevel> textOf(const Side &side)
{
    QList<RawLevel> out;
    out.reserve(qsizetype(side.size()));
    for (const auto &[price, level] : side)
        out.append(level.text);
    return out;
}

} // namespace

KrakenBookSync::KrakenBookSync(protocol::InstrumentInfo info, int depth)
    : m_info(std::move(info))
    , m_depth(depth)
{
}

void KrakenBookSync::reset()
{
    m_bids.clear();
    m_asks.clear();
    m_state = State::AwaitingSnapshot;
    m_failures = 0;
}

KrakenBookSync::Output KrakenBookSync::resync(const QString &reason)
{
    Output out;
    m_bids.clear();
    m_asks.clear();
    m_state = State::AwaitingSnapshot;
    out.resubscribe = true;
    out.problem = reason;
    return out;
}

QList<RawLevel> KrakenBookSync::bids() const
{
    return textOf(m_bids);
}

QList<RawLevel> KrakenBookSync::asks() const
{
    return textOf(m_asks);
}

std::optional<QList<KrakenBookSync::Parsed>>
KrakenBookSync::parse(const QList<RawLevel> &levels) const
{
    QList<Parsed> out;
    out.reserve(levels.size());
    for (const RawLevel &level : levels) {
        const auto price = atStep(level.price, m_info.tickSize);
        const auto qty = atStep(level.qty, m_info.lotSize);
        if (!price || !qty || !price->isPositive())
            return std::nullopt;
        out.append(Parsed{*price, *qty, level});
    }
    return out;
}

KrakenBookSync::Output KrakenBookSync::onSnapshot(const BookData &data, std::int64_t nowMs)
{
    Output out;
    const auto bids = parse(data.bids);
    const auto asks = parse(data.asks);
    if (!bids || !asks) {
        fail(u"snapshot level off the tick/lot grid or not an exact decimal"_s, &out);
        return out;
    }
    m_bids.clear();
    m_asks.clear();
    (void)applyLevels(m_bids, *bids, m_depth);
    (void)applyLevels(m_asks, *asks, m_depth);
    settle(data.checksum, data.ts != 0 ? data.ts : nowMs, std::nullopt, &out);
    return out;
}

KrakenBookSync::Output KrakenBookSync::onUpdate(const BookData &data, std::int64_t nowMs)
{
    Output out;
    if (m_state == State::AwaitingSnapshot)
        return out; // belongs to the book that was dropped; the snapshot replaces it
    const auto bids = parse(data.bids);
    const auto asks = parse(data.asks);
    if (!bids || !asks) {
        fail(u"update level off the tick/lot grid or not an exact decimal"_s, &out);
        return out;
    }
    const QList<Decimal> bidPrices = applyLevels(m_bids, *bids, m_depth);
    const QList<Decimal> askPrices = applyLevels(m_asks, *asks, m_depth);
    const Decimal zero = *Decimal::fromUnits(0, m_info.lotSize.scale());
    protocol::Book diff;
    diff.symbol = m_info.symbol;
    diff.ts = data.ts != 0 ? data.ts : nowMs;
    diff.bids = levelsAt(m_bids, bidPrices, zero);
    diff.asks = levelsAt(m_asks, askPrices, zero);
    settle(data.checksum, diff.ts, diff, &out);
    return out;
}

void KrakenBookSync::settle(quint32 expected, std::int64_t ts,
                            const std::optional<protocol::Book> &diff, Output *out)
{
    const quint32 actual = bookChecksum(asks(), bids());
    const auto publish = [&](bool whole) {
        if (whole)
            out->books.append(wholeBook(ts));
        else if (!diff->bids.isEmpty() || !diff->asks.isEmpty())
            out->books.append(*diff);
    };
    if (actual == expected) {
        m_failures = 0;
        m_state = State::Synced;
        publish(!diff);
        return;
    }
    m_failures = std::min(m_failures + 1, MaxFailures);
    const QString problem =
        u"checksum mismatch: Kraken sent %1, the book gives %2"_s.arg(expected).arg(actual);
    if (m_failures < MaxFailures) {
        m_bids.clear();
        m_asks.clear();
        m_state = State::AwaitingSnapshot;
        out->resubscribe = true;
        out->problem = problem;
        return;
    }
    if (m_state != State::Unverified) {
        out->problem = problem + u"; %1 failures in a row, published unverified"_s.arg(MaxFailures);
        m_state = State::Unverified;
        publish(true); // whatever the engine holds, this is the book from here on
        return;
    }
    publish(!diff);
}

void KrakenBookSync::fail(const QString &problem, Output *out)
{
    m_failures = std::min(m_failures + 1, MaxFailures);
    m_bids.clear();
    m_asks.clear();
    m_state = State::AwaitingSnapshot;
    // A book that cannot be written exactly is never published; past MaxFailures the adapter
    // stops asking (a resync from the engine or a new connection tries again).
    out->resubscribe = m_failures < MaxFailures;
    out->problem = problem;
}

protocol::Book KrakenBookSync::wholeBook(std::int64_t ts) const
{
    protocol::Book book;
    book.symbol = m_info.symbol;
    book.ts = ts;
    book.snapshot = true;
    book.bids.reserve(qsizetype(m_bids.size()));
    for (const auto &[price, level] : m_bids)
        book.bids.append(protocol::BookLevel{price, level.qty});
    book.asks.reserve(qsizetype(m_asks.size()));
    for (const auto &[price, level] : m_asks)
        book.asks.append(protocol::BookLevel{price, level.qty});
    return book;
}

} // namespace tickwire::exchanges::kraken
