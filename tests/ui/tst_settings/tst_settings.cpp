// UserSettings: its QSettings round trip, the command-line overrides, value checks, and where
// the token goes. CTest runs this twice: bare (D-Bus pointed at nothing, as on a machine
// without a keychain service) and under tests/ui/with-keyring.sh (a private gnome-keyring,
// TICKWIRE_TEST_KEYCHAIN=1). The token tests assert what each of those must do.
#include "exchanges/livesource.h"
#include "server/feedserver.h"
#include "ui/dashboard.h"
#include "ui/marketsourcemodel.h"
#include "ui/tokenvault.h"
#include "ui/usersettings.h"

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using ui::UserSettings;
using Storage = ui::UserSettings::TokenStorage;

namespace {

const QString Service = u"TickwireTest"_s;

bool hasKeychain()
{
    return qEnvironmentVariableIsSet("TICKWIRE_TEST_KEYCHAIN");
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_Settings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTrip();
    void migratesTheSingleServer();
    void checksTheServerListAsTyped();
    void overridesAreNotSaved();
    void demoOverride();
    void sameValueWritesDoNotNotify();
    void refusesBadValues_data();
    void refusesBadValues();
    void ignoresBadValuesInTheFile();
    void tokenNeverInTheFile();
    void plainTextTokenMigration();
    void commandLineToken();
    void dashboardConnectsWithoutTokenInFile();
    void dashboardWaitsForTheKeychain();
    void dashboardWithoutDemoFeedSaysSo();
    void marketSourceRoundTrip();
    void marketSourceRefusals_data();
    void marketSourceRefusals();
    void marketSourceOverride();
    void marketSourceModel();
    void bookGroupingPerSymbol();

private:
    std::unique_ptr<UserSettings> make(const ui::StartupOptions &overrides = {});
    static void waitForToken(const UserSettings &settings);
    void eraseKeychain(const QString &service);

    QTemporaryDir m_dir;
    QString m_file;
};

void tst_Settings::init()
{
    m_file = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".ini"_s);
    QFile::remove(m_file);
    eraseKeychain(Service);
}

void tst_Settings::eraseKeychain(const QString &service)
{
    ui::TokenVault vault(service, u"feed-token"_s);
    QSignalSpy done(&vault, &ui::TokenVault::writeFinished);
    vault.write({});
    QVERIFY(done.wait(10000));
    const auto result = done.first().first().value<ui::TokenVault::Result>();
    QCOMPARE(result.status == ui::TokenVault::Status::Stored, hasKeychain());
}

// A build whose main() hands the dashboard no demo feed, with no server configured: the user is
// told, and sent to the settings, instead of a silent empty screen.
void tst_Settings::dashboardWithoutDemoFeedSaysSo()
{
    ui::StartupOptions demo;
    demo.forceEmbedded = true; // whatever earlier tests saved: the demo feed
    ui::Dashboard::setStartupOptions(demo);
    ui::Dashboard::setDemoFeedFactory({});
    ui::Dashboard dashboard;
    QVERIFY(dashboard.settings()->serverUrl().isEmpty());
    QSignalSpy toasts(&dashboard, &ui::Dashboard::toast);
    QSignalSpy settingsAsked(&dashboard, &ui::Dashboard::openSettingsRequested);
    dashboard.start();
    QCOMPARE(settingsAsked.size(), 1);
    QCOMPARE(toasts.size(), 1);
    QCOMPARE(toasts.first().at(0).toString(), u"error"_s);
    QVERIFY2(toasts.first().at(1).toString().contains(u"no demo feed"_s),
             qPrintable(toasts.first().at(1).toString()));
    QVERIFY(!dashboard.isEmbedded());
    QCOMPARE(dashboard.feed()->state(), client::FeedClient::State::Disconnected);
}

std::unique_ptr<UserSettings> tst_Settings::make(const ui::StartupOptions &overrides)
{
    return std::make_unique<UserSettings>(overrides, m_file, Service);
}

