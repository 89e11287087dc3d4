// The shortcuts sheet against the dashboard as loaded: every Shortcut item of the window takes
// its sequences from an entry of the `Shortcuts` table the sheet lists, and every entry marked
// global has its Shortcut item. A shortcut added without a sheet entry fails here.
#include "demofeed/demofeedserver.h"
#include "ui/dashboard.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtGui/QKeySequence>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>

Q_IMPORT_QML_PLUGIN(TickwirePlugin)

using namespace Qt::StringLiterals;

namespace {

// A Shortcut's sequence(s), each in portable text ("Ctrl+K"); a StandardKey as its key
// sequences.
QStringList sequencesOf(const QObject *shortcut)
{
    QStringList out;
    const auto add = [&out](const QVariant &value) {
        if (value.metaType().id() == QMetaType::Int) {
            for (const QKeySequence &key :
                 QKeySequence::keyBindings(static_cast<QKeySequence::StandardKey>(value.toInt())))
                out << key.toString(QKeySequence::PortableText);
        } else if (const QString text = value.toString(); !text.isEmpty()) {
            out << QKeySequence(text).toString(QKeySequence::PortableText);
        }
    };
    add(shortcut->property("sequence"));
    for (const QVariant &value : shortcut->property("sequences").toList())
        add(value);
    return out;
}

} // namespace

class tst_Shortcuts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyShortcutIsListed();
    void docsTableIsTheList();

private:
    // The `Shortcuts` singleton (a QML one: QQmlEngine::singletonInstance finds only C++ ones).
    QObject *shortcutTable();

    QTemporaryDir m_home;
    std::unique_ptr<QObject> m_tableHolder;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
};

void tst_Shortcuts::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", m_home.filePath(u"data"_s).toUtf8());
    tickwire::ui::Dashboard::setDemoFeedFactory(&tickwire::demofeed::DemoFeedServer::create);
    QQuickStyle::setStyle(u"Basic"_s);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(u"qrc:/qt/qml"_s);
    m_engine->load(QUrl(u"qrc:/qt/qml/Tickwire/Main.qml"_s));
    QCOMPARE(m_engine->rootObjects().size(), 1);
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
    QVERIFY(m_window);
}

QObject *tst_Shortcuts::shortcutTable()
{
    if (!m_tableHolder) {
        QQmlComponent component(m_engine.get());
        component.setData(
            "import QtQml\nimport Tickwire\nQtObject { property QtObject table: Shortcuts }",
            QUrl());
        m_tableHolder.reset(component.create());
        if (!m_tableHolder) {
            qWarning() << component.errors();
            return nullptr;
        }
    }
    return m_tableHolder->property("table").value<QObject *>();
}

void tst_Shortcuts::cleanupTestCase()
{
    m_tableHolder.reset();
    m_engine.reset();
}

void tst_Shortcuts::everyShortcutIsListed()
{
    QObject *table = shortcutTable();
    QVERIFY(table);
    const QVariantList entries = table->property("entries").toList();
    QVERIFY(entries.size() > 10);
    const int groupCount = table->property("groups").toList().size();
    QSet<QString> listed; // every sequence the sheet shows, portable text
    QSet<QString> global; // the entries' sequences that a window-wide Shortcut must carry
    QSet<QString> names;
    for (const QVariant &value : entries) {
        const QVariantMap entry = value.toMap();
        const QString name = entry.value(u"name"_s).toString();
        QVERIFY2(!names.contains(name), qPrintable(u"two entries named "_s + name));
        names.insert(name);
        QVERIFY2(!entry.value(u"text"_s).toString().isEmpty(), qPrintable(name));
        const int group = entry.value(u"group"_s).toInt();
        QVERIFY2(group >= 0 && group < groupCount, qPrintable(name));
        const QStringList keys = entry.value(u"keys"_s).toStringList();
        QVERIFY2(!keys.isEmpty(), qPrintable(name));
        for (const QString &key : keys) {
            const QString portable = QKeySequence(key).toString(QKeySequence::PortableText);
            QVERIFY2(!portable.isEmpty(), qPrintable(name + u": "_s + key));
            listed.insert(portable);
            if (entry.value(u"global"_s).toBool())
                global.insert(portable);
        }
        for (const QString &key : entry.value(u"also"_s).toStringList())
            listed.insert(QKeySequence(key).toString(QKeySequence::PortableText));
    }

    // Every Shortcut item of the window, wherever it sits (panels, popups, the sheet itself).
    QList<QObject *> shortcuts;
    const QList<QObject *> all = m_window->findChildren<QObject *>();
    for (QObject *object : all) {
        if (object->inherits("QQuickShortcut"))
            shortcuts << object;
    }
    QVERIFY(!shortcuts.isEmpty());
    QSet<QString> bound;
    for (const QObject *shortcut : std::as_const(shortcuts)) {
        const QStringList sequences = sequencesOf(shortcut);
        QVERIFY2(!sequences.isEmpty(), "a Shortcut item without a sequence");
        for (const QString &sequence : sequences) {
            QVERIFY2(
                listed.contains(sequence),
                qPrintable(u"Shortcut %1 is not in the shortcuts sheet (qml/Shortcuts.qml)"_s.arg(
                    sequence)));
            bound.insert(sequence);
        }
    }
    // And the sheet lists no window shortcut that does not exist.
    for (const QString &sequence : std::as_const(global))
        QVERIFY2(bound.contains(sequence),
                 qPrintable(u"the sheet lists %1, no Shortcut has it"_s.arg(sequence)));
}

// docs/dashboard.md's table of shortcuts is the sheet's list, row for row.
void tst_Shortcuts::docsTableIsTheList()
{
    QObject *table = shortcutTable();
    QVERIFY(table);
    const QVariantList groups = table->property("groups").toList();
    QStringList expected;
    for (const QVariant &value : table->property("entries").toList()) {
        const QVariantMap entry = value.toMap();
        QStringList keys;
        for (const QString &key : entry.value(u"keys"_s).toStringList()) {
            QString text;
            QVERIFY(QMetaObject::invokeMethod(table, "keyText", Q_RETURN_ARG(QString, text),
                                              Q_ARG(QString, key)));
            keys << text;
        }
        expected << u"| %1 | %2 | %3 |"_s.arg(
            groups.value(entry.value(u"group"_s).toInt()).toString(), keys.join(u" · "_s),
            entry.value(u"text"_s).toString());
    }

    QFile doc(QStringLiteral(TICKWIRE_DASHBOARD_DOC));
    QVERIFY2(doc.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(doc.fileName()));
    const QStringList lines = QString::fromUtf8(doc.readAll()).split(u'\n');
    const qsizetype header = lines.indexOf(u"| group | keys | action |"_s);
    QVERIFY2(header >= 0, "no shortcuts table in docs/dashboard.md");
    QStringList documented;
    for (qsizetype i = header + 2; i < lines.size() && lines.at(i).startsWith(u'|'); ++i)
        documented << lines.at(i);
    QCOMPARE(documented, expected);
}

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"TickwireTest"_s);
    QApplication::setApplicationName(u"tst_shortcuts"_s);
    tst_Shortcuts test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_shortcuts.moc"
