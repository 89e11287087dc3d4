// CandleChartFeeder: the series hold the window without its newest candle, which is published
// as properties; a tick of that live candle touches no series and moves the axes only when the
// candle leaves them; a new candle, a pan or another series feeds the series again.
#include "../../market/marketfixtures.h"
#include "ui/candlechart.h"
#include "market/candlemodel.h"

#include <QtCharts/QCandlestickSeries>
#include <QtCharts/QCandlestickSet>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market::test;
using market::CandleModel;
using ui::CandleChartFeeder;

namespace {

constexpr std::int64_t Minute = 60'000;
constexpr int Rows = 30;
constexpr int Visible = 20;

protocol::Candle candle(std::int64_t minute, double close, double volume = 10,
                        protocol::CandleInterval interval = protocol::CandleInterval::M1)
{
    protocol::Candle k;
    k.symbol = u"BTC-USD"_s;
    k.interval = interval;
    k.t = minute * Minute;
    const auto dec = [](double v) { return d(QByteArray::number(v, 'f', 2).constData()); };
    k.o = dec(close - 1);
    k.h = dec(close + 2);
    k.l = dec(close - 3);
    k.c = dec(close);
    k.v = dec(volume);
    return k;
}

// Closes 100, 101, ... so the last candle is the window's highest.
protocol::CandlesSnapshot history(protocol::CandleInterval interval = protocol::CandleInterval::M1,
                                  double base = 100)
{
    protocol::CandlesSnapshot snapshot{u"BTC-USD"_s, interval, {}};
    for (int i = 0; i < Rows; ++i)
        snapshot.candles.append(candle(i, base + i, 10 + i, interval));
    return snapshot;
}

} // namespace

class tst_CandleChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void seriesHoldTheWindowWithoutTheLiveCandle();
    void liveTickTouchesNoSeries();
    void liveCandleLeavingTheRangeMovesItOnce();
    void newCandleFeedsTheSeries();
    void otherIntervalRebuildsTheSeries();
    void panShowsAnOlderWindow();
    void hiddenCandlesticksAreEmpty();
    void timeAxisGetsRoundTicks();
    void priceStepIsRound();

private:
    // The feeder updates once per event-loop pass.
    static void settle() { QCoreApplication::processEvents(); }
    void tick(const protocol::Candle &c)
    {
        QVERIFY(!m_model->applyCandle(c));
        m_model->flush();
        settle();
    }

    market::InstrumentTable m_instruments;
    std::unique_ptr<CandleModel> m_model;
    std::unique_ptr<QCandlestickSeries> m_candles;
    std::unique_ptr<QLineSeries> m_line;
    std::unique_ptr<QLineSeries> m_volume;
    std::unique_ptr<CandleChartFeeder> m_feeder;
};

void tst_CandleChart::initTestCase()
{
    // The time axis shows local time: pin it so the round times below are UTC's.
    qputenv("TZ", "UTC");
}

void tst_CandleChart::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<CandleModel>(&m_instruments, 1000);
    m_model->setSeries(u"BTC-USD"_s, protocol::CandleInterval::M1);
    m_model->applySnapshot(history());
    m_candles = std::make_unique<QCandlestickSeries>();
    m_line = std::make_unique<QLineSeries>();
    m_volume = std::make_unique<QLineSeries>();
    m_feeder = std::make_unique<CandleChartFeeder>();
    m_feeder->setProperty("candleSeries", QVariant::fromValue(m_candles.get()));
    m_feeder->setProperty("lineSeries", QVariant::fromValue<QLineSeries *>(m_line.get()));
    m_feeder->setProperty("volumeSeries", QVariant::fromValue<QLineSeries *>(m_volume.get()));
    m_feeder->setVisibleCount(Visible);
    m_feeder->setModel(m_model.get());
    settle();
}

