#include "market/chartindicators.h"

#include "market/candlemodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

struct ChartIndicators::Series
{
    explicit Series(const IndicatorSpec &s)
        : spec(s)
        , engine(s)
    {
    }
    IndicatorSpec spec;
    IndicatorEngine engine;
    std::deque<IndicatorPoint> points;
};

namespace {

const std::deque<IndicatorPoint> NoPoints;

bool hasValueRole(const QList<int> &roles)
{
    if (roles.isEmpty())
        return true;
    return std::any_of(roles.begin(), roles.end(), [](int role) {
        return role == CandleModel::TimeRole || role == CandleModel::HighValueRole
               || role == CandleModel::LowValueRole || role == CandleModel::CloseValueRole
               || role == CandleModel::VolumeValueRole;
    });
}

} // namespace

ChartIndicators::ChartIndicators(QObject *parent)
    : QAbstractListModel(parent)
{
}

ChartIndicators::~ChartIndicators() = default;

int ChartIndicators::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_series.size());
}

QHash<int, QByteArray> ChartIndicators::roleNames() const
{
    return {
        {KindRole, "kind"},           {LabelRole, "label"},      {SpecRole, "spec"},
        {PeriodRole, "period"},       {WidthRole, "deviations"}, {FastRole, "fast"},
        {SlowRole, "slow"},           {SignalRole, "signal"},    {OwnPaneRole, "ownPane"},
        {LastValueRole, "lastValue"},
    };
}

QVariant ChartIndicators::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Series &series = *m_series[std::size_t(index.row())];
    const IndicatorSpec &spec = series.spec;
    switch (Role(role)) {
    case KindRole:
        return indicatorKindName(spec.kind);
    case LabelRole:
        return spec.label();
    case SpecRole:
        return spec.toString();
    case PeriodRole:
        return spec.period;
    case WidthRole:
        return spec.k;
    case FastRole:
        return spec.fast;
    case SlowRole:
        return spec.slow;
    case SignalRole:
        return spec.signal;
    case OwnPaneRole:
        return spec.ownPane();
    case LastValueRole:
        return series.points.empty() ? NoValue : series.points.back().values[0];
    }
    return {};
}

void ChartIndicators::setCandles(CandleModel *candles)
{
    if (candles == m_candles)
        return;
    if (m_candles)
        disconnect(m_candles, nullptr, this, nullptr);
    m_candles = candles;
    if (candles) {
        connect(candles, &QAbstractItemModel::modelReset, this, &ChartIndicators::recomputeAll);
        connect(candles, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first, int last) { onInserted(first, last); });
        connect(candles, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex &, int first, int last) { onAboutToRemove(first, last); });
        connect(candles, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex &, int first, int last) { onRemoved(first, last); });
        connect(candles, &QAbstractItemModel::dataChanged, this, &ChartIndicators::onChanged);
        connect(candles, &QAbstractItemModel::rowsMoved, this, &ChartIndicators::recomputeAll);
        connect(candles, &QAbstractItemModel::layoutChanged, this, &ChartIndicators::recomputeAll);
    }
    recomputeAll();
    Q_EMIT candlesChanged();
}

IndicatorCandle ChartIndicators::candleAt(int row) const
{
    const CandleModel::Row &r = m_candles->rowAt(row);
    return IndicatorCandle{qint64(r.t), r.h.toDouble(), r.l.toDouble(), r.c.toDouble(),
                           r.v.toDouble()};
}

void ChartIndicators::recompute(Series &series) const
{
    series.engine.reset();
    series.points.clear();
    const int rows = m_candles ? m_candles->rowCount() : 0;
    for (int row = 0; row < rows; ++row) {
        const IndicatorCandle candle = candleAt(row);
        series.points.push_back(
            {candle.t, row + 1 < rows ? series.engine.push(candle) : series.engine.peek(candle)});
    }
}

void ChartIndicators::recomputeAll()
{
    m_openAbsorbed = false;
    for (const auto &series : m_series)
        recompute(*series);
    emitPoints(true);
}

void ChartIndicators::onInserted(int first, int last)
{
    const int had = m_series.empty() ? first : int(m_series.front()->points.size());
    if (first != had) { // not an append: the model is not what this follows
        recomputeAll();
        return;
    }
    for (const auto &series : m_series) {
        // The open candle is closed now: its final values go into the state.
        if (first > 0 && !m_openAbsorbed)
            series->points.back().values = series->engine.push(candleAt(first - 1));
        for (int row = first; row <= last; ++row) {
            const IndicatorCandle candle = candleAt(row);
            series->points.push_back(
                {candle.t, row < last ? series->engine.push(candle) : series->engine.peek(candle)});
        }
    }
    m_openAbsorbed = false;
    emitPoints(true);
}

void ChartIndicators::onAboutToRemove(int first, int last)
{
    // Removing the open candle (all rows going at once): it counts as closed.
    const int rows = m_candles->rowCount();
    if (last == rows - 1 && first <= last && !m_openAbsorbed) {
        for (const auto &series : m_series)
            series->engine.push(candleAt(last));
        m_openAbsorbed = true;
    }
}

