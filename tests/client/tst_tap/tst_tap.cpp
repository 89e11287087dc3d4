// tickwire-tap end to end: the real binary against the real tickwire-feed on 127.0.0.1.
#include "protocol/codec.h"
#include "feedprocess.h"

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QTcpServer>
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
    void serverListSkipsADeadServer();
};

void tst_Tap::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no url") << QStringList{};
    QTest::newRow("http url") << QStringList{u"http://127.0.0.1:1/"_s};
    QTest::newRow("bad topic") << QStringList{u"ws://127.0.0.1:1/"_s, u"--subscribe"_s,
                                              u"quotes:BTC-USD"_s};
    QTest::newRow("bad count") << QStringList{u"ws://127.0.0.1:1/"_s, u"--count"_s, u"x"_s};
    QTest::newRow("empty server list") << QStringList{u"--server"_s, u" "_s};
    QTest::newRow("empty server") << QStringList{u"--server"_s,
                                                 u"ws://127.0.0.1:1/,,ws://127.0.0.1:2/"_s};
    QTest::newRow("bad server in list")
        << QStringList{u"--server"_s, u"ws://127.0.0.1:1/,http://127.0.0.1:2/"_s};
    QTest::newRow("repeated server")
        << QStringList{u"ws://127.0.0.1:1/,ws://127.0.0.1:2/,ws://127.0.0.1:1/"_s};
    QTest::newRow("argument and --server")
        << QStringList{u"ws://127.0.0.1:1/"_s, u"--server"_s, u"ws://127.0.0.1:2/"_s};
}

void tst_Tap::usageErrors()
{
    QFETCH(QStringList, arguments);
    QProcess tap;
    tap.start(QStringLiteral(TICKWIRE_TAP_EXE), arguments);
    QVERIFY(tap.waitForFinished(10'000));
    QCOMPARE(tap.exitCode(), 2);
    const QByteArray err = tap.readAllStandardError();
    QVERIFY2(err.startsWith("tickwire-tap: "), err.constData());
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

void tst_Tap::serverListSkipsADeadServer()
{
    QTcpServer closed; // a loopback port nothing listens on once closed
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QString dead = u"ws://127.0.0.1:%1/"_s.arg(closed.serverPort());
    closed.close();
    testing::FeedProcess feed(QStringLiteral(TICKWIRE_FEED_EXE));
    QVERIFY2(feed.start(FeedArguments), qPrintable(feed.banner()));
    const QString live = u"ws://127.0.0.1:%1/"_s.arg(feed.port());

    QProcess tap;
    tap.start(QStringLiteral(TICKWIRE_TAP_EXE),
              {u"--server"_s, dead + u" , "_s + live, u"--subscribe"_s, u"ticker:BTC-USD"_s,
               u"--count"_s, u"3"_s});
    QVERIFY(tap.waitForFinished(20'000));
    const QString err = QString::fromUtf8(tap.readAllStandardError());
    QCOMPARE(tap.exitCode(), 0);
    QCOMPARE(lines(tap.readAllStandardOutput()).size(), 3);
    // The state lines name the server of each state.
    QVERIFY2(
        err.contains(QRegularExpression(u"state Reconnecting attempt=1 delay_ms=\\d+ url=%1"_s.arg(
            QRegularExpression::escape(dead)))),
        qPrintable(err));
    QVERIFY2(err.contains(u"state Live attempt=1 url=%1"_s.arg(live)), qPrintable(err));
}

QTEST_GUILESS_MAIN(tst_Tap)
#include "tst_tap.moc"
