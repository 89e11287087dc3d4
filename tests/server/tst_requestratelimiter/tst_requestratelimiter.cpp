// RequestRateLimiter: the bucket's burst and refill, the violation window that decides an abuse
// close, and a clock that does not go forward. Pure arithmetic on given times.
#include "server/requestratelimiter.h"

#include <QtTest/QTest>

using tickwire::server::RequestRateLimiter;

class tst_RequestRateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefused();
    void refillsAtTheRate();
    void neverMoreThanTheBurst();
    void violationsCountWithinASecond();
    void aClockThatStandsStillGivesNoTokens();
};

void tst_RequestRateLimiter::burstThenRefused()
{
    RequestRateLimiter limiter(5, 3, 1000);
    QVERIFY(limiter.admit(1000));
    QVERIFY(limiter.admit(1000));
    QVERIFY(limiter.admit(1000));
    QVERIFY(!limiter.admit(1000));
    QCOMPARE(limiter.violations(), 1);
}

void tst_RequestRateLimiter::refillsAtTheRate()
{
    RequestRateLimiter limiter(10, 1, 0); // one token per 100 ms
    QVERIFY(limiter.admit(0));
    QVERIFY(!limiter.admit(50));
    QVERIFY(!limiter.admit(99));
    // 99 ms of refill were kept: one more millisecond makes a token.
    QVERIFY(limiter.admit(100));
    QVERIFY(!limiter.admit(100));
    int admitted = 0;
    for (std::int64_t t = 101; t <= 1100; ++t)
        admitted += limiter.admit(t);
    QCOMPARE(admitted, 10);
}

void tst_RequestRateLimiter::neverMoreThanTheBurst()
{
    RequestRateLimiter limiter(100, 4, 0);
    int admitted = 0;
    for (int i = 0; i < 10; ++i)
        admitted += limiter.admit(60'000); // a minute idle fills only the bucket
    QCOMPARE(admitted, 4);
    QVERIFY(limiter.tokens() < 1);
}

void tst_RequestRateLimiter::violationsCountWithinASecond()
{
    RequestRateLimiter limiter(1, 1, 0);
    QVERIFY(limiter.admit(0));
    for (int i = 1; i <= 5; ++i) {
        QVERIFY(!limiter.admit(i * 10));
        QCOMPARE(limiter.violations(), i);
    }
    // More than a second after the last refusal the count starts again.
    QVERIFY(limiter.admit(1100)); // refilled
    QVERIFY(!limiter.admit(1100));
    QCOMPARE(limiter.violations(), 1);
    // Refusals less than a second apart keep adding up, however long the run.
    for (std::int64_t t = 1900; t < 6000; t += 800)
        while (limiter.admit(t)) { }
    QVERIFY(limiter.violations() > 5);
}

void tst_RequestRateLimiter::aClockThatStandsStillGivesNoTokens()
{
    RequestRateLimiter limiter(1000, 2, 5000);
    QVERIFY(limiter.admit(5000));
    QVERIFY(limiter.admit(4000)); // earlier than before: no refill, no negative one either
    QVERIFY(!limiter.admit(4000));
    QVERIFY(!limiter.admit(5000));
    QVERIFY(limiter.admit(5001));
}

QTEST_APPLESS_MAIN(tst_RequestRateLimiter)
#include "tst_requestratelimiter.moc"
