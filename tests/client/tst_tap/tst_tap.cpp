// tickwire-tap end to end: the real binary against the real tickwire-feed on 127.0.0.1.
#include "protocol/codec.h"
#include "feedprocess.h"

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {
const QStringList FeedArguments{u"--seed"_s, u"5"_s, u"--demo-token"_s, u"T"_s};

QStringList lines(const QByteArray &data)
{
    return QString::fromUtf8(data).split(u'\n', Qt::SkipEmptyParts);
}
} // namespace

class tst_Tap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usageErrors_data();
    void usageErrors();
    void printsEventsAndSurvivesRestart();
};

void tst_Tap::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no url") << QStringList{};
    QTest::newRow("http url") << QStringList{u"http://127.0.0.1:1/"_s};
    QTest::newRow("bad topic") << QStringList{u"ws://127.0.0.1:1/"_s, u"--subscribe"_s,
                                              u"quotes:BTC-USD"_s};
    QTest::newRow("bad count") << QStringList{u"ws://127.0.0.1:1/"_s, u"--count"_s, u"x"_s};
}

void tst_Tap::usageErrors()
{
    QFETCH(QStringList, arguments);
    QProcess tap;
    tap.start(QStringLiteral(TICKWIRE_TAP_EXE), arguments);
    QVERIFY(tap.waitForFinished(10'000));
    QCOMPARE(tap.exitCode(), 2);
    QVERIFY(tap.readAllStandardError().startsWith("tickwire-tap: "));
    QVERIFY(tap.readAllStandardOutput().isEmpty());
}

void tst_Tap::printsEventsAndSurvivesRestart()
{
    testing::FeedProcess feed(QStringLiteral(TICKWIRE_FEED_EXE));
    QVERIFY2(feed.start(FeedArguments), qPrintable(feed.banner()));
    const quint16 port = feed.port();
    QProcess tap;
    tap.start(QStringLiteral(TICKWIRE_TAP_EXE),
              {u"ws://127.0.0.1:%1"_s.arg(port), u"--subscribe"_s, u"ticker:BTC-USD,ETH-USD"_s,
               u"--subscribe"_s, u"book:BTC-USD"_s, u"--stats"_s, u"--duration"_s, u"60"_s});
    QVERIFY(tap.waitForStarted());
    QByteArray out;
    QByteArray err;
    auto read = [&] {
        out += tap.readAllStandardOutput();
        err += tap.readAllStandardError();
    };
    QTRY_VERIFY_WITH_TIMEOUT((read(), lines(out).size() >= 5), 15'000);

    feed.kill();
    QTRY_VERIFY_WITH_TIMEOUT((read(), err.contains("state Reconnecting")), 10'000);
    const qsizetype before = lines(out).size();
    QVERIFY2(feed.start(FeedArguments, port), qPrintable(feed.banner()));
    QTRY_VERIFY_WITH_TIMEOUT((read(), lines(out).size() >= before + 5), 20'000);
    tap.terminate();
    QVERIFY(tap.waitForFinished(10'000));
    read();

    // Every stdout line is one protocol message; books are verified snapshots.
    int books = 0;
    for (const QString &line : lines(out)) {
        const auto decoded = protocol::decode(line.toUtf8(), protocol::Encoding::Json);
        QVERIFY2(decoded.ok(), qPrintable(line));
        if (const auto *book = std::get_if<protocol::Book>(&*decoded.message)) {
            ++books;
            QVERIFY(book->snapshot);
            QCOMPARE(book->symbol, u"BTC-USD"_s);
        }
    }
    QVERIFY(books >= 2);
    const QStringList states = lines(err).filter(u"state "_s);
    QVERIFY2(states.filter(u"state Live"_s).size() >= 2, qPrintable(states.join(u'\n')));
    QVERIFY(
        states.filter(QRegularExpression(u"state Reconnecting attempt=\\d+ delay_ms=\\d+"_s)).size()
        >= 1);
}

QTEST_GUILESS_MAIN(tst_Tap)
#include "tst_tap.moc"
