#pragma once

#include "market/quotemodel.h"

#include <QtCore/QAbstractProxyModel>

#include <optional>
#include <vector>

namespace tickwire::market {

// The watchlist as shown: QuoteModel's rows (the user's order) sorted by one of its typed
// values, or unsorted. A re-sort announces single-row moves, as few as the new order needs,
// never a layout change or a reset, so a view keeps its delegates, current row and scroll
// position, and persistent indexes follow their symbols. Keys are exact Decimals read with
// QuoteModel::value(), never display text; a symbol without a value (no ticker yet, rejected)
// sorts after every value in both directions; ties keep the user's order.
// Rows inserted into the source appear at the end until the next resort(); a sorted view is
// re-sorted on request (the caller decides how often rows may move under the user's mouse).
// GUI thread only.
class QuoteSortModel : public QAbstractProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuoteSortModel)
    Q_PROPERTY(bool sorted READ isSorted NOTIFY sortChanged FINAL)
    Q_PROPERTY(int sparklineLength READ sparklineLength CONSTANT FINAL)
    // The column name of each text cell of the `cells` role, in order (QuoteModel::cellNames).
    Q_PROPERTY(QStringList cellNames READ cellNames CONSTANT FINAL)

public:
    explicit QuoteSortModel(QuoteModel *source, QObject *parent = nullptr);

    // nullopt restores the user's order. Roles without a typed value are refused (false).
    bool setSort(std::optional<QuoteModel::Role> role, bool descending);
    [[nodiscard]] std::optional<QuoteModel::Role> sortRole() const { return m_role; }
    [[nodiscard]] bool isDescending() const { return m_descending; }
    [[nodiscard]] bool isSorted() const { return m_role.has_value(); }
    // Reads the keys again and moves rows into their order (no-op when unsorted).
    void resort();

    [[nodiscard]] static int sparklineLength() { return QuoteModel::SparklineLength; }
    [[nodiscard]] static QStringList cellNames() { return QuoteModel::cellNames(); }
    [[nodiscard]] QuoteModel *quotes() const { return m_source; }

    [[nodiscard]] QModelIndex index(int row, int column,
                                    const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    [[nodiscard]] QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void sortChanged();

private:
    // Where each source row belongs: the unsorted order, or sorted by the keys.
    [[nodiscard]] std::vector<int> targetOrder() const;
    void rebuildIndex();
    void forwardDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                            const QList<int> &roles);
    void sourceRowsInserted(int first, int last);
    void sourceRowsAboutToBeRemoved(int first, int last);
    void sourceRowsRemoved(int first, int last);
    void sourceRowsAboutToBeMoved(int first, int last, int destination);
    void sourceRowsMoved(int first, int last, int destination);

    QuoteModel *m_source;
    std::optional<QuoteModel::Role> m_role;
    bool m_descending = false;
    std::vector<int> m_toSource; // proxy row -> source row
    std::vector<int> m_fromSource; // source row -> proxy row
    bool m_forwardingMove = false;
};

} // namespace tickwire::market