void tst_Settings::waitForToken(const UserSettings &settings)
{
    QTRY_VERIFY_WITH_TIMEOUT(settings.isTokenReady(), 10000);
}

void tst_Settings::roundTrip()
{
    {
        auto settings = make();
        QCOMPARE(settings->servers(), QStringList());
        QCOMPARE(settings->theme(), u"dark"_s);
        QCOMPARE(settings->encoding(), u"json"_s);
        QCOMPARE(settings->setServers({u"ws://a.invalid:1/"_s, u"wss://b.invalid:2/"_s}),
                 QString());
        QCOMPARE(settings->setTheme(u"light"_s), QString());
        // The dialog's field is the whole list, in order, comma-separated.
        QCOMPARE(settings->connectTo(u" wss://b.invalid:2/ ,ws://a.invalid:1/"_s, {}, u"cbor"_s),
                 QString());
        QCOMPARE(settings->servers(),
                 (QStringList{u"wss://b.invalid:2/"_s, u"ws://a.invalid:1/"_s}));
        QCOMPARE(settings->serverList(), u"wss://b.invalid:2/, ws://a.invalid:1/"_s);
        QCOMPARE(settings->serverUrls(),
                 (QList<QUrl>{QUrl(u"wss://b.invalid:2/"_s), QUrl(u"ws://a.invalid:1/"_s)}));
    }
    auto again = make();
    QCOMPARE(again->servers(), (QStringList{u"wss://b.invalid:2/"_s, u"ws://a.invalid:1/"_s}));
    QCOMPARE(again->server(), u"wss://b.invalid:2/"_s);
    QCOMPARE(again->theme(), u"light"_s);
    QCOMPARE(again->encoding(), u"cbor"_s);
    QCOMPARE(again->wireEncoding(), protocol::Encoding::Cbor);
    QCOMPARE(again->fileName(), m_file);
}

void tst_Settings::migratesTheSingleServer()
{
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(u"server/url"_s, u"ws://old.invalid:8787/"_s);
    }
    auto settings = make();
    QCOMPARE(settings->servers(), QStringList{u"ws://old.invalid:8787/"_s});
    QSettings file(m_file, QSettings::IniFormat);
    QVERIFY(!file.contains(u"server/url"_s));
    QCOMPARE(file.value(u"server/urls"_s).toStringList(), QStringList{u"ws://old.invalid:8787/"_s});
}

void tst_Settings::checksTheServerListAsTyped()
{
    auto settings = make();
    QCOMPARE(settings->checkServerList({}), QString()); // the demo feed
    QCOMPARE(settings->checkServerList(u"  "_s), QString());
    QCOMPARE(settings->checkServerList(u"ws://a.invalid:1/, wss://b.invalid:2/"_s), QString());
    QVERIFY(settings->checkServerList(u"ws://a.invalid:1/, http://b.invalid/"_s)
                .contains(u"http://b.invalid/"_s));
    QVERIFY(settings->checkServerList(u"ws://a.invalid:1/,"_s).contains(u"empty"_s));
    QVERIFY(
        settings->checkServerList(u"ws://a.invalid:1/,ws://a.invalid:1/"_s).contains(u"twice"_s));
}

