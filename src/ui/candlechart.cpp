#include "ui/candlechart.h"

#include "market/candlemodel.h"

#include <QtCharts/QCandlestickSet>
#include <QtCore/QTimeZone>

#include <algorithm>
#include <iterator>
#include <limits>

namespace tickwire::ui {

using namespace Qt::StringLiterals;
using market::CandleModel;

CandleChartFeeder::CandleChartFeeder(QObject *parent) : QObject(parent)
{
    connect(this, &CandleChartFeeder::seriesChanged, this, [this] {
        m_rebuild = true;
        scheduleUpdate();
        if (m_candles) {
            connect(m_candles, &QCandlestickSeries::penChanged, this,
                    &CandleChartFeeder::wickColorChanged, Qt::UniqueConnection);
            connect(m_candles, &QAbstractSeries::visibleChanged, this, &CandleChartFeeder::refeed,
                    Qt::UniqueConnection);
        }
        Q_EMIT wickColorChanged();
    });
    connect(this, &CandleChartFeeder::timeAxisChanged, this, [this] {
        // A fresh axis has none of the ticks yet.
        m_timeTicks = {};
        updateTimeTicks();
    });
    connect(this, &CandleChartFeeder::priceAxisChanged, this, &CandleChartFeeder::applyPriceAxis);
    updatePriceStep();
}

void CandleChartFeeder::applyPriceAxis()
{
    if (!m_priceAxis || m_priceStep <= 0)
        return;
    m_priceAxis->setTickAnchor(0);
    m_priceAxis->setTickType(QValueAxis::TicksDynamic);
    // Never a fine step over a wide range, even for a moment: a coarser step goes first, a
    // finer one after the range has narrowed.
    if (m_priceStep >= m_priceAxis->tickInterval())
        m_priceAxis->setTickInterval(m_priceStep);
    m_priceAxis->setRange(m_minPrice, m_maxPrice);
    m_priceAxis->setTickInterval(m_priceStep);
}

void CandleChartFeeder::setMaxTimeLabels(int count)
{
    count = std::max(1, count);
    if (count == m_maxTimeLabels)
        return;
    m_maxTimeLabels = count;
    updateTimeTicks();
    Q_EMIT viewChanged();
}

void CandleChartFeeder::setPriceDecimals(int decimals)
{
    decimals = std::clamp(decimals, 0, 15);
    if (decimals == m_priceDecimals)
        return;
    m_priceDecimals = decimals;
    if (updatePriceStep()) {
        applyPriceAxis();
        Q_EMIT rangeChanged();
    }
    Q_EMIT viewChanged();
}

QList<qreal> CandleChartFeeder::timeTicks() const
{
    QList<qreal> times;
    times.reserve(m_timeTicks.ticks.size());
    for (const TimeTick &tick : m_timeTicks.ticks)
        times.append(qreal(tick.time));
    return times;
}

bool CandleChartFeeder::updatePriceStep()
{
    const double step = priceAxisStep(m_minPrice, m_maxPrice, MaxPriceTicks, m_priceDecimals);
    if (step == m_priceStep)
        return false;
    m_priceStep = step;
    return true;
}

void CandleChartFeeder::updateTimeTicks()
{
    // No tick within TimeEdge of either end: Qt Charts drops a label that would overhang the
    // plot area, and a grid line without its label reads as a mistake.
    const qint64 edge = qint64(double(m_maxTime - m_minTime) * TimeEdge);
    TimeTicks ticks = m_count > 0
                          ? timeAxisTicks(m_minTime + edge, m_maxTime - edge, m_maxTimeLabels,
                                          QTimeZone::systemTimeZone(), QLocale())
                          : TimeTicks{};
    if (ticks.stepMs == m_timeTicks.stepMs && ticks.ticks == m_timeTicks.ticks)
        return;
    m_timeTicks = std::move(ticks);
    if (m_timeAxis) {
        // Categories are keyed by label; each one ends at its tick, where OnValue puts the
        // label. The first starts two steps before its tick: outside the range (the round time
        // one step before is at most TimeEdge inside it), so no extra grid line shows.
        const QStringList old = m_timeAxis->categoriesLabels();
        for (const QString &label : old)
            m_timeAxis->remove(label);
        if (!m_timeTicks.ticks.isEmpty()) {
            m_timeAxis->setStartValue(
                qreal(m_timeTicks.ticks.first().time - 2 * m_timeTicks.stepMs));
            for (const TimeTick &tick : std::as_const(m_timeTicks.ticks))
                m_timeAxis->append(tick.label, qreal(tick.time));
        }
    }
    Q_EMIT timeTicksChanged();
}

QColor CandleChartFeeder::wickColor() const
{
    return m_candles ? m_candles->pen().color() : QColor(Qt::gray);
}

void CandleChartFeeder::setModel(CandleModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        // Rows moving or a change above the live candle (the newest row) reach the series.
        auto moved = [this] {
            m_historyDirty = true;
            scheduleUpdate();
        };
        auto reset = [this] {
            m_rebuild = true;
            scheduleUpdate();
        };
        connect(model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
            if (topLeft.row() < m_model->rowCount() - 1)
                m_historyDirty = true;
            scheduleUpdate();
        });
        connect(model, &QAbstractItemModel::rowsInserted, this, moved);
        connect(model, &QAbstractItemModel::rowsRemoved, this, moved);
        connect(model, &QAbstractItemModel::modelReset, this, reset);
    }
    m_rebuild = true;
    scheduleUpdate();
    Q_EMIT modelChanged();
}

