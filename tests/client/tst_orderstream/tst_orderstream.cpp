#include "protocol/codec.h"
#include "client/orderstream.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::OrderStream;
using Verdict = OrderStream::Verdict;

namespace {
QList<protocol::Message> loadFixture(const QString &name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR) + u"/client/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture");
    QList<protocol::Message> messages;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const auto result = protocol::decode(line, protocol::Encoding::Json);
        if (!result.ok())
            qFatal("bad fixture line: %s", qPrintable(result.error.message));
        messages.append(*result.message);
    }
    return messages;
}

protocol::Order order(std::int64_t epoch, std::int64_t seq, const QString &id,
                      const QString &clientId, protocol::OrderStatus status)
{
    protocol::Order o;
    o.epoch = epoch;
    o.seq = seq;
    o.orderId = id;
    o.clientOrderId = clientId;
    o.symbol = u"BTC-USD"_s;
    o.qty = *Decimal::parse(u"1"_s);
    o.price = *Decimal::parse(u"100.00"_s);
    o.status = status;
    return o;
}
} // namespace

class tst_OrderStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replayAfterResumeAppliesOnce();
    void verdicts_data();
    void verdicts();
    void snapshotReplacesState();
    void lostAckIsReconciledFromStream();
    void invalidateDropsResumePoint();
};

void tst_OrderStream::replayAfterResumeAppliesOnce()
{
    // Snapshot, three events, then the server replays 12..13 after a resume, then 14.
    const auto messages = loadFixture(u"orders_resume.ndjson"_s);
    QCOMPARE(messages.size(), 7);
    OrderStream stream;
    QList<Verdict> verdicts;
    for (const auto &message : messages) {
        if (const auto *s = std::get_if<protocol::OrdersSnapshot>(&message))
            stream.apply(*s);
        else if (const auto *o = std::get_if<protocol::Order>(&message))
            verdicts.append(stream.apply(*o));
        else if (const auto *p = std::get_if<protocol::Position>(&message))
            verdicts.append(stream.apply(*p));
    }
    const QList<Verdict> expected{Verdict::Applied,   Verdict::Applied,   Verdict::Applied,
                                  Verdict::Duplicate, Verdict::Duplicate, Verdict::Applied};
    QCOMPARE(verdicts, expected);
    QCOMPARE(stream.resumePoint(), (protocol::ResumePoint{100, 14}));
    QCOMPARE(stream.orders().size(), 2);
    QVERIFY(stream.orders().value(u"o-1"_s).status == protocol::OrderStatus::PartiallyFilled);
    QVERIFY(stream.orders().value(u"o-2"_s).status == protocol::OrderStatus::Cancelled);
    QCOMPARE(stream.positions().value(u"BTC-USD"_s).qty, *Decimal::parse(u"0.2"_s));
}

void tst_OrderStream::verdicts_data()
{
    QTest::addColumn<qint64>("epoch");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<int>("verdict");
    QTest::newRow("next") << qint64(7) << qint64(6) << int(Verdict::Applied);
    QTest::newRow("same") << qint64(7) << qint64(5) << int(Verdict::Duplicate);
    QTest::newRow("older") << qint64(7) << qint64(2) << int(Verdict::Duplicate);
    QTest::newRow("gap") << qint64(7) << qint64(8) << int(Verdict::Gap);
    QTest::newRow("new epoch") << qint64(8) << qint64(6) << int(Verdict::Gap);
}

void tst_OrderStream::verdicts()
{
    QFETCH(qint64, epoch);
    QFETCH(qint64, seq);
    QFETCH(int, verdict);
    OrderStream stream;
    stream.apply(protocol::OrdersSnapshot{7, 5, {}, {}});
    QCOMPARE(int(stream.apply(order(epoch, seq, u"o-9"_s, u"c-9"_s, protocol::OrderStatus::New))),
             verdict);
    // Only an applied event changes the state.
    QCOMPARE(stream.orders().contains(u"o-9"_s), verdict == int(Verdict::Applied));
}

void tst_OrderStream::snapshotReplacesState()
{
    OrderStream stream;
    stream.apply(protocol::OrdersSnapshot{1, 1, {}, {}});
    QCOMPARE(stream.apply(order(1, 2, u"o-1"_s, u"c-1"_s, protocol::OrderStatus::New)),
             Verdict::Applied);
    QCOMPARE(stream.orders().size(), 1);
    stream.apply(protocol::OrdersSnapshot{
        2, 40, {order(2, 39, u"o-5"_s, u"c-5"_s, protocol::OrderStatus::New)}, {}});
    QCOMPARE(stream.orders().keys(), QList<QString>{u"o-5"_s});
    QCOMPARE(stream.resumePoint(), (protocol::ResumePoint{2, 40}));
    QCOMPARE(stream.apply(order(2, 41, u"o-5"_s, u"c-5"_s, protocol::OrderStatus::Cancelled)),
             Verdict::Applied);
}

void tst_OrderStream::lostAckIsReconciledFromStream()
{
    OrderStream stream;
    stream.apply(protocol::OrdersSnapshot{1, 1, {}, {}});
    stream.trackPlaced(u"c-lost"_s);
    stream.trackPlaced(u"c-acked"_s);
    stream.acknowledged(u"c-acked"_s);
    QVERIFY(stream.isUnresolved(u"c-lost"_s));
    QVERIFY(stream.takeReconciled().isEmpty());
    // The connection dropped before the ack; after resume the replay shows the order.
    QCOMPARE(stream.apply(order(1, 2, u"o-7"_s, u"c-lost"_s, protocol::OrderStatus::New)),
             Verdict::Applied);
    QCOMPARE(stream.takeReconciled(), QStringList{u"c-lost"_s});
    QVERIFY(!stream.isUnresolved(u"c-lost"_s));
    QCOMPARE(stream.findByClientOrderId(u"c-lost"_s)->orderId, u"o-7"_s);
    QVERIFY(stream.takeReconciled().isEmpty());
}

void tst_OrderStream::invalidateDropsResumePoint()
{
    OrderStream stream;
    QCOMPARE(stream.resumePoint(), std::nullopt);
    stream.apply(protocol::OrdersSnapshot{3, 9, {}, {}});
    QVERIFY(stream.resumePoint());
    stream.invalidate();
    QCOMPARE(stream.resumePoint(), std::nullopt);
}

QTEST_GUILESS_MAIN(tst_OrderStream)
#include "tst_orderstream.moc"