void tst_Settings::overridesAreNotSaved()
{
    {
        auto settings = make();
        QCOMPARE(settings->connectTo(u"ws://saved.invalid:1/"_s, {}, u"json"_s), QString());
        QCOMPARE(settings->setTheme(u"dark"_s), QString());
    }
    const QByteArray before = fileBytes(m_file);
    ui::StartupOptions overrides;
    overrides.servers = {QUrl(u"ws://cli.invalid:9/"_s), QUrl(u"ws://cli2.invalid:9/"_s)};
    overrides.token = u"cli-token-123"_s;
    overrides.theme = u"light"_s;
    {
        auto settings = make(overrides);
        QCOMPARE(settings->servers(),
                 (QStringList{u"ws://cli.invalid:9/"_s, u"ws://cli2.invalid:9/"_s}));
        QCOMPARE(settings->token(), u"cli-token-123"_s);
        QCOMPARE(settings->theme(), u"light"_s);
        waitForToken(*settings);
        QCOMPARE(settings->tokenStorage(), Storage::CommandLine);
        QVERIFY(settings->tokenNote().contains(u"--token"_s));
        // The dialog's OK with the overridden values unchanged keeps them overrides.
        QSignalSpy connect(settings.get(), &UserSettings::connectRequested);
        QCOMPARE(settings->connectTo(u"ws://cli.invalid:9/, ws://cli2.invalid:9/"_s,
                                     u"cli-token-123"_s, u"json"_s),
                 QString());
        QCOMPARE(connect.size(), 1);
        QCOMPARE(settings->setTheme(u"light"_s), QString());
        QCOMPARE(settings->tokenStorage(), Storage::CommandLine);
    }
    QCOMPARE(fileBytes(m_file), before);
    auto after = make();
    QCOMPARE(after->servers(), QStringList{u"ws://saved.invalid:1/"_s});
    QCOMPARE(after->theme(), u"dark"_s);
    waitForToken(*after);
    QCOMPARE(after->token(), QString());
}

void tst_Settings::demoOverride()
{
    make()->setServers({u"ws://saved.invalid:1/"_s});
    ui::StartupOptions overrides;
    overrides.forceEmbedded = true;
    {
        auto settings = make(overrides);
        QCOMPARE(settings->servers(), QStringList());
        QVERIFY(settings->serverUrl().isEmpty());
        QCOMPARE(settings->connectTo({}, {}, u"json"_s), QString()); // still the demo: not saved
    }
    QCOMPARE(make()->servers(), QStringList{u"ws://saved.invalid:1/"_s});
}

void tst_Settings::sameValueWritesDoNotNotify()
{
    auto settings = make();
    waitForToken(*settings);
    QCOMPARE(settings->connectTo(u"ws://a.invalid:1/"_s, u"t-1"_s, u"cbor"_s), QString());
    QTRY_VERIFY(settings->tokenStorage() != Storage::Reading);
    QSignalSpy servers(settings.get(), &UserSettings::serversChanged);
    QSignalSpy token(settings.get(), &UserSettings::tokenChanged);
    QSignalSpy encoding(settings.get(), &UserSettings::encodingChanged);
    QSignalSpy theme(settings.get(), &UserSettings::themeChanged);
    QCOMPARE(settings->setTheme(u"dark"_s), QString());
    QCOMPARE(settings->setServers({u"ws://a.invalid:1/"_s}), QString());
    QCOMPARE(settings->connectTo(u" ws://a.invalid:1/ "_s, u"t-1"_s, u"cbor"_s), QString());
    QCOMPARE(servers.size(), 0);
    QCOMPARE(token.size(), 0);
    QCOMPARE(encoding.size(), 0);
    QCOMPARE(theme.size(), 0);
    QCOMPARE(settings->setTheme(u"light"_s), QString());
    QCOMPARE(theme.size(), 1);
}

void tst_Settings::refusesBadValues_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("value");
    QTest::newRow("theme") << u"theme"_s << u"purple"_s;
    QTest::newRow("theme case") << u"theme"_s << u"Dark"_s;
    QTest::newRow("encoding") << u"encoding"_s << u"xml"_s;
    QTest::newRow("http server") << u"server"_s << u"http://host.invalid/"_s;
    QTest::newRow("no host") << u"server"_s << u"ws://"_s;
    QTest::newRow("bad port") << u"server"_s << u"ws://host.invalid:99999/"_s;
    QTest::newRow("not a url") << u"server"_s << u"host with spaces"_s;
    QTest::newRow("server list") << u"servers"_s << u"ws://ok.invalid/ ftp://x.invalid/"_s;
    // The dialog's comma-separated list: the error names the bad entry.
    QTest::newRow("list: bad entry") << u"server"_s << u"ws://ok.invalid/, ftp://x.invalid/"_s;
    QTest::newRow("list: empty entry") << u"server"_s << u"ws://ok.invalid/,,ws://b.invalid/"_s;
    QTest::newRow("list: repeat") << u"server"_s << u"ws://ok.invalid/, ws://ok.invalid/"_s;
}

