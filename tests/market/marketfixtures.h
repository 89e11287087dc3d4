#pragma once

// Shared by the market tests: message builders and a recorder of model signals.

#include "protocol/codec.h"
#include "protocol/messages.h"

#include <QtCore/QAbstractItemModel>
#include <QtCore/QFile>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

namespace tickwire::market::test {

inline Decimal d(const char *text)
{
    const std::optional<Decimal> value = Decimal::parse(QByteArrayView(text));
    if (!value)
        qFatal("bad decimal literal in a test: %s", text);
    return *value;
}

inline protocol::InstrumentInfo instrument(const QString &symbol, const char *tick, const char *lot)
{
    return protocol::InstrumentInfo{
        symbol, symbol + QLatin1StringView(" name"), QString(), QString(), d(tick), d(lot)};
}

inline protocol::Ticker ticker(const QString &symbol, const char *last, const char *bid = "0",
                               const char *ask = "0", const char *open = "100")
{
    protocol::Ticker t;
    t.symbol = symbol;
    t.last = d(last);
    t.bid = d(bid);
    t.ask = d(ask);
    t.open24h = d(open);
    t.high24h = d("0");
    t.low24h = d("0");
    t.volume24h = d("0");
    return t;
}

inline protocol::Trade trade(const QString &symbol, std::int64_t id, const char *price,
                             const char *qty, protocol::Side side = protocol::Side::Buy)
{
    return protocol::Trade{symbol, id, 1000 + id, id, d(price), d(qty), side};
}

inline protocol::BookLevel level(const char *price, const char *qty)
{
    return protocol::BookLevel{d(price), d(qty)};
}

inline protocol::Order order(const QString &id, const QString &symbol, protocol::Side side,
                             const char *price, const char *qty, const char *filled,
                             protocol::OrderStatus status)
{
    protocol::Order o;
    o.orderId = id;
    o.clientOrderId = QLatin1StringView("c-") + id;
    o.symbol = symbol;
    o.side = side;
    o.orderType = protocol::OrderType::Limit;
    o.price = d(price);
    o.qty = d(qty);
    o.filledQty = d(filled);
    o.status = status;
    return o;
}

inline protocol::Position position(const QString &symbol, const char *qty, const char *avg,
                                   const char *realized = "0")
{
    protocol::Position p;
    p.symbol = symbol;
    p.qty = d(qty);
    p.avgPrice = d(avg);
    p.realizedPnl = d(realized);
    return p;
}

// Reads tests/data/market/<name>: one JSON message per line, '#' lines are comments.
inline QList<protocol::Message> loadMessages(const QString &name)
{
    QList<protocol::Message> messages;
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/market/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(file.fileName()));
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const protocol::DecodeResult result = protocol::decode(line, protocol::Encoding::Json);
        if (!result.ok())
            qFatal("bad fixture line %s: %s", line.constData(), qPrintable(result.error.message));
        messages.append(*result.message);
    }
    return messages;
}

// One dataChanged signal, flattened for comparisons.
struct Change
{
    int first = -1;
    int last = -1;
    QList<int> roles;
    friend bool operator==(const Change &, const Change &) = default;
};

inline QList<Change> changes(const QSignalSpy &spy)
{
    QList<Change> out;
    for (const QList<QVariant> &args : spy) {
        QList<int> roles = args.at(2).value<QList<int>>();
        std::sort(roles.begin(), roles.end());
        out.append(Change{args.at(0).value<QModelIndex>().row(),
                          args.at(1).value<QModelIndex>().row(), roles});
    }
    return out;
}

inline QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}

} // namespace tickwire::market::test

namespace QTest {
template<> inline char *toString(const tickwire::market::test::Change &c)
{
    QByteArray roles;
    for (int role : c.roles)
        roles += QByteArray::number(role) + ' ';
    return qstrdup(QByteArray("[" + QByteArray::number(c.first) + ".." + QByteArray::number(c.last)
                              + " roles " + roles + "]")
                       .constData());
}
} // namespace QTest
