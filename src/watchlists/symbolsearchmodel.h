#pragma once

#include "protocol/messages.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QList>

namespace tickwire::watchlists {

// Completion for "add symbol": the server's instruments matching a query typed by the user.
// Case-insensitive; matches on the symbol or on any word of the name. Ranking: symbol prefix,
// then name (word) prefix, then symbol substring, then name substring; alphabetical by symbol
// within a rank. An empty query lists every instrument. At most maxResults rows.
//
// Thread: GUI thread. A new query or instrument list replaces the results: that is a true
// reset (the rows are different items), not an edit.
class SymbolSearchModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SymbolSearchModel)
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged FINAL)
    Q_PROPERTY(int maxResults READ maxResults WRITE setMaxResults NOTIFY maxResultsChanged FINAL)
    Q_PROPERTY(int count READ count NOTIFY countChanged FINAL)
    Q_PROPERTY(int instrumentCount READ instrumentCount NOTIFY instrumentsChanged FINAL)

public:
    enum Role {
        SymbolRole = Qt::UserRole + 1,
        NameRole,
        BaseRole,
        QuoteRole,
    };
    Q_ENUM(Role)

    explicit SymbolSearchModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // From the server's `symbols` reply.
    void setInstruments(const QList<protocol::InstrumentInfo> &instruments);
    [[nodiscard]] int instrumentCount() const { return int(m_instruments.size()); }

    [[nodiscard]] QString query() const { return m_query; }
    void setQuery(const QString &query);
    [[nodiscard]] int maxResults() const { return m_maxResults; }
    void setMaxResults(int maxResults); // at least 1
    [[nodiscard]] int count() const { return int(m_results.size()); }
    [[nodiscard]] Q_INVOKABLE QString symbolAt(int row) const;

Q_SIGNALS:
    void queryChanged();
    void maxResultsChanged();
    void countChanged();
    void instrumentsChanged();

private:
    void search();

    QList<protocol::InstrumentInfo> m_instruments;
    QList<qsizetype> m_results; // indices into m_instruments, best first
    QString m_query;
    int m_maxResults = 50;
};

} // namespace tickwire::watchlists