void tst_Settings::refusesBadValues()
{
    QFETCH(QString, what);
    QFETCH(QString, value);
    auto settings = make();
    QCOMPARE(settings->setServers({u"ws://good.invalid:1/"_s}), QString());
    const QByteArray before = fileBytes(m_file);
    QSignalSpy servers(settings.get(), &UserSettings::serversChanged);
    QSignalSpy theme(settings.get(), &UserSettings::themeChanged);
    QSignalSpy encoding(settings.get(), &UserSettings::encodingChanged);
    QSignalSpy connect(settings.get(), &UserSettings::connectRequested);
    QString error;
    if (what == u"theme"_s)
        error = settings->setTheme(value);
    else if (what == u"encoding"_s)
        error = settings->connectTo(u"ws://good.invalid:1/"_s, {}, value);
    else if (what == u"server"_s)
        error = settings->connectTo(value, {}, u"json"_s);
    else
        error = settings->setServers(value.split(u' '));
    QVERIFY2(!error.isEmpty(), "accepted");
    QVERIFY2(error.contains(value.split(u' ').last()), qPrintable(error)); // says which value
    QCOMPARE(servers.size() + theme.size() + encoding.size() + connect.size(), 0);
    QCOMPARE(settings->servers(), QStringList{u"ws://good.invalid:1/"_s});
    QCOMPARE(settings->theme(), u"dark"_s);
    QCOMPARE(settings->encoding(), u"json"_s);
    QCOMPARE(fileBytes(m_file), before);
}

void tst_Settings::ignoresBadValuesInTheFile()
{
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(u"ui/theme"_s, u"purple"_s);
        file.setValue(u"server/encoding"_s, u"xml"_s);
        file.setValue(u"server/urls"_s,
                      QStringList{u"http://bad.invalid/"_s, u"ws://good.invalid/"_s});
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"purple"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"xml"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"http://bad.invalid/"_s));
    auto settings = make();
    QCOMPARE(settings->theme(), u"dark"_s);
    QCOMPARE(settings->encoding(), u"json"_s);
    QCOMPARE(settings->servers(), QStringList{u"ws://good.invalid/"_s});
}

void tst_Settings::tokenNeverInTheFile()
{
    const QString secret = u"secret-token-4711"_s;
    {
        auto settings = make();
        waitForToken(*settings);
        QCOMPARE(settings->connectTo(u"ws://a.invalid:1/"_s, secret, u"json"_s), QString());
        QCOMPARE(settings->token(), secret);
        const Storage expected = hasKeychain() ? Storage::Keychain : Storage::Session;
        QTRY_COMPARE_WITH_TIMEOUT(settings->tokenStorage(), expected, 10000);
        if (hasKeychain()) {
            QCOMPARE(settings->tokenNote(), QString());
        } else {
            QVERIFY2(settings->tokenNote().contains(u"session only"_s),
                     qPrintable(settings->tokenNote()));
        }
    }
    QVERIFY(!fileBytes(m_file).isEmpty());
    QVERIFY(!fileBytes(m_file).contains(secret.toUtf8()));
    auto next = make();
    waitForToken(*next);
    // With a keychain the next run has the token; without one it is gone with the session.
    QCOMPARE(next->token(), hasKeychain() ? secret : QString());
}