void CandleChartFeeder::setVisibleCount(int count)
{
    count = std::clamp(count, MinVisible, MaxVisible);
    if (count == m_visible)
        return;
    m_visible = count;
    scheduleUpdate();
    Q_EMIT viewChanged();
}

void CandleChartFeeder::setOffset(int offset)
{
    const int rows = m_model ? m_model->rowCount() : 0;
    offset = std::clamp(offset, 0, std::max(0, rows - MinVisible));
    if (offset == m_offset)
        return;
    m_offset = offset;
    scheduleUpdate();
    Q_EMIT viewChanged();
}

void CandleChartFeeder::setFollowLive(bool follow)
{
    if (follow)
        setOffset(0);
}

void CandleChartFeeder::zoom(int steps)
{
    // ~12% per wheel step, at least one candle.
    int count = m_visible;
    for (int i = 0; i < std::abs(steps); ++i)
        count = steps > 0 ? count - std::max(1, count / 8) : count + std::max(1, count / 8);
    setVisibleCount(count);
}

void CandleChartFeeder::pan(int candles)
{
    setOffset(m_offset + candles);
}

void CandleChartFeeder::scheduleUpdate()
{
    if (m_updatePending)
        return;
    m_updatePending = true;
    QMetaObject::invokeMethod(this, &CandleChartFeeder::update, Qt::QueuedConnection);
}

double CandleChartFeeder::valueAt(int row, int role) const
{
    return m_model->data(m_model->index(row, 0), role).toDouble();
}

CandleChartFeeder::Live CandleChartFeeder::liveAt(int row) const
{
    Live live;
    live.time = valueAt(row, CandleModel::TimeRole);
    live.open = valueAt(row, CandleModel::OpenValueRole);
    live.high = valueAt(row, CandleModel::HighValueRole);
    live.low = valueAt(row, CandleModel::LowValueRole);
    live.close = valueAt(row, CandleModel::CloseValueRole);
    live.volume = valueAt(row, CandleModel::VolumeValueRole);
    live.hasPrevious = row > m_first;
    if (live.hasPrevious) {
        live.previousTime = valueAt(row - 1, CandleModel::TimeRole);
        live.previousClose = valueAt(row - 1, CandleModel::CloseValueRole);
    }
    return live;
}

void CandleChartFeeder::refeed()
{
    m_historyDirty = true;
    scheduleUpdate();
}

void CandleChartFeeder::feedCandles(int first, int end)
{
    // Qt Charts 6.4 draws a candlestick series whatever its `visible` (the line mode hides it),
    // so a hidden one is kept empty.
    const int count = m_candles->isVisible() ? std::max(0, end - first) : 0;
    // Rebuild when the number of candles changed, else update the sets in place (the setters
    // return early on unchanged values).
    const QList<QCandlestickSet *> sets = m_candles->sets();
    if (!m_rebuild && sets.size() == count) {
        for (int i = 0; i < count; ++i) {
            QCandlestickSet *set = sets.at(i);
            const int row = first + i;
            set->setTimestamp(valueAt(row, CandleModel::TimeRole));
            set->setOpen(valueAt(row, CandleModel::OpenValueRole));
            set->setHigh(valueAt(row, CandleModel::HighValueRole));
            set->setLow(valueAt(row, CandleModel::LowValueRole));
            set->setClose(valueAt(row, CandleModel::CloseValueRole));
        }
        return;
    }
    m_candles->clear();
    QList<QCandlestickSet *> fresh;
    fresh.reserve(count);
    for (int row = first; row < first + count; ++row) {
        fresh.append(new QCandlestickSet(
            valueAt(row, CandleModel::OpenValueRole), valueAt(row, CandleModel::HighValueRole),
            valueAt(row, CandleModel::LowValueRole), valueAt(row, CandleModel::CloseValueRole),
            valueAt(row, CandleModel::TimeRole)));
    }
    if (!fresh.isEmpty())
        m_candles->append(fresh);
}

