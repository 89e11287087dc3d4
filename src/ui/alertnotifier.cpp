#include "ui/alertnotifier.h"

#include <QtCore/QSettings>
#include <QtGui/QGuiApplication>
#include <QtGui/QIcon>
#include <QtWidgets/QApplication>
#include <QtWidgets/QStyle>
#include <QtWidgets/QSystemTrayIcon>

namespace tickwire::ui {

using namespace Qt::StringLiterals;

namespace {

constexpr auto SoundKey = "alerts/sound"_L1;

} // namespace

AlertNotifier::AlertNotifier(QObject *parent)
    : QObject(parent)
    , m_sound(QSettings().value(SoundKey, false).toBool())
{
}

AlertNotifier::~AlertNotifier() = default;

void AlertNotifier::setSound(bool sound)
{
    if (sound == m_sound)
        return;
    m_sound = sound;
    QSettings().setValue(SoundKey, sound);
    Q_EMIT soundChanged();
}

bool AlertNotifier::desktopAvailable()
{
    // The tray needs a QApplication (tests may run a QGuiApplication or less).
    return qobject_cast<QApplication *>(QCoreApplication::instance()) != nullptr
           && QSystemTrayIcon::isSystemTrayAvailable();
}

void AlertNotifier::notify(const QString &title, const QString &text)
{
    if (desktopAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(this);
            // The installed icon (share/icons/hicolor), else the style's: a tray icon needs one.
            QIcon icon = QGuiApplication::windowIcon();
            if (icon.isNull())
                icon = QIcon::fromTheme(u"tickwire"_s);
            if (icon.isNull())
                icon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxInformation);
            m_tray->setIcon(icon);
            m_tray->setToolTip(tr("Tickwire price alerts"));
            m_tray->show();
        }
        m_tray->showMessage(title, text, QSystemTrayIcon::Information, 10000);
        ++m_desktopCount;
    }
    if (m_sound && qobject_cast<QApplication *>(QCoreApplication::instance())) {
        QApplication::beep();
        ++m_soundCount;
    }
}

} // namespace tickwire::ui