void tst_Settings::plainTextTokenMigration()
{
    const QString legacy = u"legacy-token-0815"_s;
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(u"server/url"_s, u"ws://old.invalid:1/"_s);
        file.setValue(u"server/token"_s, legacy);
    }
    auto settings = make();
    QCOMPARE(settings->tokenStorage(), Storage::Reading);
    waitForToken(*settings);
    QCOMPARE(settings->token(), legacy);
    if (hasKeychain()) {
        // Moved: in the keychain first, then gone from the file.
        QTRY_VERIFY_WITH_TIMEOUT(!settings->hasPlainTextToken(), 10000);
        QCOMPARE(settings->tokenStorage(), Storage::Keychain);
        QVERIFY(!fileBytes(m_file).contains(legacy.toUtf8()));
        settings.reset();
        auto next = make();
        waitForToken(*next);
        QCOMPARE(next->token(), legacy);
        QCOMPARE(next->tokenStorage(), Storage::Keychain);
    } else {
        // Nowhere safe to move it: used for this session, left in the file, and said so.
        QCOMPARE(settings->tokenStorage(), Storage::Session);
        QVERIFY(settings->hasPlainTextToken());
        QVERIFY2(settings->tokenNote().contains(u"plain text"_s),
                 qPrintable(settings->tokenNote()));
        QVERIFY2(settings->tokenNote().contains(m_file), qPrintable(settings->tokenNote()));
        QVERIFY(fileBytes(m_file).contains(legacy.toUtf8()));
    }
}

void tst_Settings::commandLineToken()
{
    // --token never reaches the keychain nor the file, with or without a keychain.
    ui::StartupOptions overrides;
    overrides.token = u"cli-only-token"_s;
    {
        auto settings = make(overrides);
        QCOMPARE(settings->token(), u"cli-only-token"_s);
        QVERIFY(settings->isTokenReady()); // nothing to wait for
        QTest::qWait(200);
        QCOMPARE(settings->token(), u"cli-only-token"_s);
    }
    QVERIFY(!fileBytes(m_file).contains("cli-only-token"));
    auto next = make();
    waitForToken(*next);
    QCOMPARE(next->token(), QString());
}

void tst_Settings::dashboardConnectsWithoutTokenInFile()
{
    // The whole path: the user enters a server and a token in the dialog, the dashboard
    // connects with them (the server names the account), and the settings file has no token.
    server::FeedServerOptions options;
    options.port = 0;
    options.demoToken = u"e2e-token-5f3a9c"_s;
    server::FeedServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    ui::Dashboard::setStartupOptions({});
    QString file;
    {
        ui::Dashboard dashboard;
        file = dashboard.settings()->fileName();
        QVERIFY2(file.startsWith(m_dir.path())
                     || file.startsWith(qEnvironmentVariable("XDG_CONFIG_HOME")),
                 qPrintable(file));
        QCOMPARE(
            dashboard.settings()->connectTo(server.url().toString(), server.demoToken(), u"json"_s),
            QString());
        QTRY_COMPARE_WITH_TIMEOUT(dashboard.feed()->account(), u"demo"_s, 15000);
        QCOMPARE(dashboard.feed()->options().token, server.demoToken());
        QTRY_COMPARE_WITH_TIMEOUT(dashboard.settings()->tokenStorage(),
                                  hasKeychain() ? Storage::Keychain : Storage::Session, 10000);
        QVERIFY(!fileBytes(file).contains(server.demoToken().toUtf8()));
    }
    // And after the dashboard saved everything on its way out.
    const QByteArray bytes = fileBytes(file);
    QVERIFY(bytes.contains(server.url().toString().toUtf8()));
    QVERIFY(!bytes.contains(server.demoToken().toUtf8()));
    server.stop();
}

