// TradeCandleBuilder: candles of the intervals an exchange does not stream, from its trades.
#include "exchanges/tradecandles.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using protocol::CandleInterval;
using tickwire::exchanges::TradeCandleBuilder;

namespace {

protocol::Trade trade(std::int64_t id, std::int64_t ts, const char *price, const char *qty)
{
    protocol::Trade t;
    t.symbol = u"BTC-USD"_s;
    t.tradeId = id;
    t.ts = ts;
    t.price = *Decimal::parse(QByteArrayView(price));
    t.qty = *Decimal::parse(QByteArrayView(qty));
    return t;
}

QString ohlcv(const protocol::Candle &c)
{
    return u"%1 %2 %3 %4 %5 %6"_s.arg(c.t).arg(c.o.toString(), c.h.toString(), c.l.toString(),
                                               c.c.toString(), c.v.toString());
}

} // namespace

class TestTradeCandles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tradesFillTheOpenCandles()
    {
        TradeCandleBuilder builder({CandleInterval::S1, CandleInterval::M1});
        auto out = builder.onTrade(trade(1, 60'100, "100.00", "0.5"));
        QCOMPARE(out.size(), 2);
        QVERIFY(out[0].interval == CandleInterval::S1);
        QCOMPARE(ohlcv(out[0]), u"60000 100.00 100.00 100.00 100.00 0.5"_s);
        QVERIFY(!out[0].closed);
        out = builder.onTrade(trade(2, 60'900, "101.50", "0.25"));
        QCOMPARE(ohlcv(out[0]), u"60000 100.00 101.50 100.00 101.50 0.75"_s);
        out = builder.onTrade(trade(3, 61'200, "99.00", "1.00"));
        QCOMPARE(ohlcv(out[0]), u"61000 99.00 99.00 99.00 99.00 1.00"_s); // a new second
        QCOMPARE(ohlcv(out[1]), u"60000 100.00 101.50 99.00 99.00 1.75"_s); // same minute
    }

    void repeatsAndLateTradesAreIgnored()
    {
        TradeCandleBuilder builder({CandleInterval::S1, CandleInterval::M1});
        (void)builder.onTrade(trade(10, 61'100, "100.00", "1"));
        QVERIFY(builder.onTrade(trade(10, 61'100, "100.00", "1")).isEmpty()); // resent
        QVERIFY(builder.onTrade(trade(9, 61'050, "100.00", "1")).isEmpty()); // older id
        const auto out = builder.onTrade(trade(11, 60'500, "102.00", "1")); // an earlier second
        QCOMPARE(out.size(), 1); // only the minute, which is still open
        QVERIFY(out[0].interval == CandleInterval::M1);
        QCOMPARE(out[0].h.toString(), u"102.00"_s);
    }

    void hourBoundaries()
    {
        TradeCandleBuilder builder({CandleInterval::H1});
        const std::int64_t hour = 3'600'000;
        QCOMPARE(builder.onTrade(trade(1, 5 * hour + 1, "1", "1"))[0].t, 5 * hour);
        QCOMPARE(builder.onTrade(trade(2, 6 * hour, "1", "1"))[0].t, 6 * hour);
    }
};

QTEST_GUILESS_MAIN(TestTradeCandles)
#include "tst_tradecandles.moc"
