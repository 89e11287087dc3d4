#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtQml/qqmlregistration.h>

class QSystemTrayIcon;

namespace tickwire::ui {

// How a fired price alert reaches the user besides the in-app toast: a desktop notification
// through the system tray (QSystemTrayIcon::showMessage, where a tray exists; the icon is
// created at the first alert) and, when `sound` is on, the system beep (QApplication::beep;
// the build has no Qt Multimedia). Works while the window is minimised: alerts are evaluated
// on the data path, not in QML. `sound` is saved in QSettings (alerts/sound).
class AlertNotifier : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by the Dashboard singleton")
    Q_DISABLE_COPY_MOVE(AlertNotifier)
    Q_PROPERTY(bool sound READ sound WRITE setSound NOTIFY soundChanged FINAL)
    Q_PROPERTY(bool desktopAvailable READ desktopAvailable CONSTANT FINAL)

public:
    explicit AlertNotifier(QObject *parent = nullptr);
    ~AlertNotifier() override;

    [[nodiscard]] bool sound() const { return m_sound; }
    void setSound(bool sound);
    [[nodiscard]] static bool desktopAvailable();

    // Shows `text` as a desktop notification (if there is a tray) and beeps (if `sound`).
    void notify(const QString &title, const QString &text);
    // Desktop notifications shown so far (tests).
    [[nodiscard]] int desktopCount() const { return m_desktopCount; }
    [[nodiscard]] int soundCount() const { return m_soundCount; }

Q_SIGNALS:
    void soundChanged();

private:
    QSystemTrayIcon *m_tray = nullptr;
    bool m_sound = false;
    int m_desktopCount = 0;
    int m_soundCount = 0;
};

} // namespace tickwire::ui