void tst_CandleChart::cleanup()
{
    m_feeder.reset();
    m_candles.reset();
    m_line.reset();
    m_volume.reset();
    m_model.reset();
}

void tst_CandleChart::seriesHoldTheWindowWithoutTheLiveCandle()
{
    QCOMPARE(m_feeder->pointCount(), Visible);
    QCOMPARE(m_candles->count(), Visible - 1);
    QCOMPARE(m_line->count(), Visible - 1);
    QCOMPARE(m_volume->count(), 4 * (Visible - 1));
    // The window is rows 10..29; the series end at row 28.
    QCOMPARE(m_candles->sets().first()->timestamp(), double(10 * Minute));
    QCOMPARE(m_line->at(Visible - 2), QPointF(28 * Minute, 128));
    QCOMPARE(m_feeder->liveTime(), double(29 * Minute));
    QCOMPARE(m_feeder->liveOpen(), 128.0);
    QCOMPARE(m_feeder->liveHigh(), 131.0);
    QCOMPARE(m_feeder->liveLow(), 126.0);
    QCOMPARE(m_feeder->lastPrice(), 129.0);
    QCOMPARE(m_feeder->liveVolume(), 39.0);
    QVERIFY(m_feeder->hasPrevious());
    QCOMPARE(m_feeder->previousTime(), double(28 * Minute));
    QCOMPARE(m_feeder->previousClose(), 128.0);
    QCOMPARE(m_feeder->intervalMs(), double(Minute));
    // The axes span the whole window, live candle included, with a margin.
    QVERIFY(m_feeder->minPrice() < 107.0);
    QVERIFY(m_feeder->maxPrice() > 131.0);
    QVERIFY(m_feeder->maxVolume() > 39.0);
    QCOMPARE(qint64(m_feeder->minTime()), 9 * Minute);
    QCOMPARE(qint64(m_feeder->maxTime()), 30 * Minute);
}

void tst_CandleChart::liveTickTouchesNoSeries()
{
    QSignalSpy lineReplaced(m_line.get(), &QXYSeries::pointsReplaced);
    QSignalSpy lineChanged(m_line.get(), &QXYSeries::pointReplaced);
    QSignalSpy volumeReplaced(m_volume.get(), &QXYSeries::pointsReplaced);
    QSignalSpy setsAdded(m_candles.get(), &QCandlestickSeries::candlestickSetsAdded);
    QSignalSpy lastSetClose(m_candles->sets().last(), &QCandlestickSet::closeChanged);
    QSignalSpy range(m_feeder.get(), &CandleChartFeeder::rangeChanged);
    QSignalSpy live(m_feeder.get(), &CandleChartFeeder::liveChanged);

    // Inside the window's price range and below its largest volume.
    tick(candle(29, 127.5, 25));
    QCOMPARE(live.size(), 1);
    QCOMPARE(m_feeder->lastPrice(), 127.5);
    QCOMPARE(m_feeder->liveVolume(), 25.0);
    QCOMPARE(lineReplaced.size(), 0);
    QCOMPARE(lineChanged.size(), 0);
    QCOMPARE(volumeReplaced.size(), 0);
    QCOMPARE(setsAdded.size(), 0);
    QCOMPARE(lastSetClose.size(), 0);
    QCOMPARE(range.size(), 0);

    // The same values again: nothing at all.
    tick(candle(29, 127.5, 25));
    QCOMPARE(live.size(), 1);
}

void tst_CandleChart::liveCandleLeavingTheRangeMovesItOnce()
{
    QSignalSpy range(m_feeder.get(), &CandleChartFeeder::rangeChanged);
    QSignalSpy lineReplaced(m_line.get(), &QXYSeries::pointsReplaced);
    const double top = m_feeder->maxPrice();
    const double maxVolume = m_feeder->maxVolume();

    tick(candle(29, top + 5, 10)); // high = top + 7
    QCOMPARE(range.size(), 1);
    QVERIFY(m_feeder->maxPrice() > top + 7);
    QCOMPARE(m_feeder->maxVolume(), maxVolume);
    // A little higher, still inside the new range: the axes stay.
    tick(candle(29, top + 5.5, 10));
    QCOMPARE(range.size(), 1);
    // Volume over the axis: the volume axis grows past it.
    tick(candle(29, top + 5.5, maxVolume * 2));
    QCOMPARE(range.size(), 2);
    QVERIFY(m_feeder->maxVolume() > maxVolume * 2);
    QCOMPARE(lineReplaced.size(), 0);
}

