#include "candlechart.h"

#include "candlemodel.h"

#include <QtCharts/QCandlestickSet>

#include <algorithm>

namespace tickwire::ui {

using namespace Qt::StringLiterals;
using market::CandleModel;

CandleChartFeeder::CandleChartFeeder(QObject *parent) : QObject(parent)
{
    connect(this, &CandleChartFeeder::seriesChanged, this, [this] {
        m_rebuild = true;
        scheduleUpdate();
    });
}

void CandleChartFeeder::setModel(CandleModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        auto changed = [this] { scheduleUpdate(); };
        auto reset = [this] {
            m_rebuild = true;
            scheduleUpdate();
        };
        connect(model, &QAbstractItemModel::dataChanged, this, changed);
        connect(model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
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

void CandleChartFeeder::update()
{
    m_updatePending = false;
    if (!m_model)
        return;
    const int rows = m_model->rowCount();
    const int end = std::max(0, rows - m_offset);
    const int first = std::max(0, end - m_visible);
    const int count = end - first;
    auto value = [this](int row, int role) {
        return m_model->data(m_model->index(row, 0), role);
    };

    // Candlesticks: rebuild when the window moved, else update the sets in place.
    if (m_candles) {
        const QList<QCandlestickSet *> sets = m_candles->sets();
        const bool sameWindow = !m_rebuild && first == m_first && count == m_count
            && sets.size() == count;
        if (sameWindow) {
            for (int i = 0; i < count; ++i) {
                QCandlestickSet *set = sets.at(i);
                const int row = first + i;
                set->setTimestamp(value(row, CandleModel::TimeRole).toDouble());
                set->setOpen(value(row, CandleModel::OpenValueRole).toDouble());
                set->setHigh(value(row, CandleModel::HighValueRole).toDouble());
                set->setLow(value(row, CandleModel::LowValueRole).toDouble());
                set->setClose(value(row, CandleModel::CloseValueRole).toDouble());
            }
        } else {
            m_candles->clear();
            QList<QCandlestickSet *> fresh;
            fresh.reserve(count);
            for (int row = first; row < end; ++row) {
                fresh.append(new QCandlestickSet(value(row, CandleModel::OpenValueRole).toDouble(),
                                                 value(row, CandleModel::HighValueRole).toDouble(),
                                                 value(row, CandleModel::LowValueRole).toDouble(),
                                                 value(row, CandleModel::CloseValueRole).toDouble(),
                                                 value(row, CandleModel::TimeRole).toDouble()));
            }
            m_candles->append(fresh);
        }
    }

    QList<QPointF> closes;
    QList<QPointF> volumes;
    closes.reserve(count);
    volumes.reserve(count * 4);
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    double maxVolume = 0;
    if (rows >= 2)
        m_intervalMs = value(rows - 1, CandleModel::TimeRole).toLongLong()
            - value(rows - 2, CandleModel::TimeRole).toLongLong();
    const double half = std::max<qint64>(1, m_intervalMs) * 0.4;
    for (int row = first; row < end; ++row) {
        const double t = value(row, CandleModel::TimeRole).toDouble();
        const double close = value(row, CandleModel::CloseValueRole).toDouble();
        const double volume = value(row, CandleModel::VolumeValueRole).toDouble();
        lo = std::min(lo, value(row, CandleModel::LowValueRole).toDouble());
        hi = std::max(hi, value(row, CandleModel::HighValueRole).toDouble());
        maxVolume = std::max(maxVolume, volume);
        closes.append(QPointF(t, close));
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

    m_first = first;
    m_count = count;
    m_rebuild = false;
    if (count > 0) {
        const double pad = std::max((hi - lo) * 0.06, std::abs(hi) * 1e-5);
        m_minPrice = lo - pad;
        m_maxPrice = hi + pad;
        m_minTime = value(first, CandleModel::TimeRole).toLongLong() - qint64(m_intervalMs);
        m_maxTime = value(end - 1, CandleModel::TimeRole).toLongLong() + qint64(m_intervalMs);
        m_maxVolume = std::max(maxVolume * 1.15, 1e-9);
        m_lastPrice = value(end - 1, CandleModel::CloseValueRole).toDouble();
    }
    Q_EMIT rangeChanged();
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
