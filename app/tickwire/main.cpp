// tickwire: the dashboard. Parses the command line and loads the QML module; everything else
// lives in the libraries (src/ui and below).
#include "client/serverlist.h"
#include "demofeed/demofeedserver.h"
#include "exchanges/livesource.h"
#include "ui/dashboard.h"
#include "ui/grab.h"
#include "ui/marketsourcemodel.h"
#include "ui/usersettings.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QLibraryInfo>
#include <QtCore/QLocale>
#include <QtCore/QTranslator>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickControls2/QQuickStyle>
#include <QtWidgets/QApplication>

#include <cstdio>
#include <optional>
#include <tuple>

Q_IMPORT_QML_PLUGIN(TickwirePlugin)

using namespace Qt::StringLiterals;

namespace {

struct CommandLine
{
    tickwire::ui::StartupOptions startup;
    QString grabFile;
    int grabDelayMs = 3000;
};

void printError(const QString &message)
{
    std::fprintf(stderr, "tickwire: %s\n", qUtf8Printable(message));
}

// The translations for the system's languages: the dashboard's own (embedded by
// qt_add_translations under :/i18n) and Qt's (QCommandLineParser's --help, dialogs), where the
// system has them. English is the source language: without a match the source texts show.
struct Translations
{
    QTranslator tickwire;
    QTranslator qt;

    Translations()
    {
        const QLocale locale;
        std::ignore = tickwire.load(locale, u"tickwire"_s, u"_"_s, u":/i18n"_s);
        std::ignore =
            qt.load(locale, u"qt"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    }
    // A translator belongs to the application object it is installed in: call once per object.
    void install()
    {
        if (!tickwire.isEmpty())
            QCoreApplication::installTranslator(&tickwire);
        if (!qt.isEmpty())
            QCoreApplication::installTranslator(&qt);
    }
};

// Parsed under a plain QCoreApplication, so --help, --version and usage errors work without a
// display. Exits the process for those; returns nullopt after printing an error.
std::optional<CommandLine> parseCommandLine(int argc, char *argv[], Translations &translations)
{
    QCoreApplication app(argc, argv);
    translations.install();
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "tickwire", "Tickwire: a real-time trading dashboard. Without --server "
                    "it connects to the saved servers, or starts the built-in "
                    "demo feed."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
        u"server"_s,
        QCoreApplication::translate(
            "tickwire", "Feed server URL (ws:// or wss://), or several comma-separated: each "
                        "reconnect moves to the next one."),
        QCoreApplication::translate("tickwire", "urls"));
    const QCommandLineOption token(
        u"token"_s,
        QCoreApplication::translate("tickwire", "Token for the server's orders channel."),
        QCoreApplication::translate("tickwire", "token"));
    const QCommandLineOption demo(
        u"demo"_s,
        QCoreApplication::translate("tickwire", "Use the built-in demo feed, whatever is saved."));
    const QCommandLineOption theme(u"theme"_s,
                                   QCoreApplication::translate("tickwire", "dark or light."),
                                   QCoreApplication::translate("tickwire", "theme"));
    const QCommandLineOption grab(
        u"grab"_s,
        QCoreApplication::translate("tickwire", "Render the window to FILE.png and exit."),
        QCoreApplication::translate("tickwire", "file"));
    const QCommandLineOption grabDelay(
        u"grab-delay"_s,
        QCoreApplication::translate("tickwire",
                                    "Milliseconds to wait before --grab (default 3000)."),
        QCoreApplication::translate("tickwire", "ms"), u"3000"_s);
    const QCommandLineOption source(
        u"source"_s,
        QCoreApplication::translate("tickwire",
                                    "The built-in feed's market: sim (the simulation) or a live "
                                    "exchange (%1), with paper trading. Implies --demo.")
            .arg(tickwire::exchanges::liveExchanges().join(u", "_s)),
        QCoreApplication::translate("tickwire", "name"));
    const QCommandLineOption symbols(
        u"symbols"_s,
        QCoreApplication::translate("tickwire",
                                    "With a live --source: its symbols as BASE-QUOTE, "
                                    "comma-separated (default: the saved ones, else the "
                                    "exchange's usual ones)."),
        QCoreApplication::translate("tickwire", "list"));
    const QCommandLineOption upstreamWs(
        u"upstream-ws"_s,
        QCoreApplication::translate("tickwire",
                                    "With a live --source: the exchange's WebSocket base URL "
                                    "(default: its own)."),
        QCoreApplication::translate("tickwire", "url"));
    const QCommandLineOption upstreamRest(
        u"upstream-rest"_s,
        QCoreApplication::translate("tickwire",
                                    "With a live --source: the exchange's REST base URL "
                                    "(default: its own)."),
        QCoreApplication::translate("tickwire", "url"));
    parser.addOptions(
        {server, token, demo, theme, grab, grabDelay, source, symbols, upstreamWs, upstreamRest});
    parser.process(app);

