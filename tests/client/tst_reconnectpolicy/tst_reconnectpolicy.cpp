#include "client/reconnectpolicy.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::client::ReconnectOptions;
using tickwire::client::ReconnectPolicy;

class tst_ReconnectPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ceilingDoublesUpToCap_data();
    void ceilingDoublesUpToCap();
    void delaysStayWithinFullJitterBounds_data();
    void delaysStayWithinFullJitterBounds();
    void sameSeedSameSequence();
    void jitterSpreadsDelays();
    void attemptResetsOnlyAfterStableLive();
    void closeCodes_data();
    void closeCodes();
    void resetForgetsFailures();

private:
    std::int64_t m_now = 0;
    ReconnectPolicy::Clock clock()
    {
        return [this] { return m_now; };
    }
};

void tst_ReconnectPolicy::ceilingDoublesUpToCap_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<int>("ceiling");
    QTest::newRow("0") << 0 << 500;
    QTest::newRow("1") << 1 << 1000;
    QTest::newRow("2") << 2 << 2000;
    QTest::newRow("5") << 5 << 16000;
    QTest::newRow("6 capped") << 6 << 30000;
    QTest::newRow("60 capped, no overflow") << 60 << 30000;
}

void tst_ReconnectPolicy::ceilingDoublesUpToCap()
{
    QFETCH(int, attempt);
    QFETCH(int, ceiling);
    const ReconnectPolicy policy(ReconnectOptions{}, 1, clock());
    QCOMPARE(policy.ceilingMs(attempt), ceiling);
}

void tst_ReconnectPolicy::delaysStayWithinFullJitterBounds_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed : {1ULL, 7ULL, 42ULL, 123456789ULL})
        QTest::addRow("seed %llu", seed) << seed;
}

void tst_ReconnectPolicy::delaysStayWithinFullJitterBounds()
{
    QFETCH(quint64, seed);
    ReconnectPolicy policy(ReconnectOptions{}, seed, clock());
    for (int i = 0; i < 20; ++i) {
        const int ceiling = policy.ceilingMs(i);
        const auto decision = policy.next();
        QCOMPARE(decision.action, ReconnectPolicy::Action::Retry);
        QCOMPARE(decision.attempt, i + 1);
        QVERIFY2(
            decision.delayMs >= 0 && decision.delayMs <= ceiling,
            qPrintable(
                u"attempt %1: %2 ms outside [0, %3]"_s.arg(i).arg(decision.delayMs).arg(ceiling)));
    }
    QCOMPARE(policy.attempt(), 20);
}

void tst_ReconnectPolicy::sameSeedSameSequence()
{
    ReconnectPolicy a(ReconnectOptions{}, 99, clock());
    ReconnectPolicy b(ReconnectOptions{}, 99, clock());
    ReconnectPolicy c(ReconnectOptions{}, 100, clock());
    QList<int> da, db, dc;
    for (int i = 0; i < 10; ++i) {
        da.append(a.next().delayMs);
        db.append(b.next().delayMs);
        dc.append(c.next().delayMs);
    }
    QCOMPARE(da, db);
    QVERIFY(da != dc);
}

void tst_ReconnectPolicy::jitterSpreadsDelays()
{
    // Full jitter: at the cap, delays spread over the whole window, not clustered at the top.
    ReconnectOptions options;
    options.baseMs = 1000;
    options.capMs = 1000;
    ReconnectPolicy policy(options, 5, clock());
    int low = 0;
    int high = 0;
    for (int i = 0; i < 200; ++i) {
        const int delay = policy.next().delayMs;
        low += delay < 250;
        high += delay > 750;
    }
    QVERIFY(low > 20);
    QVERIFY(high > 20);
}

void tst_ReconnectPolicy::attemptResetsOnlyAfterStableLive()
{
    ReconnectPolicy policy(ReconnectOptions{}, 3, clock());
    m_now = 1000;
    (void)policy.next();
    (void)policy.next();
    (void)policy.next();
    QCOMPARE(policy.attempt(), 3);

    // Accepted, then dropped after 2 s: still counts as failing, the backoff keeps growing.
    policy.markLive();
    m_now += 2000;
    const auto early = policy.next();
    QCOMPARE(early.attempt, 4);
    QCOMPARE(policy.attempt(), 4);

    // Live for the full 10 s: the counter starts over.
    policy.markLive();
    m_now += 9999;
    QCOMPARE(policy.attempt(), 4);
    m_now += 1;
    QCOMPARE(policy.attempt(), 0);
    const auto later = policy.next();
    QCOMPARE(later.attempt, 1);
    QVERIFY(later.delayMs <= 500);
}

void tst_ReconnectPolicy::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("authFailed");
    QTest::addColumn<int>("minDelay");
    QTest::addColumn<int>("maxDelay");
    // after 6 failures the normal ceiling is the 30 s cap
    QTest::newRow("1001 going away: soon") << 1001 << QString() << false << 0 << 1000;
    QTest::newRow("1008 auth") << 1008 << u"unauthorized: bad token"_s << true << 0 << 0;
    QTest::newRow("1008 other policy") << 1008 << u"too many messages"_s << false << 0 << 30000;
    QTest::newRow("1013 try later: at least cap") << 1013 << QString() << false << 30000 << 30500;
    QTest::newRow("1006 abnormal") << 1006 << QString() << false << 0 << 30000;
}

void tst_ReconnectPolicy::closeCodes()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(bool, authFailed);
    QFETCH(int, minDelay);
    QFETCH(int, maxDelay);
    ReconnectPolicy policy(ReconnectOptions{}, 11, clock());
    for (int i = 0; i < 6; ++i)
        (void)policy.next();
    const auto decision = policy.next(code, reason);
    QCOMPARE(decision.action == ReconnectPolicy::Action::AuthFailed, authFailed);
    QVERIFY2(decision.delayMs >= minDelay && decision.delayMs <= maxDelay,
             qPrintable(QString::number(decision.delayMs)));
}

void tst_ReconnectPolicy::resetForgetsFailures()
{
    ReconnectPolicy policy(ReconnectOptions{}, 2, clock());
    for (int i = 0; i < 8; ++i)
        (void)policy.next();
    policy.reset();
    QCOMPARE(policy.attempt(), 0);
    QVERIFY(policy.next().delayMs <= 500);
}

QTEST_GUILESS_MAIN(tst_ReconnectPolicy)
#include "tst_reconnectpolicy.moc"
