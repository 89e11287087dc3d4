// tickwire: the dashboard. Parses the command line and loads the QML module; everything else
// lives in the libraries (src/ui and below).
#include "demofeed/demofeedserver.h"
#include "ui/dashboard.h"
#include "ui/grab.h"

#include <QtCore/QCommandLineParser>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickControls2/QQuickStyle>
#include <QtWidgets/QApplication>

#include <cstdio>
#include <optional>

Q_IMPORT_QML_PLUGIN(TickwirePlugin)

using namespace Qt::StringLiterals;

namespace {

struct CommandLine
{
    tickwire::ui::StartupOptions startup;
    QString grabFile;
    int grabDelayMs = 3000;
};

// Parsed under a plain QCoreApplication, so --help, --version and usage errors work without a
// display. Exits the process for those; returns nullopt after printing an error.
std::optional<CommandLine> parseCommandLine(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Tickwire: a real-time trading dashboard. Without --server "
                                     "it connects to the saved server, or starts the built-in "
                                     "demo feed."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(u"server"_s, u"Feed server URL (ws:// or wss://)."_s, u"url"_s);
    const QCommandLineOption token(u"token"_s, u"Token for the server's orders channel."_s,
                                   u"token"_s);
    const QCommandLineOption demo(u"demo"_s, u"Use the built-in demo feed, whatever is saved."_s);
    const QCommandLineOption theme(u"theme"_s, u"dark or light."_s, u"theme"_s);
    const QCommandLineOption grab(u"grab"_s, u"Render the window to FILE.png and exit."_s,
                                  u"file"_s);
    const QCommandLineOption grabDelay(u"grab-delay"_s,
                                       u"Milliseconds to wait before --grab (default 3000)."_s,
                                       u"ms"_s, u"3000"_s);
    parser.addOptions({server, token, demo, theme, grab, grabDelay});
    parser.process(app);

    CommandLine line;
    if (parser.isSet(server)) {
        line.startup.server = QUrl(parser.value(server), QUrl::StrictMode);
        const QString scheme = line.startup.server.scheme();
        if (!line.startup.server.isValid() || (scheme != u"ws"_s && scheme != u"wss"_s)) {
            std::fprintf(stderr, "tickwire: --server needs a ws:// or wss:// URL\n");
            return std::nullopt;
        }
    }
    if (parser.isSet(theme) && parser.value(theme) != u"dark"_s
        && parser.value(theme) != u"light"_s) {
        std::fprintf(stderr, "tickwire: --theme is dark or light\n");
        return std::nullopt;
    }
    bool delayOk = false;
    line.grabDelayMs = parser.value(grabDelay).toInt(&delayOk);
    if (!delayOk || line.grabDelayMs < 0) {
        std::fprintf(stderr, "tickwire: --grab-delay needs a number of milliseconds\n");
        return std::nullopt;
    }
    line.startup.token = parser.value(token);
    line.startup.forceEmbedded = parser.isSet(demo);
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
    const std::optional<CommandLine> line = parseCommandLine(argc, argv);
    if (!line)
        return 2;
    tickwire::ui::Dashboard::setStartupOptions(line->startup);
    tickwire::ui::Dashboard::setDemoFeedFactory(&tickwire::demofeed::DemoFeedServer::create);

    // Qt Charts in QML needs a QApplication.
    QApplication app(argc, argv);
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