    CommandLine line;
    if (parser.isSet(server)) {
        const tickwire::client::ServerList servers =
            tickwire::client::ServerList::parse(parser.value(server));
        if (!servers.ok()) {
            //: %1 says what is wrong with the list of server URLs.
            printError(QCoreApplication::translate("tickwire", "--server: %1").arg(servers.error));
            return std::nullopt;
        }
        line.startup.servers = servers.urls;
    }
    if (parser.isSet(theme) && parser.value(theme) != u"dark"_s
        && parser.value(theme) != u"light"_s) {
        printError(QCoreApplication::translate("tickwire", "--theme is dark or light"));
        return std::nullopt;
    }
    if (parser.isSet(source)) {
        line.startup.source = parser.value(source);
        if (const QString error =
                tickwire::ui::UserSettings::checkMarketSource(line.startup.source);
            !error.isEmpty()) {
            printError(error);
            return std::nullopt;
        }
        if (parser.isSet(server)) {
            printError(QCoreApplication::translate(
                "tickwire", "--source runs the built-in feed: it cannot go with --server"));
            return std::nullopt;
        }
    }
    const bool live = tickwire::ui::MarketSourceModel::isLive(line.startup.source);
    if (!live
        && (parser.isSet(symbols) || parser.isSet(upstreamWs) || parser.isSet(upstreamRest))) {
        printError(QCoreApplication::translate(
            "tickwire", "--symbols, --upstream-ws and --upstream-rest need a live --source"));
        return std::nullopt;
    }
    if (parser.isSet(symbols)) {
        if (const QString error = tickwire::ui::UserSettings::parseSymbols(parser.value(symbols),
                                                                           &line.startup.symbols);
            !error.isEmpty() || line.startup.symbols.isEmpty()) {
            printError(error.isEmpty()
                           ? QCoreApplication::translate("tickwire", "--symbols names no symbol")
                           : error);
            return std::nullopt;
        }
    }
    const auto endpoint = [&parser](const QCommandLineOption &option, QStringView scheme,
                                    QUrl *url) {
        if (!parser.isSet(option))
            return true;
        *url = QUrl(parser.value(option), QUrl::StrictMode);
        return url->isValid() && !url->host().isEmpty()
               && (url->scheme() == scheme || url->scheme() == scheme + u's');
    };
    if (!endpoint(upstreamWs, u"ws", &line.startup.upstreamWebSocket)) {
        printError(
            QCoreApplication::translate("tickwire", "--upstream-ws needs a ws:// or wss:// URL"));
        return std::nullopt;
    }
    if (!endpoint(upstreamRest, u"http", &line.startup.upstreamRest)) {
        printError(QCoreApplication::translate("tickwire",
                                               "--upstream-rest needs an http:// or https:// URL"));
        return std::nullopt;
    }
    bool delayOk = false;
    line.grabDelayMs = parser.value(grabDelay).toInt(&delayOk);
    if (!delayOk || line.grabDelayMs < 0) {
        printError(
            QCoreApplication::translate("tickwire", "--grab-delay needs a number of milliseconds"));
        return std::nullopt;
    }
    line.startup.token = parser.value(token);
    line.startup.forceEmbedded = parser.isSet(demo) || parser.isSet(source);
    line.startup.theme = parser.value(theme);
    line.grabFile = parser.value(grab);
    return line;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(u"Tickwire"_s);
    QCoreApplication::setApplicationName(u"tickwire"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(TICKWIRE_VERSION));
    Translations translations;
    const std::optional<CommandLine> line = parseCommandLine(argc, argv, translations);
    if (!line)
        return 2;
    tickwire::ui::Dashboard::setStartupOptions(line->startup);
    tickwire::ui::Dashboard::setDemoFeedFactory(&tickwire::demofeed::DemoFeedServer::create);

    // Qt Charts in QML needs a QApplication.
    QApplication app(argc, argv);
    translations.install();
    QQuickStyle::setStyle(u"Basic"_s);
    QQmlApplicationEngine engine;
    engine.addImportPath(u"qrc:/qt/qml"_s);
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreated, &app,
                     [](QObject *object, const QUrl &) {
                         if (!object)
                             QCoreApplication::exit(1);
                     }, Qt::QueuedConnection);
    engine.load(QUrl(u"qrc:/qt/qml/Tickwire/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (!line->grabFile.isEmpty())
        tickwire::ui::grabAndQuit(engine, line->grabFile, line->grabDelayMs);
    return app.exec();
}