void ChartIndicators::onRemoved(int first, int last)
{
    for (const auto &series : m_series) {
        auto &points = series->points;
        const int end = std::min(int(points.size()), last + 1);
        if (first < end)
            points.erase(points.begin() + first, points.begin() + end);
    }
    emitPoints(true);
}

void ChartIndicators::onChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                const QList<int> &roles)
{
    if (!hasValueRole(roles))
        return;
    const int rows = m_candles->rowCount();
    if (topLeft.row() < rows - 1 || bottomRight.row() < rows - 1) {
        recomputeAll(); // a closed candle changed: the states after it are stale
        return;
    }
    updateOpen();
}

void ChartIndicators::updateOpen()
{
    const int rows = m_candles ? m_candles->rowCount() : 0;
    if (rows == 0 || m_series.empty())
        return;
    const IndicatorCandle candle = candleAt(rows - 1);
    for (const auto &series : m_series) {
        if (int(series->points.size()) != rows) {
            recomputeAll();
            return;
        }
        series->points.back() = {candle.t, series->engine.peek(candle)};
    }
    emitPoints(false);
}

void ChartIndicators::emitPoints(bool history)
{
    if (history)
        ++m_historyRevision;
    if (!m_series.empty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {LastValueRole});
    Q_EMIT pointsChanged(history);
}

QStringList ChartIndicators::specs() const
{
    QStringList out;
    out.reserve(qsizetype(m_series.size()));
    for (const auto &series : m_series)
        out.append(series->spec.toString());
    return out;
}

void ChartIndicators::setSpecs(const QStringList &specs)
{
    std::vector<IndicatorSpec> parsed;
    for (const QString &text : specs) {
        auto result = IndicatorSpec::parse(text);
        if (const QString *why = std::get_if<QString>(&result)) {
            Q_EMIT problem(tr("Indicator \"%1\" left out: %2").arg(text, *why));
            continue;
        }
        if (int(parsed.size()) < MaxIndicators)
            parsed.push_back(std::get<IndicatorSpec>(result));
    }
    const bool same =
        parsed.size() == m_series.size()
        && std::equal(parsed.begin(), parsed.end(), m_series.begin(),
                      [](const IndicatorSpec &a, const auto &b) { return a == b->spec; });
    if (same)
        return;
    beginResetModel();
    m_series.clear();
    for (const IndicatorSpec &spec : parsed) {
        m_series.push_back(std::make_unique<Series>(spec));
        recompute(*m_series.back());
    }
    endResetModel();
    ++m_historyRevision;
    Q_EMIT pointsChanged(true);
    Q_EMIT specsChanged();
}

int ChartIndicators::append(const IndicatorSpec &spec)
{
    if (int(m_series.size()) >= MaxIndicators)
        return -1;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_series.push_back(std::make_unique<Series>(spec));
    recompute(*m_series.back());
    endInsertRows();
    ++m_historyRevision;
    Q_EMIT pointsChanged(true);
    Q_EMIT specsChanged();
    return row;
}

int ChartIndicators::add(const QString &kind)
{
    const std::optional<IndicatorKind> parsed = indicatorKindFromName(kind);
    return parsed ? append(IndicatorSpec::defaults(*parsed)) : -1;
}

void ChartIndicators::remove(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_series.erase(m_series.begin() + row);
    endRemoveRows();
    ++m_historyRevision;
    Q_EMIT pointsChanged(true);
    Q_EMIT specsChanged();
}

QString ChartIndicators::setParameter(int row, const QString &name, double value)
{
    if (row < 0 || row >= rowCount())
        return tr("No such indicator.");
    IndicatorSpec spec = m_series[std::size_t(row)]->spec;
    const bool integral = value == std::floor(value) && std::abs(value) < 1e6;
    int *field = nullptr;
    if (name == "period"_L1)
        field = &spec.period;
    else if (name == "fast"_L1)
        field = &spec.fast;
    else if (name == "slow"_L1)
        field = &spec.slow;
    else if (name == "signal"_L1)
        field = &spec.signal;
    if (field) {
        if (!integral)
            return tr("A period is a whole number of candles.");
        *field = int(value);
    } else if (name == "k"_L1) {
        spec.k = value;
    } else {
        return tr("\"%1\" is not a parameter.").arg(name);
    }
    if (QString why = spec.check(); !why.isEmpty())
        return why;
    Series &series = *m_series[std::size_t(row)];
    if (spec == series.spec)
        return {};
    series = Series(spec);
    recompute(series);
    ++m_historyRevision;
    Q_EMIT dataChanged(index(row), index(row),
                       {LabelRole, SpecRole, PeriodRole, WidthRole, FastRole, SlowRole, SignalRole,
                        LastValueRole});
    Q_EMIT pointsChanged(true);
    Q_EMIT specsChanged();
    return {};
}

IndicatorSpec ChartIndicators::spec(int row) const
{
    return row >= 0 && row < rowCount() ? m_series[std::size_t(row)]->spec : IndicatorSpec{};
}

const std::deque<IndicatorPoint> &ChartIndicators::points(int row) const
{
    return row >= 0 && row < rowCount() ? m_series[std::size_t(row)]->points : NoPoints;
}

} // namespace tickwire::market
