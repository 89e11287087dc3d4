#include "server/exchange/eventstore.h"

#include "protocol/codec.h"

#include <QtCore/QAtomicInteger>
#include <QtCore/QDateTime>
#include <QtCore/QFileInfo>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

namespace tickwire::exchange {

using namespace Qt::StringLiterals;
using protocol::Encoding;

namespace {

constexpr QLatin1StringView SchemaVersion{"1"};

QString describe(const QSqlError &error)
{
    return error.text().isEmpty() ? u"unknown SQLite error"_s : error.text();
}

QSqlDatabase database(const QString &connection)
{
    return QSqlDatabase::database(connection, false);
}

std::optional<protocol::Order> decodeOrder(const QByteArray &payload)
{
    const protocol::DecodeResult r = protocol::decode(payload, Encoding::Cbor);
    if (!r.ok() || !std::holds_alternative<protocol::Order>(*r.message))
        return std::nullopt;
    return std::get<protocol::Order>(*r.message);
}

} // namespace

EventStore::EventStore()
{
    static QAtomicInteger<int> counter;
    m_connection = u"tickwire-exchange-%1"_s.arg(counter.fetchAndAddRelaxed(1));
}

EventStore::~EventStore()
{
    {
        QSqlDatabase db = database(m_connection);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool EventStore::exec(const QString &sql, QString *error)
{
    QSqlQuery q(database(m_connection));
    if (!q.exec(sql)) {
        *error = describe(q.lastError()) + u" (in: "_s + sql.left(60) + u')';
        return false;
    }
    return true;
}

bool EventStore::open(const QString &path, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s)) {
        *error = u"the Qt SQLite driver (QSQLITE) is not installed"_s;
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(path.isEmpty() ? u":memory:"_s : path);
    if (!db.open()) {
        *error = u"cannot open state file %1: %2"_s.arg(path, describe(db.lastError()));
        return false;
    }
    // A non-database file fails on the first statement; refuse it without writing.
    QSqlQuery probe(db);
    if (!probe.exec(u"SELECT count(*) FROM sqlite_master"_s)) {
        *error = u"%1 is not a Tickwire state file: %2"_s.arg(path, describe(probe.lastError()));
        return false;
    }
    probe.next();
    const bool fresh = probe.value(0).toInt() == 0;
    probe.finish(); // an open statement would keep a read transaction (and block WAL)
    if (!fresh) {
        QSqlQuery version(db);
        if (!version.exec(u"SELECT value FROM meta WHERE key = 'schema'"_s) || !version.next()) {
            *error = u"%1 is an SQLite file but not a Tickwire state file"_s.arg(path);
            return false;
        }
        if (version.value(0).toString() != SchemaVersion) {
            *error = u"%1 has state schema %2; this server understands %3"_s.arg(
                path, version.value(0).toString(), SchemaVersion);
            return false;
        }
        version.finish();
    }
    if (!path.isEmpty() && !exec(u"PRAGMA journal_mode=WAL"_s, error))
        return false;
    // WAL with synchronous=NORMAL: a committed transaction survives a crash of the process.
    if (!exec(u"PRAGMA synchronous=NORMAL"_s, error))
        return false;
    if (fresh) {
        const QStringList schema = {
            u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
            u"CREATE TABLE events (account TEXT NOT NULL, seq INTEGER NOT NULL, payload BLOB NOT "
            u"NULL,"
            " PRIMARY KEY (account, seq)) WITHOUT ROWID"_s,
            u"CREATE TABLE orders (order_id TEXT PRIMARY KEY, account TEXT NOT NULL,"
            " number INTEGER NOT NULL, payload BLOB NOT NULL)"_s,
            u"CREATE TABLE positions (account TEXT NOT NULL, symbol TEXT NOT NULL, qty TEXT NOT "
            u"NULL,"
            " cost TEXT NOT NULL, realized TEXT NOT NULL, seq INTEGER NOT NULL,"
            " PRIMARY KEY (account, symbol)) WITHOUT ROWID"_s,
            u"CREATE TABLE accounts (account TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)"_s,
        };
        if (!db.transaction()) {
            *error = describe(db.lastError());
            return false;
        }
        for (const QString &sql : schema) {
            if (!exec(sql, error)) {
                db.rollback();
                return false;
            }
        }
        const std::int64_t epoch = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery meta(db);
        meta.prepare(u"INSERT INTO meta (key, value) VALUES (?, ?)"_s);
        const QList<std::pair<QString, QString>> rows = {{u"schema"_s, SchemaVersion},
                                                         {u"epoch"_s, QString::number(epoch)},
                                                         {u"next_order_number"_s, u"1"_s}};
        for (const auto &[key, value] : rows) {
            meta.addBindValue(key);
            meta.addBindValue(value);
            if (!meta.exec()) {
                *error = describe(meta.lastError());
                db.rollback();
                return false;
            }
        }
        if (!db.commit()) {
            *error = describe(db.lastError());
            return false;
        }
    }
    QSqlQuery epoch(db);
    if (!epoch.exec(u"SELECT value FROM meta WHERE key = 'epoch'"_s) || !epoch.next()) {
        *error = u"%1 has no epoch: %2"_s.arg(path, describe(epoch.lastError()));
        return false;
    }
    m_epoch = epoch.value(0).toLongLong();
    return true;
}

bool EventStore::load(State *state, QString *error)
{
    QSqlDatabase db = database(m_connection);
    state->epoch = m_epoch;
    QSqlQuery q(db);
    if (!q.exec(u"SELECT value FROM meta WHERE key = 'next_order_number'"_s) || !q.next()) {
        *error = describe(q.lastError());
        return false;
    }
    state->nextOrderNumber = q.value(0).toLongLong();

    if (!q.exec(u"SELECT account, last_seq FROM accounts"_s)) {
        *error = describe(q.lastError());
        return false;
    }
    while (q.next())
        state->lastSeq.insert(q.value(0).toString(), q.value(1).toLongLong());

    if (!q.exec(u"SELECT account, payload, order_id FROM orders ORDER BY number"_s)) {
        *error = describe(q.lastError());
        return false;
    }
    while (q.next()) {
        const auto order = decodeOrder(q.value(1).toByteArray());
        if (!order) {
            *error = u"order %1 in the state file is corrupt"_s.arg(q.value(2).toString());
            return false;
        }
        state->orderAccounts.append(q.value(0).toString());
        state->orders.append(*order);
    }

    if (!q.exec(u"SELECT account, symbol, qty, cost, realized, seq FROM positions"_s)) {
        *error = describe(q.lastError());
        return false;
    }
    while (q.next()) {
        const auto qty = Decimal::parse(QStringView(q.value(2).toString()));
        const auto cost = Decimal::parse(QStringView(q.value(3).toString()));
        const auto realized = Decimal::parse(QStringView(q.value(4).toString()));
        if (!qty || !cost || !realized) {
            *error = u"position %1 %2 in the state file is corrupt"_s.arg(q.value(0).toString(),
                                                                          q.value(1).toString());
            return false;
        }
        state->positions.append(PositionRow{q.value(0).toString(), q.value(1).toString(),
                                            Position(*qty, *cost, *realized),
                                            q.value(5).toLongLong()});
    }
    return true;
}

bool EventStore::commit(const Commit &commit, QString *error)
{
    QSqlDatabase db = database(m_connection);
    if (!db.transaction()) {
        *error = describe(db.lastError());
        return false;
    }
    auto fail = [&](const QSqlQuery &q) {
        *error = describe(q.lastError());
        db.rollback();
        return false;
    };

    QSqlQuery event(db);
    event.prepare(u"INSERT INTO events (account, seq, payload) VALUES (?, ?, ?)"_s);
    QHash<QString, std::int64_t> lastSeq;
    for (const auto &[account, message] : commit.events) {
        const std::int64_t seq = std::visit(
            [](const auto &m) -> std::int64_t {
                if constexpr (requires { m.epoch; })
                    return m.seq;
                else
                    return 0;
            },
            message);
        event.addBindValue(account);
        event.addBindValue(qint64(seq));
        event.addBindValue(protocol::encode(message, Encoding::Cbor));
        if (!event.exec())
            return fail(event);
        lastSeq.insert(account, seq);
    }

    QSqlQuery order(db);
    order.prepare(u"INSERT INTO orders (order_id, account, number, payload) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT (order_id) DO UPDATE SET payload = excluded.payload"_s);
    for (const auto &[account, o] : commit.orders) {
        order.addBindValue(o.orderId);
        order.addBindValue(account);
        order.addBindValue(o.orderId.mid(2).toLongLong()); // "o-N"
        order.addBindValue(protocol::encode(o, Encoding::Cbor));
        if (!order.exec())
            return fail(order);
    }

    QSqlQuery position(db);
    position.prepare(u"INSERT OR REPLACE INTO positions (account, symbol, qty, cost, realized, seq)"
                     " VALUES (?, ?, ?, ?, ?, ?)"_s);
    for (const PositionRow &p : commit.positions) {
        position.addBindValue(p.account);
        position.addBindValue(p.symbol);
        position.addBindValue(p.position.qty().toString());
        position.addBindValue(p.position.cost().toString());
        position.addBindValue(p.position.realizedPnl().toString());
        position.addBindValue(qint64(p.seq));
        if (!position.exec())
            return fail(position);
    }

    QSqlQuery accounts(db);
    accounts.prepare(u"INSERT OR REPLACE INTO accounts (account, last_seq) VALUES (?, ?)"_s);
    QSqlQuery prune(db);
    prune.prepare(u"DELETE FROM events WHERE account = ? AND seq <= ?"_s);
    for (auto it = lastSeq.cbegin(); it != lastSeq.cend(); ++it) {
        accounts.addBindValue(it.key());
        accounts.addBindValue(qint64(it.value()));
        if (!accounts.exec())
            return fail(accounts);
        if (it.value() > m_keepEvents) {
            prune.addBindValue(it.key());
            prune.addBindValue(qint64(it.value() - m_keepEvents));
            if (!prune.exec())
                return fail(prune);
        }
    }

    if (commit.nextOrderNumber > 0) {
        QSqlQuery meta(db);
        meta.prepare(u"UPDATE meta SET value = ? WHERE key = 'next_order_number'"_s);
        meta.addBindValue(QString::number(commit.nextOrderNumber));
        if (!meta.exec())
            return fail(meta);
    }
    if (!db.commit()) {
        *error = describe(db.lastError());
        db.rollback();
        return false;
    }
    return true;
}

std::optional<QList<protocol::Message>>
EventStore::eventsAfter(const QString &account, std::int64_t afterSeq, std::int64_t lastSeq)
{
    QSqlQuery q(database(m_connection));
    q.prepare(u"SELECT seq, payload FROM events WHERE account = ? AND seq > ? ORDER BY seq"_s);
    q.addBindValue(account);
    q.addBindValue(qint64(afterSeq));
    if (!q.exec())
        return std::nullopt;
    QList<protocol::Message> out;
    std::int64_t expected = afterSeq + 1;
    while (q.next()) {
        if (q.value(0).toLongLong() != expected)
            return std::nullopt; // pruned: the events right after afterSeq are gone
        const protocol::DecodeResult r = protocol::decode(q.value(1).toByteArray(), Encoding::Cbor);
        if (!r.ok())
            return std::nullopt;
        out.append(*r.message);
        ++expected;
    }
    if (expected != lastSeq + 1)
        return std::nullopt;
    return out;
}

} // namespace tickwire::exchange