void tst_Settings::dashboardWaitsForTheKeychain()
{
    // A saved server whose token is in the keychain: start() must wait for the keychain's
    // answer and connect with the token (the account proves it), not connect without it.
    if (!hasKeychain())
        QSKIP("needs the keychain (the with-keyring run)");
    server::FeedServerOptions options;
    options.port = 0;
    options.demoToken = u"keychain-token-77aa"_s;
    server::FeedServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    {
        ui::Dashboard dashboard;
        QCOMPARE(
            dashboard.settings()->connectTo(server.url().toString(), server.demoToken(), u"json"_s),
            QString());
        QTRY_COMPARE_WITH_TIMEOUT(dashboard.settings()->tokenStorage(), Storage::Keychain, 10000);
    }
    ui::Dashboard dashboard;
    QCOMPARE(dashboard.settings()->tokenStorage(), Storage::Reading);
    dashboard.start();
    QCOMPARE(dashboard.feed()->state(), client::FeedClient::State::Disconnected); // waiting
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.feed()->account(), u"demo"_s, 15000);
    QCOMPARE(dashboard.feed()->options().token, server.demoToken());
    eraseKeychain(u"Tickwire"_s);
    server.stop();
}

void tst_Settings::marketSourceRoundTrip()
{
    const QString exchange = exchanges::liveExchanges().first();
    {
        auto settings = make();
        QCOMPARE(settings->marketSource(), u"sim"_s); // the default: the simulation
        QCOMPARE(settings->demoFeedOptions(), ui::DemoFeedOptions());
        QSignalSpy changed(settings.get(), &UserSettings::marketSourceChanged);
        // As typed: case, spaces, empty entries and a repeat are tidied.
        QCOMPARE(settings->setMarketSource(exchange, u" btc-usdt, ETH-USDT,, BTC-USDT "_s),
                 QString());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(settings->marketSource(), exchange);
        QCOMPARE(settings->sourceSymbols(), (QStringList{u"BTC-USDT"_s, u"ETH-USDT"_s}));
        QCOMPARE(settings->symbolsText(exchange), u"BTC-USDT, ETH-USDT"_s);
        // The same again is silent.
        QCOMPARE(settings->setMarketSource(exchange, u"BTC-USDT,ETH-USDT"_s), QString());
        QCOMPARE(changed.size(), 1);
        const ui::DemoFeedOptions options = settings->demoFeedOptions();
        QCOMPARE(options.source, exchange);
        QCOMPARE(options.symbols, (QStringList{u"BTC-USDT"_s, u"ETH-USDT"_s}));
        QVERIFY(options.webSocketBase.isEmpty()); // the exchange's own
    }
    {
        auto settings = make();
        QCOMPARE(settings->marketSource(), exchange);
        QCOMPARE(settings->sourceSymbols(), (QStringList{u"BTC-USDT"_s, u"ETH-USDT"_s}));
        // Back to the simulation: the exchange keeps its symbols for next time.
        QSignalSpy changed(settings.get(), &UserSettings::marketSourceChanged);
        QCOMPARE(settings->setMarketSource(u"sim"_s, QString()), QString());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(settings->sourceSymbols(), QStringList());
        QCOMPARE(settings->demoFeedOptions(), ui::DemoFeedOptions());
        QCOMPARE(settings->symbolsText(exchange), u"BTC-USDT, ETH-USDT"_s);
        // Empty symbols: the exchange's defaults.
        QCOMPARE(settings->setMarketSource(exchange, u" "_s), QString());
        QCOMPARE(settings->sourceSymbols(), QStringList());
    }
    QCOMPARE(make()->sourceSymbols(), QStringList());
}

void tst_Settings::marketSourceRefusals_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("symbols");
    QTest::addColumn<QString>("named"); // what the reason must quote

    const QString exchange = exchanges::liveExchanges().first();
    QTest::newRow("unknown source") << u"nasdaq"_s << QString() << u"nasdaq"_s;
    QTest::newRow("empty source") << QString() << QString() << u"sim"_s;
    QTest::newRow("no dash") << exchange << u"BTC-USDT, BTCUSDT"_s << u"BTCUSDT"_s;
    QTest::newRow("two dashes") << exchange << u"BTC-USD-T"_s << u"BTC-USD-T"_s;
    QTest::newRow("stray character") << exchange << u"BTC/USDT"_s << u"BTC/USDT"_s;
}

