#include "exchanges/krakenmessages.h"

#include "exchanges/marketsource.h"
#include "exchanges/rawjson.h"
#include "protocol/checksum.h"

#include <QtCore/QDate>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace tickwire::exchanges::kraken {

using namespace Qt::StringLiterals;

namespace {

// Reads members of one RawJson object and remembers the first problem, so a decoder reads
// every field in a row and checks once.
class Reader
{
public:
    Reader(const RawJson *object, QString *error)
        : m_object(object)
        , m_error(error)
    {
        if (!m_object || !m_object->isObject())
            fail(u"not an object"_s);
    }

    const RawJson *value(QLatin1StringView key)
    {
        const RawJson *v = m_object && m_object->isObject() ? m_object->member(key) : nullptr;
        if (!v && ok())
            fail(u"no \"%1\""_s.arg(key));
        return v;
    }
    [[nodiscard]] bool has(QLatin1StringView key) const
    {
        return m_object && m_object->isObject() && m_object->member(key);
    }
    QString string(QLatin1StringView key)
    {
        const RawJson *v = value(key);
        if (v && !v->isString())
            fail(u"\"%1\" is not a string"_s.arg(key));
        return v ? v->text() : QString();
    }
    // A JSON number's exact text (a decimal sent as a string is taken as its text too; the
    // conversion to the instrument's scale checks it either way).
    QString number(QLatin1StringView key)
    {
        const RawJson *v = value(key);
        if (v && !v->isNumber() && !v->isString())
            fail(u"\"%1\" is not a number"_s.arg(key));
        return v && (v->isNumber() || v->isString()) ? v->text() : QString();
    }
    // A non-negative JSON integer up to `max`, read from its text (no double in between).
    std::int64_t integer(QLatin1StringView key, std::int64_t max = INT64_MAX)
    {
        const RawJson *v = value(key);
        if (!v)
            return 0;
        bool ok = false;
        const qlonglong n = v->isNumber() ? v->text().toLongLong(&ok) : 0;
        if (!ok || n < 0 || n > max) {
            fail(u"\"%1\" is not an integer from 0 to %2"_s.arg(key).arg(max));
            return 0;
        }
        return n;
    }
    bool boolean(QLatin1StringView key)
    {
        const RawJson *v = value(key);
        if (v && !v->isBool())
            fail(u"\"%1\" is not a boolean"_s.arg(key));
        return v && v->boolean();
    }
    std::int64_t time(QLatin1StringView key)
    {
        const QString text = string(key);
        if (!ok())
            return 0;
        const std::optional<std::int64_t> t = parseTime(text);
        if (!t)
            fail(u"\"%1\" is not an RFC 3339 UTC time: %2"_s.arg(key, text));
        return t.value_or(0);
    }
    const std::vector<RawJson> &array(QLatin1StringView key)
    {
        static const std::vector<RawJson> none;
        const RawJson *v = value(key);
        if (v && !v->isArray())
            fail(u"\"%1\" is not an array"_s.arg(key));
        return v && v->isArray() ? v->items() : none;
    }
    QList<RawLevel> levels(QLatin1StringView key)
    {
        QList<RawLevel> out;
        const std::vector<RawJson> &entries = array(key);
        out.reserve(qsizetype(entries.size()));
        for (const RawJson &entry : entries) {
            Reader level(&entry, m_error);
            const QString price = level.number("price"_L1);
            const QString qty = level.number("qty"_L1);
            if (!ok()) {
                *m_error = u"\"%1\": %2"_s.arg(key, *m_error);
                return {};
            }
            out.append(RawLevel{price, qty});
        }
        return out;
    }
    void fail(const QString &message)
    {
        if (m_error->isEmpty())
            *m_error = message;
    }
    [[nodiscard]] bool ok() const { return m_error->isEmpty(); }

private:
    const RawJson *m_object;
    QString *m_error;
};

// The `data` array of a channel message, each entry decoded by `decode`; the error names the
// entry.
template<typename T, typename Decode>
QList<T> dataEntries(const RawJson &root, QString *error, Decode decode)
{
    Reader r(&root, error);
    const std::vector<RawJson> &data = r.array("data"_L1);
    QList<T> out;
    out.reserve(qsizetype(data.size()));
    for (std::size_t i = 0; i < data.size() && r.ok(); ++i) {
        Reader entry(&data[i], error);
        T value = decode(entry);
        if (!entry.ok()) {
            *error = u"data[%1]: %2"_s.arg(i).arg(*error);
            return {};
        }
        out.append(std::move(value));
    }
    return out;
}

bool snapshotType(const RawJson &root, QString *error)
{
    Reader r(&root, error);
    const QString type = r.string("type"_L1);
    if (r.ok() && type != "snapshot"_L1 && type != "update"_L1)
        r.fail(u"\"type\" is neither snapshot nor update: %1"_s.arg(type));
    return type == "snapshot"_L1;
}

protocol::Side sideOf(Reader &r)
{
    const QString side = r.string("side"_L1);
    if (side == "sell"_L1)
        return protocol::Side::Sell;
    if (side != "buy"_L1 && r.ok())
        r.fail(u"\"side\" is neither buy nor sell: %1"_s.arg(side));
    return protocol::Side::Buy;
}

BookData bookEntry(Reader &r)
{
    BookData d;
    d.symbol = r.string("symbol"_L1);
    d.bids = r.levels("bids"_L1);
    d.asks = r.levels("asks"_L1);
    d.checksum = quint32(r.integer("checksum"_L1, 0xFFFF'FFFFLL));
    if (r.has("timestamp"_L1))
        d.ts = r.time("timestamp"_L1);
    return d;
}

TradeEvent tradeEntry(Reader &r)
{
    TradeEvent e;
    e.symbol = r.string("symbol"_L1);
    e.side = sideOf(r);
    e.price = r.number("price"_L1);
    e.qty = r.number("qty"_L1);
    e.tradeId = r.integer("trade_id"_L1);
    e.ts = r.time("timestamp"_L1);
    return e;
}

TickerEvent tickerEntry(Reader &r)
{
    TickerEvent e;
    e.symbol = r.string("symbol"_L1);
    e.bid = r.number("bid"_L1);
    e.bidQty = r.number("bid_qty"_L1);
    e.ask = r.number("ask"_L1);
    e.askQty = r.number("ask_qty"_L1);
    e.last = r.number("last"_L1);
    e.volume = r.number("volume"_L1);
    e.low = r.number("low"_L1);
    e.high = r.number("high"_L1);
    e.change = r.number("change"_L1);
    if (r.has("timestamp"_L1))
        e.ts = r.time("timestamp"_L1);
    return e;
}

CandleEvent candleEntry(Reader &r)
{
    CandleEvent e;
    e.symbol = r.string("symbol"_L1);
    e.open = r.number("open"_L1);
    e.high = r.number("high"_L1);
    e.low = r.number("low"_L1);
    e.close = r.number("close"_L1);
    e.volume = r.number("volume"_L1);
    e.intervalMinutes = int(r.integer("interval"_L1, 100'000));
    e.intervalBegin = r.time("interval_begin"_L1);
    return e;
}

InstrumentMessage instrumentMessage(const RawJson &root, QString *error)
{
    InstrumentMessage m;
    m.snapshot = snapshotType(root, error);
    Reader r(&root, error);
    Reader data(r.value("data"_L1), error);
    const std::vector<RawJson> &pairs = data.array("pairs"_L1);
    for (std::size_t i = 0; i < pairs.size() && data.ok(); ++i) {
        Reader p(&pairs[i], error);
        InstrumentPair pair;
        pair.symbol = p.string("symbol"_L1);
        pair.base = p.string("base"_L1);
        pair.quote = p.string("quote"_L1);
        pair.status = p.string("status"_L1);
        pair.priceIncrement = p.number("price_increment"_L1);
        pair.qtyIncrement = p.number("qty_increment"_L1);
        if (!p.ok()) {
            *error = u"pairs[%1]: %2"_s.arg(i).arg(*error);
            return {};
        }
        m.pairs.append(pair);
    }
    return m;
}

MessageResult methodMessage(const RawJson &root, const QString &method)
{
    MessageResult result;
    Reader r(&root, &result.error);
    if (method == "pong"_L1) {
        Pong p;
        if (r.has("req_id"_L1))
            p.reqId = r.integer("req_id"_L1);
        if (r.ok())
            result.message = p;
        return result;
    }
    if (method != "subscribe"_L1 && method != "unsubscribe"_L1) {
        result.message = Unhandled{method};
        return result;
    }
    MethodReply reply;
    reply.method = method;
    reply.success = r.boolean("success"_L1);
    if (r.has("error"_L1))
        reply.error = r.string("error"_L1);
    if (r.has("result"_L1)) {
        Reader res(r.value("result"_L1), &result.error);
        reply.channel = res.string("channel"_L1);
        if (res.has("symbol"_L1))
            reply.symbol = res.string("symbol"_L1);
    } else if (r.has("symbol"_L1)) {
        reply.symbol = r.string("symbol"_L1); // where Kraken puts it on a refusal
    }
    if (r.ok())
        result.message = reply;
    return result;
}

MessageResult channelMessage(const RawJson &root, const QString &channel)
{
    MessageResult result;
    QString &error = result.error;
    if (channel == "heartbeat"_L1) {
        result.message = Heartbeat{};
    } else if (channel == "status"_L1) {
        const QList<StatusUpdate> s = dataEntries<StatusUpdate>(
            root, &error, [](Reader &r) { return StatusUpdate{r.string("system"_L1)}; });
        if (error.isEmpty())
            result.message = s.isEmpty() ? StatusUpdate{} : s.first();
    } else if (channel == "book"_L1) {
        BookMessage m;
        m.snapshot = snapshotType(root, &error);
        m.books = dataEntries<BookData>(root, &error, bookEntry);
        if (error.isEmpty())
            result.message = m;
    } else if (channel == "trade"_L1) {
        TradeMessage m;
        m.snapshot = snapshotType(root, &error);
        m.trades = dataEntries<TradeEvent>(root, &error, tradeEntry);
        if (error.isEmpty())
            result.message = m;
    } else if (channel == "ticker"_L1) {
        TickerMessage m;
        m.snapshot = snapshotType(root, &error);
        m.tickers = dataEntries<TickerEvent>(root, &error, tickerEntry);
        if (error.isEmpty())
            result.message = m;
    } else if (channel == "ohlc"_L1) {
        OhlcMessage m;
        m.snapshot = snapshotType(root, &error);
        m.candles = dataEntries<CandleEvent>(root, &error, candleEntry);
        if (error.isEmpty())
            result.message = m;
    } else if (channel == "instrument"_L1) {
        InstrumentMessage m = instrumentMessage(root, &error);
        if (error.isEmpty())
            result.message = m;
    } else {
        result.message = Unhandled{channel};
    }
    if (!error.isEmpty()) {
        result.message.reset();
        error = u"%1: %2"_s.arg(channel, error);
    }
    return result;
}

int digits(QStringView text, qsizetype at, int count)
{
    int n = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[at + i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        n = n * 10 + (c - u'0');
    }
    return n;
}

QString request(QLatin1StringView method, QLatin1StringView channel, const QStringList &symbols,
                int depthOrInterval, bool snapshot)
{
    QJsonObject params{{u"channel"_s, QString(channel)}};
    if (!symbols.isEmpty())
        params.insert(u"symbol"_s, QJsonArray::fromStringList(symbols));
    if (depthOrInterval > 0)
        params.insert(channel == "ohlc"_L1 ? u"interval"_s : u"depth"_s, depthOrInterval);
    if (snapshot)
        params.insert(u"snapshot"_s, true);
    const QJsonObject message{{u"method"_s, QString(method)}, {u"params"_s, params}};
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

} // namespace

MessageResult parseMessage(QByteArrayView json)
{
    MessageResult result;
    const std::optional<RawJson> root = RawJson::parse(json, &result.error);
    if (!root)
        return result;
    if (!root->isObject()) {
        result.error = u"not a JSON object"_s;
        return result;
    }
    if (const RawJson *method = root->member("method"_L1); method && method->isString())
        return methodMessage(*root, method->text());
    if (const RawJson *channel = root->member("channel"_L1); channel && channel->isString())
        return channelMessage(*root, channel->text());
    result.error = u"neither a \"method\" nor a \"channel\" message"_s;
    return result;
}

std::optional<std::int64_t> parseTime(QStringView text)
{
    // YYYY-MM-DDTHH:MM:SS[.fraction]Z
    if (text.size() < 20 || text[4] != u'-' || text[7] != u'-' || text[10] != u'T'
        || text[13] != u':' || text[16] != u':' || text.back() != u'Z')
        return std::nullopt;
    const int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    const int hour = digits(text, 11, 2), minute = digits(text, 14, 2),
              second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 60)
        return std::nullopt;
    const QDate date(year, month, day);
    if (!date.isValid())
        return std::nullopt;
    int millis = 0;
    const qsizetype fraction = text.size() - 1 - 19; // characters between the seconds and 'Z'
    if (fraction > 0) {
        if (text[19] != u'.' || fraction < 2 || fraction > 10)
            return std::nullopt;
        const int n = digits(text, 20, int(fraction - 1));
        if (n < 0)
            return std::nullopt;
        const int fractionDigits = int(fraction - 1);
        millis = digits(text, 20, std::min(3, fractionDigits));
        for (int i = fractionDigits; i < 3; ++i)
            millis *= 10;
    }
    const std::int64_t days = QDate(1970, 1, 1).daysTo(date);
    return ((days * 24 + hour) * 60 + minute) * 60'000LL + second * 1000LL + millis;
}

QString fromKrakenSymbol(QStringView symbol)
{
    const qsizetype slash = symbol.indexOf(u'/');
    if (slash <= 0 || slash == symbol.size() - 1 || symbol.indexOf(u'/', slash + 1) >= 0)
        return {};
    const auto asset = [](QStringView a) { return a == u"XBT" ? u"BTC"_s : a.toString(); };
    return asset(symbol.first(slash)) + u'-' + asset(symbol.sliced(slash + 1));
}

QString toKrakenSymbol(QStringView symbol)
{
    const qsizetype dash = symbol.indexOf(u'-');
    if (dash <= 0 || dash == symbol.size() - 1 || symbol.indexOf(u'-', dash + 1) >= 0)
        return {};
    const auto asset = [](QStringView a) { return a == u"XBT" ? u"BTC"_s : a.toString(); };
    return asset(symbol.first(dash)) + u'/' + asset(symbol.sliced(dash + 1));
}

std::optional<Decimal> exactDecimal(QStringView jsonNumber)
{
    const qsizetype e = std::max(jsonNumber.indexOf(u'e'), jsonNumber.indexOf(u'E'));
    if (e < 0)
        return Decimal::parse(jsonNumber);
    bool ok = false;
    const int exponent = jsonNumber.sliced(e + 1).toInt(&ok);
    const QStringView mantissa = jsonNumber.first(e);
    if (!ok || mantissa.startsWith(u'-') || exponent < -40 || exponent > 40)
        return std::nullopt;
    const qsizetype point = mantissa.indexOf(u'.');
    QString digitsText = mantissa.toString();
    qsizetype intDigits = mantissa.size();
    if (point >= 0) {
        digitsText.remove(point, 1);
        intDigits = point;
    }
    // Move the point by the exponent, padding with zeros on either side.
    qsizetype newPoint = intDigits + exponent;
    if (newPoint <= 0) {
        digitsText.prepend(QString(-newPoint + 1, u'0'));
        newPoint = 1;
    } else if (newPoint > digitsText.size()) {
        digitsText.append(QString(newPoint - digitsText.size(), u'0'));
    }
    if (newPoint < digitsText.size())
        digitsText.insert(newPoint, u'.');
    // Leading zeros of the integer part ("00.1" from "0.01e1") are not Decimal's form.
    while (digitsText.size() > 1 && digitsText.startsWith(u'0') && digitsText[1] != u'.')
        digitsText.remove(0, 1);
    return Decimal::parse(QStringView(digitsText));
}

std::optional<SymbolInfo> toSymbolInfo(const InstrumentPair &pair, QString *error)
{
    const QString symbol = fromKrakenSymbol(pair.symbol);
    const std::optional<Decimal> tick = exactDecimal(pair.priceIncrement);
    const std::optional<Decimal> lot = exactDecimal(pair.qtyIncrement);
    if (symbol.isEmpty()) {
        *error = u"instrument %1 is not BASE/QUOTE"_s.arg(pair.symbol);
        return std::nullopt;
    }
    if (!tick || !tick->isPositive() || !lot || !lot->isPositive()) {
        *error = u"instrument %1: price_increment %2 or qty_increment %3 is not a positive "
                 "exact decimal"_s.arg(pair.symbol, pair.priceIncrement, pair.qtyIncrement);
        return std::nullopt;
    }
    SymbolInfo info;
    info.exchangeSymbol = pair.symbol;
    info.info.symbol = symbol;
    info.info.name = symbol;
    const qsizetype dash = symbol.indexOf(u'-');
    info.info.base = symbol.first(dash);
    info.info.quote = symbol.sliced(dash + 1);
    info.info.tickSize = tick->normalized();
    info.info.lotSize = lot->normalized();
    return info;
}

QByteArray checksumField(QStringView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'.' || (out.isEmpty() && c == u'0'))
            continue;
        out.append(char(c.unicode()));
    }
    return out;
}

quint32 bookChecksum(const QList<RawLevel> &asks, const QList<RawLevel> &bids)
{
    QByteArray text;
    text.reserve(2 * protocol::ChecksumLevels * 32);
    const auto add = [&text](const QList<RawLevel> &levels) {
        const qsizetype n = std::min<qsizetype>(levels.size(), protocol::ChecksumLevels);
        for (qsizetype i = 0; i < n; ++i) {
            text += checksumField(levels[i].price);
            text += checksumField(levels[i].qty);
        }
    };
    add(asks);
    add(bids);
    return protocol::crc32(text);
}

std::optional<protocol::CandleInterval> intervalFromMinutes(int minutes)
{
    for (const IntervalPair &p : Intervals) {
        if (p.minutes == minutes)
            return p.interval;
    }
    return std::nullopt;
}

QString subscribeRequest(QLatin1StringView channel, const QStringList &symbols, int depthOrInterval)
{
    return request("subscribe"_L1, channel, symbols, depthOrInterval, true);
}

QString unsubscribeRequest(QLatin1StringView channel, const QStringList &symbols,
                           int depthOrInterval)
{
    return request("unsubscribe"_L1, channel, symbols, depthOrInterval, false);
}

QString instrumentRequest()
{
    return request("subscribe"_L1, "instrument"_L1, {}, 0, true);
}

QString pingRequest(std::int64_t reqId)
{
    const QJsonObject message{{u"method"_s, u"ping"_s}, {u"req_id"_s, qint64(reqId)}};
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

std::optional<protocol::Trade> toTrade(const TradeEvent &event,
                                       const protocol::InstrumentInfo &info)
{
    const auto price = atStep(event.price, info.tickSize);
    const auto qty = atStep(event.qty, info.lotSize);
    if (!price || !qty)
        return std::nullopt;
    protocol::Trade trade;
    trade.symbol = info.symbol;
    trade.ts = event.ts;
    trade.tradeId = event.tradeId;
    trade.price = *price;
    trade.qty = *qty;
    trade.side = event.side;
    return trade;
}

std::optional<protocol::Ticker> toTicker(const TickerEvent &event,
                                         const protocol::InstrumentInfo &info, std::int64_t nowMs)
{
    const auto last = atStep(event.last, info.tickSize);
    const auto bid = atStep(event.bid, info.tickSize);
    const auto bidSize = atStep(event.bidQty, info.lotSize);
    const auto ask = atStep(event.ask, info.tickSize);
    const auto askSize = atStep(event.askQty, info.lotSize);
    const auto high = atStep(event.high, info.tickSize);
    const auto low = atStep(event.low, info.tickSize);
    const auto volume = atStep(event.volume, info.lotSize);
    // Kraken sends no 24 h open; it is last - change, which must land on the tick grid too.
    const auto change = Decimal::parse(QStringView(event.change));
    std::optional<Decimal> open;
    if (last && change) {
        if (const auto difference = last->minus(*change))
            open = atStep(difference->toString(), info.tickSize);
    }
    if (!last || !bid || !bidSize || !ask || !askSize || !open || !high || !low || !volume)
        return std::nullopt;
    protocol::Ticker ticker;
    ticker.symbol = info.symbol;
    ticker.ts = event.ts != 0 ? event.ts : nowMs;
    ticker.last = *last;
    ticker.bid = *bid;
    ticker.bidSize = *bidSize;
    ticker.ask = *ask;
    ticker.askSize = *askSize;
    ticker.open24h = *open;
    ticker.high24h = *high;
    ticker.low24h = *low;
    ticker.volume24h = *volume;
    return ticker;
}

std::optional<protocol::Candle> toCandle(const CandleEvent &event,
                                         const protocol::InstrumentInfo &info)
{
    const auto interval = intervalFromMinutes(event.intervalMinutes);
    if (!interval)
        return std::nullopt;
    // Kraken does not say when a candle closes; the engine closes it when the next one starts.
    return candleAtStep(info, *interval, event.intervalBegin,
                        {event.open, event.high, event.low, event.close, event.volume}, false);
}

} // namespace tickwire::exchanges::kraken
