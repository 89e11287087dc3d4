// ModelRow follows one row of a model, and CellRow and Sparkline read their row through it: what
// they show follows their own row and roles only, survives inserts, moves, removals and resets,
// and a tick of the price flashes a CellRow in the direction's colour.
#include "ui/cellrow.h"
#include "ui/modelrow.h"
#include "ui/sparkline.h"

#include "itemprobe.h"

#include <QtCore/QAbstractListModel>
#include <QtGui/QAccessible>
#include <QtGui/QFont>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using tickwire::ui::CellRow;
using tickwire::ui::ItemProbe;
using tickwire::ui::ModelRow;
using tickwire::ui::Sparkline;

namespace {

// A list model with the roles a watchlist row reads, changed role by role as the real models do.
class RowsModel : public QAbstractListModel
{
public:
    enum Role {
        CellsRole = Qt::UserRole,
        PriceRole,
        DirectionRole,
        TrendRole,
        OtherRole,
        SparklineRole
    };
    struct Row
    {
        QStringList cells;
        QString price;
        int direction = 0;
        double trend = 0;
        QString other;
        QList<qreal> sparkline;
    };

    static Row make(const QString &name)
    {
        return Row{{name + u"-a"_s, name + u"-b"_s}, name + u"-p"_s, 0, 0, {}, {1, 2}};
    }

    explicit RowsModel(QList<Row> rows)
        : m_rows(std::move(rows))
    {
    }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Row &r = m_rows.at(index.row());
        switch (role) {
        case CellsRole:
            return r.cells;
        case PriceRole:
            return r.price;
        case DirectionRole:
            return r.direction;
        case TrendRole:
            return r.trend;
        case OtherRole:
            return r.other;
        case SparklineRole:
            return QVariant::fromValue(r.sparkline);
        }
        return {};
    }
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override
    {
        return {{CellsRole, "cells"}, {PriceRole, "price"}, {DirectionRole, "direction"},
                {TrendRole, "trend"}, {OtherRole, "other"}, {SparklineRole, "sparkline"}};
    }

    void change(int row, const std::function<void(Row &)> &edit, const QList<int> &roles)
    {
        edit(m_rows[row]);
        Q_EMIT dataChanged(index(row), index(row), roles);
    }
    void insert(int at, const Row &row)
    {
        beginInsertRows({}, at, at);
        m_rows.insert(at, row);
        endInsertRows();
    }
    void remove(int at)
    {
        beginRemoveRows({}, at, at);
        m_rows.remove(at);
        endRemoveRows();
    }
    void moveToTop(int from)
    {
        beginMoveRows({}, from, from, {}, 0);
        m_rows.move(from, 0);
        endMoveRows();
    }
    void reset(QList<Row> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }

private:
    QList<Row> m_rows;
};

QList<RowsModel::Row> rows(const QStringList &names)
{
    QList<RowsModel::Row> result;
    for (const QString &name : names)
        result.append(RowsModel::make(name));
    return result;
}

const QColor Base(u"#d7dde5"_s);
const QColor Up(u"#26b67a"_s);
const QColor Down(u"#ef5160"_s);
const QColor UpFlash(u"#5526b67a"_s);
const QColor DownFlash(u"#55ef5160"_s);

// A ModelRow reading `roles` of `row`.
std::unique_ptr<ModelRow> follow(RowsModel *model, const QStringList &roles, int row)
{
    auto follower = std::make_unique<ModelRow>();
    follower->setModel(model);
    follower->setRoleNames(roles);
    follower->setRow(row);
    return follower;
}