void tst_Settings::marketSourceRefusals()
{
    QFETCH(QString, source);
    QFETCH(QString, symbols);
    QFETCH(QString, named);
    auto settings = make();
    QSignalSpy changed(settings.get(), &UserSettings::marketSourceChanged);
    const QString error = settings->setMarketSource(source, symbols);
    QVERIFY2(error.contains(named), qPrintable(error));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(settings->marketSource(), u"sim"_s);
    QVERIFY(!fileBytes(m_file).contains("embedded"));

    // A bad value in the file is ignored (with a warning): the simulation.
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(u"embedded/source"_s, u"nasdaq"_s);
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"nasdaq"_s));
    QCOMPARE(make()->marketSource(), u"sim"_s);
}

void tst_Settings::marketSourceOverride()
{
    const QString exchange = exchanges::liveExchanges().first();
    {
        auto settings = make();
        QCOMPARE(settings->connectTo(u"ws://saved.invalid:1/"_s, {}, u"json"_s), QString());
    }
    const QByteArray before = fileBytes(m_file);
    ui::StartupOptions overrides;
    overrides.source = exchange;
    overrides.symbols = {u"SOL-USDT"_s};
    overrides.upstreamWebSocket = QUrl(u"ws://127.0.0.1:9/"_s);
    overrides.upstreamRest = QUrl(u"http://127.0.0.1:9/"_s);
    {
        auto settings = make(overrides);
        QCOMPARE(settings->servers(), QStringList()); // a market source is the built-in feed's
        QCOMPARE(settings->marketSource(), exchange);
        QCOMPARE(settings->sourceSymbols(), QStringList{u"SOL-USDT"_s});
        const ui::DemoFeedOptions options = settings->demoFeedOptions();
        QCOMPARE(options.webSocketBase, overrides.upstreamWebSocket);
        QCOMPARE(options.restBase, overrides.upstreamRest);
        // The dialog's OK with the override as it is: still this run's, nothing saved.
        QSignalSpy changed(settings.get(), &UserSettings::marketSourceChanged);
        QCOMPARE(settings->setMarketSource(exchange, u"SOL-USDT"_s), QString());
        QCOMPARE(changed.size(), 0);
    }
    QCOMPARE(fileBytes(m_file), before);
    {
        auto settings = make(overrides);
        QSignalSpy changed(settings.get(), &UserSettings::marketSourceChanged);
        QCOMPARE(settings->setMarketSource(exchange, u"SOL-USDT, XRP-USDT"_s), QString());
        QCOMPARE(changed.size(), 1); // changed in the dialog: saved
    }
    auto after = make();
    QCOMPARE(after->servers(), QStringList{u"ws://saved.invalid:1/"_s});
    QCOMPARE(after->marketSource(), exchange);
    QCOMPARE(after->sourceSymbols(), (QStringList{u"SOL-USDT"_s, u"XRP-USDT"_s}));
    // Endpoints are never saved.
    QVERIFY(after->demoFeedOptions().webSocketBase.isEmpty());
}

