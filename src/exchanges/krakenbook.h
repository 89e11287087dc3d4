#pragma once

#include "exchanges/krakenmessages.h"

#include <functional>
#include <map>

namespace tickwire::exchanges::kraken {

// One symbol's book from Kraken's v2 `book` channel, as Kraken documents it ("Book checksum
// (WebSocket v2)"): a snapshot, then updates applied level by level (qty 0 removes), the book
// truncated to the subscribed depth after each message (Kraken sends no removal for a level
// that falls out of scope), and every message's CRC-32 checked against the top 10 levels'
// exact wire text. No network and no clock: the adapter feeds it and acts on its output.
//
// A checksum mismatch drops the book and asks for one resubscription (unsubscribe and
// subscribe again, which brings a new snapshot); updates before that snapshot are ignored.
// After MaxFailures consecutive failures it stops asking: the book is kept and published as
// Unverified (every update applied, none checked) until a checksum matches again. A price or
// quantity that does not fit the instrument's tick or lot exactly (an exponent, too many
// digits, off the grid) is never rounded: it counts as a failure and drops the book.
class KrakenBookSync
{
public:
    enum class State {
        AwaitingSnapshot, // subscribed (or resubscribing); no usable book
        Synced, // every checksum so far matched
        Unverified, // published although the checksums stopped matching
    };

    struct Output
    {
        QList<protocol::Book> books; // to publish, in order (seq and checksum left at 0)
        bool resubscribe = false; // unsubscribe and subscribe this symbol's book now
        QString problem; // non-empty: what went wrong (for the log)
    };

    static constexpr int DefaultDepth = 25;
    static constexpr int MaxFailures = 5;

    explicit KrakenBookSync(protocol::InstrumentInfo info, int depth = DefaultDepth);

    // `nowMs` stamps a book whose message carries no timestamp.
    [[nodiscard]] Output onSnapshot(const BookData &data, std::int64_t nowMs);
    [[nodiscard]] Output onUpdate(const BookData &data, std::int64_t nowMs);
    // The connection is new: the book arrives with the next subscription's snapshot.
    void reset();
    // Someone else found the book unusable (the engine: crossed): drop it and resubscribe,
    // whatever the failure count.
    [[nodiscard]] Output resync(const QString &reason);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] int failures() const { return m_failures; }
    [[nodiscard]] const protocol::InstrumentInfo &instrument() const { return m_info; }
    [[nodiscard]] int depth() const { return m_depth; }
    // The book's levels as Kraken wrote them, best first (for tests and the checksum).
    [[nodiscard]] QList<RawLevel> bids() const;
    [[nodiscard]] QList<RawLevel> asks() const;

private:
    struct Level
    {
        Decimal qty;
        RawLevel text;
    };
    using Bids = std::map<Decimal, Level, std::greater<>>;
    using Asks = std::map<Decimal, Level, std::less<>>;
    struct Parsed
    {
        Decimal price;
        Decimal qty;
        RawLevel text;
    };

    // The levels at the instrument's scale; nullopt when one does not fit exactly.
    [[nodiscard]] std::optional<QList<Parsed>> parse(const QList<RawLevel> &levels) const;
    // Checks the book against Kraken's checksum and decides: publish (the whole book when
    // `diff` is null), resubscribe, or go on unverified.
    void settle(quint32 expected, std::int64_t ts, const std::optional<protocol::Book> &diff,
                Output *out);
    void fail(const QString &problem, Output *out);
    [[nodiscard]] protocol::Book wholeBook(std::int64_t ts) const;

    protocol::InstrumentInfo m_info;
    int m_depth;
    State m_state = State::AwaitingSnapshot;
    int m_failures = 0; // consecutive
    Bids m_bids;
    Asks m_asks;
};

} // namespace tickwire::exchanges::kraken