void tst_CandleChart::newCandleFeedsTheSeries()
{
    QSignalSpy lineReplaced(m_line.get(), &QXYSeries::pointsReplaced);
    QSignalSpy range(m_feeder.get(), &CandleChartFeeder::rangeChanged);
    tick(candle(29, 127, 40)); // the live candle's last tick
    tick(candle(30, 150, 1));
    QCOMPARE(lineReplaced.size(), 1);
    QVERIFY(range.size() >= 1);
    QCOMPARE(m_feeder->pointCount(), Visible);
    QCOMPARE(m_line->count(), Visible - 1);
    // The window moved by one; the former live candle is now the series' last point.
    QCOMPARE(m_line->at(0), QPointF(11 * Minute, 111));
    QCOMPARE(m_line->at(Visible - 2), QPointF(29 * Minute, 127));
    QCOMPARE(m_candles->sets().last()->close(), 127.0);
    QCOMPARE(m_volume->at(4 * (Visible - 1) - 2).y(), 40.0);
    QCOMPARE(m_feeder->liveTime(), double(30 * Minute));
    QCOMPARE(m_feeder->lastPrice(), 150.0);
    QCOMPARE(m_feeder->previousClose(), 127.0);
    QCOMPARE(qint64(m_feeder->maxTime()), 31 * Minute);
}

void tst_CandleChart::otherIntervalRebuildsTheSeries()
{
    QSignalSpy setsAdded(m_candles.get(), &QCandlestickSeries::candlestickSetsAdded);
    m_model->setSeries(u"BTC-USD"_s, protocol::CandleInterval::M5);
    settle();
    QCOMPARE(m_feeder->pointCount(), 0);
    QCOMPARE(m_candles->count(), 0);
    QCOMPARE(m_line->count(), 0);

    m_model->applySnapshot(history(protocol::CandleInterval::M5, 500));
    settle();
    QCOMPARE(setsAdded.size(), 1);
    QCOMPARE(m_candles->count(), Visible - 1);
    QCOMPARE(m_candles->sets().first()->close(), 510.0);
    QCOMPARE(m_line->at(Visible - 2).y(), 528.0);
    QCOMPARE(m_feeder->lastPrice(), 529.0);
    QVERIFY(m_feeder->minPrice() > 400);
}

void tst_CandleChart::panShowsAnOlderWindow()
{
    m_feeder->pan(5);
    settle();
    QCOMPARE(m_feeder->offset(), 5);
    QCOMPARE(m_feeder->pointCount(), Visible);
    QCOMPARE(m_line->at(0), QPointF(5 * Minute, 105));
    QCOMPARE(m_feeder->liveTime(), double(24 * Minute));
    // The newest candle is off screen: its ticks change nothing shown.
    QSignalSpy live(m_feeder.get(), &CandleChartFeeder::liveChanged);
    QSignalSpy lineReplaced(m_line.get(), &QXYSeries::pointsReplaced);
    tick(candle(29, 120, 12));
    QCOMPARE(live.size(), 0);
    QCOMPARE(lineReplaced.size(), 0);
}