void tst_Settings::marketSourceModel()
{
    ui::MarketSourceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QStringList live = exchanges::liveExchanges();
    QCOMPARE(model.rowCount(), 1 + live.size());
    const auto at = [&model](int row, int role) { return model.data(model.index(row, 0), role); };
    QCOMPARE(at(0, ui::MarketSourceModel::IdRole).toString(), u"sim"_s);
    QCOMPARE(at(0, ui::MarketSourceModel::NameRole).toString(), u"Demo simulation"_s);
    QCOMPARE(at(0, ui::MarketSourceModel::LiveRole).toBool(), false);
    QCOMPARE(at(0, ui::MarketSourceModel::DefaultSymbolsRole).toString(), QString());
    const QHash<QString, QString> names{
        {u"binance"_s, u"Binance"_s}, {u"coinbase"_s, u"Coinbase"_s}, {u"kraken"_s, u"Kraken"_s}};
    for (int row = 1; row < model.rowCount(); ++row) {
        const QString id = at(row, ui::MarketSourceModel::IdRole).toString();
        QCOMPARE(id, live.at(row - 1));
        QCOMPARE(at(row, ui::MarketSourceModel::NameRole).toString(), names.value(id, id));
        QVERIFY(at(row, ui::MarketSourceModel::LiveRole).toBool());
        QCOMPARE(at(row, ui::MarketSourceModel::DefaultSymbolsRole).toString(),
                 exchanges::defaultSymbols(id).join(u", "_s));
        QVERIFY(!exchanges::defaultSymbols(id).isEmpty());
        QCOMPARE(model.indexOf(id), row);
    }
    QCOMPARE(model.indexOf(u"nasdaq"_s), -1);
    // A server may name a source this build cannot run: shown as it is.
    QCOMPARE(model.nameOf(u"nasdaq"_s), u"nasdaq"_s);
    QCOMPARE(model.nameOf(u"binance"_s), u"Binance"_s);
    QCOMPARE(model.nameOf(u"kraken"_s), u"Kraken"_s);
    QCOMPARE(model.nameOf(u"replay"_s), u"Replay"_s);
}

void tst_Settings::bookGroupingPerSymbol()
{
    {
        auto settings = make();
        QCOMPARE(settings->bookGrouping(u"BTC-USD"_s), 1);
        QCOMPARE(settings->setBookGrouping(u"BTC-USD"_s, 100), QString());
        QCOMPARE(settings->setBookGrouping(u"ETH-USD"_s, 10), QString());
        QVERIFY(!settings->setBookGrouping(u"ETH-USD"_s, 5).isEmpty());
        QVERIFY(!settings->setBookGrouping(u"ETH-USD"_s, 0).isEmpty());
        QVERIFY(!settings->setBookGrouping(QString(), 10).isEmpty());
        QCOMPARE(settings->bookGrouping(u"ETH-USD"_s), 10);
    }
    {
        auto again = make();
        QCOMPARE(again->bookGrouping(u"BTC-USD"_s), 100);
        QCOMPARE(again->bookGrouping(u"ETH-USD"_s), 10);
        QCOMPARE(again->bookGrouping(u"SOL-USD"_s), 1);
        // Back to one tick forgets the entry.
        QCOMPARE(again->setBookGrouping(u"BTC-USD"_s, 1), QString());
    }
    {
        QSettings file(m_file, QSettings::IniFormat);
        QVERIFY(!file.contains(u"book/grouping/BTC-USD"_s));
        QCOMPARE(file.value(u"book/grouping/ETH-USD"_s).toInt(), 10);
        // Hand-edited nonsense reads as ungrouped.
        file.setValue(u"book/grouping/SOL-USD"_s, 7);
        file.setValue(u"book/grouping/ADA-USD"_s, u"lots"_s);
    }
    auto third = make();
    QCOMPARE(third->bookGrouping(u"BTC-USD"_s), 1);
    QCOMPARE(third->bookGrouping(u"SOL-USD"_s), 1);
    QCOMPARE(third->bookGrouping(u"ADA-USD"_s), 1);
}

int main(int argc, char *argv[])
{
    QTemporaryDir home; // never the user's settings, watchlists or session bus
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    if (!hasKeychain()) {
        // What a bare machine has: no session bus, so no Secret Service.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + home.filePath(u"no-bus"_s).toUtf8());
        qputenv("XDG_RUNTIME_DIR", home.filePath(u"run"_s).toUtf8());
    }
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName(u"TickwireTest"_s);
    QGuiApplication::setApplicationName(u"tst_settings"_s);
    tst_Settings test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_settings.moc"
