// Qt Quick Test runner for the dashboard's QML components. A QApplication (Qt Charts needs
// one), a private config/data location, and the statically linked `Tickwire` module.
#include "demofeed/demofeedserver.h"
#include "ui/dashboard.h"

#include <QtCore/QTemporaryDir>
#include <QtQml/QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>
#include <QtWidgets/QApplication>

Q_IMPORT_QML_PLUGIN(TickwirePlugin)
Q_IMPORT_QML_PLUGIN(TickwireTestPlugin) // Probe: what the tests read of CellRow and Sparkline

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    }
};

int main(int argc, char **argv)
{
    // Never touch the user's settings or watchlists.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TickwireTest"));
    QApplication::setApplicationName(QStringLiteral("tst_qml"));
    // Dashboard.start() brings up the built-in demo feed, as the app does.
    tickwire::ui::Dashboard::setDemoFeedFactory(&tickwire::demofeed::DemoFeedServer::create);
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "tst_qml", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_qml.moc"
