#pragma once

#include "protocol/messages.h"
#include "server/exchange/position.h"

#include <QtCore/QHash>
#include <QtCore/QString>

namespace tickwire::exchange {

// The exchange's durable state in SQLite (Qt SQL, WAL journal): every account event, the
// current state of every order, and positions with their cost basis. A commit is one
// transaction; the exchange acknowledges a request only after its commit returned, so a
// process crash (kill -9) never loses an acknowledged order. Used from one thread only (the
// thread that called open()).
class EventStore
{
public:
    struct PositionRow
    {
        QString account;
        QString symbol;
        Position position;
        std::int64_t seq = 0; // the event that last changed it
    };

    struct State
    {
        std::int64_t epoch = 0;
        std::int64_t nextOrderNumber = 1;
        QHash<QString, std::int64_t> lastSeq; // per account
        QList<protocol::Order> orders; // every order, oldest first
        QList<QString> orderAccounts; // the account of each entry of `orders`
        QList<PositionRow> positions;
    };

    struct Commit
    {
        QList<std::pair<QString, protocol::Message>> events; // (account, Order or Position)
        QList<std::pair<QString, protocol::Order>> orders; // upserts of order state
        QList<PositionRow> positions; // upserts
        std::int64_t nextOrderNumber = 0;
    };

    EventStore();
    ~EventStore();
    Q_DISABLE_COPY_MOVE(EventStore)

    // Opens (creating if needed) the store at `path`; an empty path keeps everything in memory
    // with a new epoch. A file that is not a Tickwire state file is refused, untouched.
    [[nodiscard]] bool open(const QString &path, QString *error);
    [[nodiscard]] bool load(State *state, QString *error);
    [[nodiscard]] bool commit(const Commit &commit, QString *error);
    // Events of `account` with seq > `afterSeq`, in order; nullopt when some of them are no
    // longer kept (or on a read error).
    [[nodiscard]] std::optional<QList<protocol::Message>>
    eventsAfter(const QString &account, std::int64_t afterSeq, std::int64_t lastSeq);
    void setKeepEvents(int keep) { m_keepEvents = keep; }
    [[nodiscard]] std::int64_t epoch() const { return m_epoch; }

private:
    bool exec(const QString &sql, QString *error);
    QString m_connection;
    std::int64_t m_epoch = 0;
    int m_keepEvents = 10'000;
};

} // namespace tickwire::exchange