void CandleChartFeeder::feedHistory(int first, int end)
{
    const int count = std::max(0, end - first);
    if (m_candles)
        feedCandles(first, end);

    QList<QPointF> closes;
    QList<QPointF> volumes;
    closes.reserve(count);
    volumes.reserve(count * 4);
    m_historyLow = std::numeric_limits<double>::max();
    m_historyHigh = std::numeric_limits<double>::lowest();
    m_historyMaxVolume = 0;
    const double half = double(std::max<qint64>(1, m_intervalMs)) * 0.4;
    for (int row = first; row < end; ++row) {
        const double t = valueAt(row, CandleModel::TimeRole);
        const double volume = valueAt(row, CandleModel::VolumeValueRole);
        m_historyLow = std::min(m_historyLow, valueAt(row, CandleModel::LowValueRole));
        m_historyHigh = std::max(m_historyHigh, valueAt(row, CandleModel::HighValueRole));
        m_historyMaxVolume = std::max(m_historyMaxVolume, volume);
        closes.append(QPointF(t, valueAt(row, CandleModel::CloseValueRole)));
        // A histogram as one polyline: up, across, down for each candle.
        volumes.append(QPointF(t - half, 0));
        volumes.append(QPointF(t - half, volume));
        volumes.append(QPointF(t + half, volume));
        volumes.append(QPointF(t + half, 0));
    }
    if (m_line)
        m_line->replace(closes);
    if (m_volume)
        m_volume->replace(volumes);
}

void CandleChartFeeder::update()
{
    m_updatePending = false;
    if (!m_model)
        return;
    const int rows = m_model->rowCount();
    const int end = std::max(0, rows - m_offset);
    const int first = std::max(0, end - m_visible);
    const int count = end - first;
    if (rows >= 2)
        m_intervalMs = qint64(valueAt(rows - 1, CandleModel::TimeRole))
                       - qint64(valueAt(rows - 2, CandleModel::TimeRole));

    const bool historyChanged = m_rebuild || m_historyDirty || first != m_first || count != m_count;
    const int oldCount = m_count;
    if (historyChanged)
        feedHistory(first, std::max(first, end - 1));
    m_first = first;
    m_count = count;
    m_rebuild = false;
    m_historyDirty = false;

    const double oldRange[] = {double(m_minTime), double(m_maxTime),    m_minPrice, m_maxPrice,
                               m_maxVolume,       double(m_intervalMs), m_priceStep};
    const Live live = count > 0 ? liveAt(end - 1) : m_live;
    if (count > 0) {
        const double lo = std::min(m_historyLow, live.low);
        const double hi = std::max(m_historyHigh, live.high);
        // Exact when the history changed; otherwise only when the live candle left the range.
        if (historyChanged || lo < m_minPrice || hi > m_maxPrice) {
            const double pad = std::max((hi - lo) * 0.06, std::abs(hi) * 1e-5);
            m_minPrice = lo - pad;
            m_maxPrice = hi + pad;
        }
        if (historyChanged || live.volume > m_maxVolume)
            m_maxVolume = std::max(std::max(m_historyMaxVolume, live.volume) * 1.15, 1e-9);
        if (historyChanged) {
            m_minTime = qint64(valueAt(first, CandleModel::TimeRole)) - m_intervalMs;
            m_maxTime = qint64(live.time) + m_intervalMs;
        }
    }
    updatePriceStep();
    const double newRange[] = {double(m_minTime), double(m_maxTime),    m_minPrice, m_maxPrice,
                               m_maxVolume,       double(m_intervalMs), m_priceStep};
    if (!std::equal(std::begin(oldRange), std::end(oldRange), std::begin(newRange))
        || oldCount != count) {
        applyPriceAxis();
        updateTimeTicks();
        Q_EMIT rangeChanged();
    }
    if (!(live == m_live)) {
        m_live = live;
        Q_EMIT liveChanged();
    }
}

QVariantMap CandleChartFeeder::candleAt(double timeMs) const
{
    if (!m_model || m_count == 0)
        return {};
    const qint64 t = qint64(timeMs);
    for (int row = m_first; row < m_first + m_count; ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const qint64 start = m_model->data(index, CandleModel::TimeRole).toLongLong();
        if (t >= start - m_intervalMs / 2 && t < start + m_intervalMs / 2) {
            return {{u"t"_s, QDateTime::fromMSecsSinceEpoch(start)},
                    {u"o"_s, m_model->data(index, CandleModel::OpenRole)},
                    {u"h"_s, m_model->data(index, CandleModel::HighRole)},
                    {u"l"_s, m_model->data(index, CandleModel::LowRole)},
                    {u"c"_s, m_model->data(index, CandleModel::CloseRole)},
                    {u"v"_s, m_model->data(index, CandleModel::VolumeRole)}};
        }
    }
    return {};
}

} // namespace tickwire::ui