void tst_CandleChart::hiddenCandlesticksAreEmpty()
{
    // Qt Charts 6.4 draws candlesticks whatever the series' visible: the line mode hides them.
    m_candles->setVisible(false);
    settle();
    QCOMPARE(m_candles->count(), 0);
    QCOMPARE(m_line->count(), Visible - 1);
    tick(candle(30, 130));
    QCOMPARE(m_candles->count(), 0);
    m_candles->setVisible(true);
    settle();
    QCOMPARE(m_candles->count(), Visible - 1);
    QCOMPARE(m_candles->sets().last()->close(), 129.0);
}

QTEST_MAIN(tst_CandleChart)
#include "tst_candlechart.moc"

// The window (minutes 9 … 30) gets ticks every 5 minutes as categories of the time axis, each
// ending (and labelled) on its tick, none at the range's very ends (30 is max); a pan moves
// them with the range.
void tst_CandleChart::timeAxisGetsRoundTicks()
{
    QCategoryAxis axis;
    QSignalSpy ticksChanged(m_feeder.get(), &CandleChartFeeder::timeTicksChanged);
    m_feeder->setProperty("timeAxis", QVariant::fromValue(&axis));
    QCOMPARE(ticksChanged.count(), 1);
    QCOMPARE(m_feeder->timeStep(), double(5 * Minute));
    QCOMPARE(axis.categoriesLabels(),
             (QStringList{u"00:10"_s, u"00:15"_s, u"00:20"_s, u"00:25"_s}));
    QCOMPARE(m_feeder->timeTicks(),
             (QList<qreal>{10 * Minute, 15 * Minute, 20 * Minute, 25 * Minute}));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(axis.endValue(axis.categoriesLabels().at(i)), double((10 + 5 * i) * Minute));
    QVERIFY(axis.startValue() < m_feeder->minTime());

    // Fewer labels: a coarser step.
    m_feeder->setMaxTimeLabels(3);
    QCOMPARE(m_feeder->timeStep(), double(10 * Minute));
    QCOMPARE(axis.categoriesLabels(), (QStringList{u"00:10"_s, u"00:20"_s}));

    // Pan back 6 candles: minutes 3 … 24.
    m_feeder->setMaxTimeLabels(8);
    m_feeder->pan(6);
    settle();
    QCOMPARE(qint64(m_feeder->minTime()), 3 * Minute);
    QCOMPARE(axis.categoriesLabels(),
             (QStringList{u"00:05"_s, u"00:10"_s, u"00:15"_s, u"00:20"_s}));
    QCOMPARE(axis.endValue(u"00:05"_s), double(5 * Minute));
    QVERIFY(axis.startValue() < m_feeder->minTime());

    // A live tick inside the range moves no tick.
    ticksChanged.clear();
    m_feeder->pan(-6);
    settle();
    QCOMPARE(ticksChanged.count(), 1);
    tick(candle(29, 129.5, 40));
    QCOMPARE(ticksChanged.count(), 1);
}

// Prices 105.56 … 132.44 (lows 107, highs 131, 6% margin): ticks every 5, at any decimals
// that allow it.
void tst_CandleChart::priceStepIsRound()
{
    QValueAxis axis;
    m_feeder->setProperty("priceAxis", QVariant::fromValue(&axis));
    QCOMPARE(m_feeder->priceStep(), 5.0);
    QCOMPARE(axis.tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(axis.tickInterval(), 5.0);
    QCOMPARE(axis.tickAnchor(), 0.0);
    QCOMPARE(axis.min(), m_feeder->minPrice());
    QCOMPARE(axis.max(), m_feeder->maxPrice());
    m_feeder->setPriceDecimals(0);
    QCOMPARE(m_feeder->priceStep(), 5.0);
    m_feeder->setVisibleCount(CandleChartFeeder::MinVisible);
    settle();
    // Rows 20 … 29: lows 117 …, highs … 131, so 116.16 … 131.84: every 2 (118 … 130).
    QCOMPARE(m_feeder->priceStep(), 2.0);
    QCOMPARE(axis.tickInterval(), 2.0);
    QCOMPARE(axis.min(), m_feeder->minPrice());
}
