// ServerList::parse: the comma-separated server lists of tickwire-tap and the dashboard.
#include "client/serverlist.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::client::ServerList;

class tst_ServerList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
};

void tst_ServerList::accepted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<QUrl>>("urls");
    QTest::newRow("one") << u"ws://127.0.0.1:8787/"_s
                         << QList<QUrl>{QUrl(u"ws://127.0.0.1:8787/"_s)};
    QTest::newRow("two in order") << u"wss://b.example:2/,ws://a.example:1/"_s
                                  << QList<QUrl>{QUrl(u"wss://b.example:2/"_s),
                                                 QUrl(u"ws://a.example:1/"_s)};
    QTest::newRow("whitespace") << u"  ws://a:1/ ,\twss://b:2/  "_s
                                << QList<QUrl>{QUrl(u"ws://a:1/"_s), QUrl(u"wss://b:2/"_s)};
    QTest::newRow("same host, other port")
        << u"ws://a:1/,ws://a:2/"_s << QList<QUrl>{QUrl(u"ws://a:1/"_s), QUrl(u"ws://a:2/"_s)};
    QTest::newRow("ipv6") << u"ws://[::1]:8787/"_s << QList<QUrl>{QUrl(u"ws://[::1]:8787/"_s)};
}

void tst_ServerList::accepted()
{
    QFETCH(QString, text);
    QFETCH(QList<QUrl>, urls);
    const ServerList list = ServerList::parse(text);
    QVERIFY2(list.ok(), qPrintable(list.error));
    QCOMPARE(list.urls, urls);
}

void tst_ServerList::refused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("named"); // what the error text must name
    QTest::newRow("empty") << QString() << u"No server"_s;
    QTest::newRow("blank") << u"   "_s << u"No server"_s;
    QTest::newRow("empty element") << u"ws://a:1/,,ws://b:2/"_s << u"Server 2 of"_s;
    QTest::newRow("trailing comma") << u"ws://a:1/,"_s << u"Server 2 of"_s;
    QTest::newRow("leading comma") << u",ws://a:1/"_s << u"Server 1 of"_s;
    QTest::newRow("blank element") << u"ws://a:1/, ,ws://b:2/"_s << u"Server 2 of"_s;
    QTest::newRow("http scheme") << u"ws://a:1/,http://b:2/"_s << u"“http://b:2/”"_s;
    QTest::newRow("no scheme") << u"a.example:8787"_s << u"“a.example:8787”"_s;
    QTest::newRow("no host") << u"ws:///feed"_s << u"“ws:///feed”"_s;
    QTest::newRow("not a url") << u"ws://a:1/,ws://b:port/"_s << u"“ws://b:port/”"_s;
    QTest::newRow("duplicate") << u"ws://a:1/,ws://b:2/,ws://a:1/"_s
                               << u"“ws://a:1/” is listed twice"_s;
    QTest::newRow("duplicate spelled otherwise")
        << u"ws://a:1/,WS://A:1"_s << u"“WS://A:1” is listed twice"_s;
}

void tst_ServerList::refused()
{
    QFETCH(QString, text);
    QFETCH(QString, named);
    const ServerList list = ServerList::parse(text);
    QVERIFY(!list.ok());
    QVERIFY(list.urls.isEmpty());
    QVERIFY2(list.error.contains(named), qPrintable(list.error));
}

QTEST_GUILESS_MAIN(tst_ServerList)
#include "tst_serverlist.moc"