// A CellRow as the watchlist has it: a leading symbol cell, then the model's two cells; the
// second column takes the trend colour.
std::unique_ptr<CellRow> watchlistRow(RowsModel *model, int row)
{
    auto item = std::make_unique<CellRow>();
    QVariantMap cell{{u"width"_s, 60}, {u"font"_s, QFont(u"DejaVu Sans Mono"_s)}};
    item->setColumns({cell, cell, cell});
    item->setColors({Base, Base, Base});
    item->setLeading({u"SYM"_s});
    item->setFields({0, 1});
    item->setTrendColumns({1});
    item->setUpColor(Up);
    item->setDownColor(Down);
    item->setUpFlashColor(UpFlash);
    item->setDownFlashColor(DownFlash);
    item->setCellsRole(u"cells"_s);
    item->setTrendRole(u"trend"_s);
    item->setPriceRole(u"price"_s);
    item->setDirectionRole(u"direction"_s);
    item->setModel(model);
    item->setRow(row);
    return item;
}

} // namespace

class tst_ModelRow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<RowsModel>(rows({u"a"_s, u"b"_s, u"c"_s, u"d"_s}));
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void reportsOnlyItsRowAndRoles()
    {
        const auto follower = follow(m_model.get(), {u"cells"_s, u"price"_s, u"missing"_s}, 2);
        ModelRow &row = *follower;
        QSignalSpy changed(&row, &ModelRow::changed);
        m_model->change(1, [](auto &r) { r.cells = {u"x"_s}; }, {RowsModel::CellsRole});
        m_model->change(2, [](auto &r) { r.other = u"x"_s; }, {RowsModel::OtherRole});
        QCOMPARE(changed.count(), 0);
        m_model->change(2, [](auto &r) { r.price = u"x"_s; },
                        {RowsModel::OtherRole, RowsModel::PriceRole});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<ModelRow::RoleMask>(), ModelRow::RoleMask(0b010));
        QCOMPARE(changed.at(0).at(1).toBool(), false);
        QCOMPARE(row.value(1).toString(), u"x"_s);
        QVERIFY(!row.value(2).isValid()); // a name the model does not have
        // A range over the row, and "every role".
        Q_EMIT m_model->dataChanged(m_model->index(0), m_model->index(3), {});
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(1).at(0).value<ModelRow::RoleMask>(), ModelRow::RoleMask(0b111));
        QCOMPARE(row.value(u"other"_s).toString(), u"x"_s);
    }

    void followsItsItemThroughInsertsAndMoves()
    {
        const auto follower = follow(m_model.get(), {u"price"_s}, 2);
        ModelRow &row = *follower;
        QSignalSpy changed(&row, &ModelRow::changed);
        QSignalSpy moved(&row, &ModelRow::rowChanged);
        m_model->insert(0, RowsModel::make(u"new"_s));
        QCOMPARE(row.row(), 3);
        QCOMPARE(row.value(0).toString(), u"c-p"_s);
        m_model->moveToTop(3);
        QCOMPARE(row.row(), 0);
        QCOMPARE(row.value(0).toString(), u"c-p"_s);
        QCOMPARE(moved.count(), 2);
        QCOMPARE(changed.count(), 0); // the same item: nothing to re-read
        row.setRow(0); // a delegate's index catching up with the move
        QCOMPARE(changed.count(), 0);
        row.setRow(1); // another item
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(1).toBool(), true);
        QCOMPARE(row.value(0).toString(), u"new-p"_s);
    }

    void removalAndResetAndDestruction()
    {
        const auto follower = follow(m_model.get(), {u"price"_s}, 1);
        ModelRow &row = *follower;
        QSignalSpy changed(&row, &ModelRow::changed);
        m_model->remove(1);
        QCOMPARE(row.row(), -1);
        QCOMPARE(changed.count(), 1);
        QVERIFY(!row.value(0).isValid());

        row.setRow(0);
        m_model->reset(rows({u"x"_s, u"y"_s}));
        QCOMPARE(row.row(), 0); // the same row number, re-read
        QCOMPARE(changed.count(), 3);
        QCOMPARE(changed.last().at(1).toBool(), true);
        QCOMPARE(row.value(0).toString(), u"x-p"_s);

        m_tester.reset();
        m_model.reset();
        QCOMPARE(row.row(), -1);
        QVERIFY(!row.value(0).isValid());
    }

    void rowAskedBeforeTheModelHasIt()
    {
        const auto follower = follow(m_model.get(), {u"price"_s}, 5);
        ModelRow &row = *follower;
        QCOMPARE(row.row(), -1);
        QSignalSpy changed(&row, &ModelRow::changed);
        m_model->insert(4, RowsModel::make(u"e"_s));
        QCOMPARE(changed.count(), 0);
        m_model->insert(5, RowsModel::make(u"f"_s));
        QCOMPARE(row.row(), 5);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(row.value(0).toString(), u"f-p"_s);
    }

    void cellRowShowsOnlyItsRow()
    {
        const auto item = watchlistRow(m_model.get(), 2);
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u"c-a"_s, u"c-b"_s}));
        const int layouts = probe.layoutCount(item.get());
        m_model->change(1, [](auto &r) { r.cells = {u"x"_s, u"y"_s}; }, {RowsModel::CellsRole});
        m_model->change(2, [](auto &r) { r.cells = {u"x"_s, u"y"_s}; }, {RowsModel::OtherRole});
        QCOMPARE(probe.layoutCount(item.get()), layouts);
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u"c-a"_s, u"c-b"_s}));
        m_model->change(2, [](auto &r) { r.cells = {u"c-a"_s, u"1.5"_s}; }, {RowsModel::CellsRole});
        QCOMPARE(probe.layoutCount(item.get()), layouts + 1); // only the cell that changed
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u"c-a"_s, u"1.5"_s}));
        QCOMPARE(item->value(u"price"_s).toString(), u"c-p"_s);
    }

    void cellRowSurvivesMovesRemovalAndReset()
    {
        const auto item = watchlistRow(m_model.get(), 2);
        QSignalSpy rowChanged(item.get(), &CellRow::rowChanged);
        m_model->moveToTop(2);
        QCOMPARE(item->row(), 0);
        QCOMPARE(rowChanged.count(), 1);
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u"c-a"_s, u"c-b"_s}));
        m_model->change(0, [](auto &r) { r.cells = {u"moved"_s, u""_s}; }, {});
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u"moved"_s, u""_s}));
        m_model->reset(rows({u"x"_s, u"y"_s}));
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u"x-a"_s, u"x-b"_s}));
        m_model->remove(0);
        QCOMPARE(item->row(), -1);
        QCOMPARE(item->texts(), (QStringList{u"SYM"_s, u""_s, u""_s}));
    }

    void cellRowFlashesOnPriceChange_data()
    {
        QTest::addColumn<int>("direction");
        QTest::addColumn<QColor>("color");
        QTest::newRow("up") << 1 << UpFlash;
        QTest::newRow("down") << -1 << DownFlash;
    }
    void cellRowFlashesOnPriceChange()
    {
        QFETCH(int, direction);
        QFETCH(QColor, color);
        const auto item = watchlistRow(m_model.get(), 1);
        QCOMPARE(probe.flashStrength(item.get()), 0.0);
        // The direction alone (it goes back to 0 the frame after a tick) is not a tick.
        m_model->change(1, [&](auto &r) { r.direction = direction; }, {RowsModel::DirectionRole});
        QCOMPARE(probe.flashStrength(item.get()), 0.0);
        // A price change in the same direction as the last one: only the price role changes.
        m_model->change(1, [](auto &r) { r.price = u"1.01"_s; }, {RowsModel::PriceRole});
        QCOMPARE(probe.flashStrength(item.get()), 1.0);
        QCOMPARE(probe.shownFlashColor(item.get()), color);
        // The colour stays while the flash fades, whatever the direction does next.
        m_model->change(1, [](auto &r) { r.direction = 0; }, {RowsModel::DirectionRole});
        QCOMPARE(probe.shownFlashColor(item.get()), color);
        // Showing another item ends the flash; it does not start one.
        item->setRow(2);
        QCOMPARE(probe.flashStrength(item.get()), 0.0);
        // A price change without a direction (the first price) does not flash.
        m_model->change(2, [](auto &r) { r.price = u"2"_s; }, {RowsModel::PriceRole});
        QCOMPARE(probe.flashStrength(item.get()), 0.0);
        // Nor does a role change that leaves the price as it was.
        m_model->change(2, [&](auto &r) { r.direction = direction; },
                        {RowsModel::PriceRole, RowsModel::DirectionRole});
        QCOMPARE(probe.flashStrength(item.get()), 0.0);
    }

    void cellRowTrendColours()
    {
        const auto item = watchlistRow(m_model.get(), 0);
        QCOMPARE(probe.cellColor(item.get(), 1), Base);
        m_model->change(0, [](auto &r) { r.trend = 0.5; }, {RowsModel::TrendRole});
        QCOMPARE(probe.cellColor(item.get(), 1), Up);
        QCOMPARE(probe.cellColor(item.get(), 0), Base);
        QCOMPARE(probe.cellColor(item.get(), 2), Base);
        m_model->change(0, [](auto &r) { r.trend = -2; }, {RowsModel::TrendRole});
        QCOMPARE(probe.cellColor(item.get(), 1), Down);
        m_model->change(0, [](auto &r) { r.trend = 0; }, {RowsModel::TrendRole});
        QCOMPARE(probe.cellColor(item.get(), 1), Base);
        // Another row's trend is its own.
        m_model->change(1, [](auto &r) { r.trend = 1; }, {RowsModel::TrendRole});
        QCOMPARE(probe.cellColor(item.get(), 1), Base);
    }

    // The accessible name is built when read; a tick does not announce it (a QML binding on
    // it would make a string on every tick) unless an accessibility client is active.
    void cellRowNamesItselfWithoutPerTickSignals()
    {
        if (QAccessible::isActive())
            QSKIP("an accessibility client is active: every change is announced");
        const auto item = watchlistRow(m_model.get(), 0);
        QCOMPARE(item->joinedText(), u"SYM, a-a, a-b"_s);
        QSignalSpy named(item.get(), &CellRow::joinedTextChanged);
        m_model->change(0, [](auto &r) { r.cells = {u"1"_s, u"2"_s}; }, {RowsModel::CellsRole});
        QCOMPARE(named.count(), 0);
        QCOMPARE(item->joinedText(), u"SYM, 1, 2"_s);
        item->setRow(1);
        QCOMPARE(named.count(), 1);
        QCOMPARE(item->joinedText(), u"SYM, b-a, b-b"_s);
    }

    void sparklineReadsItsRow()
    {
        Sparkline line;
        line.setColor(Base);
        line.setUpColor(Up);
        line.setDownColor(Down);
        line.setValuesRole(u"sparkline"_s);
        line.setTrendRole(u"trend"_s);
        line.setModel(m_model.get());
        line.setRow(1);
        QCOMPARE(line.values(), (QList<qreal>{1, 2}));
        QCOMPARE(line.color(), Up); // a change of 0 draws as up, as before
        QSignalSpy values(&line, &Sparkline::valuesChanged);
        m_model->change(0, [](auto &r) { r.sparkline = {5, 6}; }, {RowsModel::SparklineRole});
        m_model->change(1, [](auto &r) { r.sparkline = {5, 6}; }, {RowsModel::OtherRole});
        QCOMPARE(values.count(), 0);
        m_model->change(1, [](auto &r) { r.sparkline = {3, 2, 1}; }, {RowsModel::SparklineRole});
        QCOMPARE(line.values(), (QList<qreal>{3, 2, 1}));
        m_model->change(1, [](auto &r) { r.trend = -1; }, {RowsModel::TrendRole});
        QCOMPARE(line.color(), Down);
        m_model->moveToTop(1);
        QCOMPARE(line.row(), 0);
        QCOMPARE(line.values(), (QList<qreal>{3, 2, 1}));
    }

private:
    std::unique_ptr<RowsModel> m_model;
    const ItemProbe probe; // the layout, flash and colour counters, outside the items' API
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(tst_ModelRow)
#include "tst_modelrow.moc"
