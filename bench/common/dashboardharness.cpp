#include "dashboardharness.h"

#include "benchsupport.h"
#include "ui/dashboard.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtCore/QEventLoop>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuick/QQuickWindow>
#include <QtQuick/QSGRendererInterface>
#include <QtQuickControls2/QQuickStyle>

#include <algorithm>

Q_IMPORT_QML_PLUGIN(TickwirePlugin)

using namespace Qt::StringLiterals;

namespace tickwire::bench {

// Holds back the window's UpdateRequest events and delivers one on each tick of a clock at
// displayHz, as vsync would let a frame start. The ticks are phase-locked to the clock's start:
// a tick the GUI thread serves late does not move the next one, and ticks it misses entirely
// are skipped, as a display drops a frame.
class DashboardHarness::DisplayClock : public QObject
{
public:
    explicit DisplayClock(QQuickWindow *window) : m_window(window), m_startNs(monotonicNs())
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
        m_window->installEventFilter(this);
        scheduleNextTick();
    }
    ~DisplayClock() override
    {
        m_window->removeEventFilter(this);
        if (m_requested) // a held request would be lost, and with it the frame chain
            m_window->requestUpdate();
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_window || event->type() != QEvent::UpdateRequest || m_delivering)
            return false;
        m_requested = true;
        return true;
    }

private:
    static constexpr double periodNs = 1e9 / displayHz;

    void scheduleNextTick()
    {
        const std::int64_t now = monotonicNs();
        m_tick = std::max(m_tick + 1, std::int64_t(double(now - m_startNs) / periodNs) + 1);
        const auto due = m_startNs + std::int64_t(double(m_tick) * periodNs);
        m_timer.start(int((due - now + 999'999) / 1'000'000)); // QTimer counts whole ms
    }

    void tick()
    {
        if (m_requested) {
            m_requested = false;
            m_delivering = true;
            QEvent request(QEvent::UpdateRequest);
            QCoreApplication::sendEvent(m_window, &request);
            m_delivering = false;
        }
        scheduleNextTick();
    }

    QQuickWindow *m_window;
    QTimer m_timer;
    const std::int64_t m_startNs;
    std::int64_t m_tick = 0;
    bool m_requested = false;
    bool m_delivering = false;
};

void DashboardHarness::isolateSettings()
{
    const QString home = QDir::temp().filePath(u"tickwire-bench-home-%1"_s.arg(ownPid()));
    QDir(home).removeRecursively();
    QDir().mkpath(home);
    qputenv("XDG_CONFIG_HOME", (home + u"/config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", (home + u"/data"_s).toUtf8());
}

DashboardHarness::DashboardHarness() = default;

DashboardHarness::~DashboardHarness()
{
    m_displayClock.reset();
    m_engine.reset();
}

bool DashboardHarness::start(quint16 port, QString *error)
{
    ui::StartupOptions startup;
    QUrl server;
    server.setScheme(u"ws"_s);
    server.setHost(u"127.0.0.1"_s);
    server.setPort(port);
    server.setPath(u"/"_s);
    startup.servers = {server};
    ui::Dashboard::setStartupOptions(startup);
    QQuickStyle::setStyle(u"Basic"_s);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(u"qrc:/qt/qml"_s);
    m_engine->load(QUrl(u"qrc:/qt/qml/Tickwire/Main.qml"_s));
    if (m_engine->rootObjects().size() != 1) {
        *error = u"Main.qml did not load"_s;
        return false;
    }
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
    m_dashboard =
        m_engine->singletonInstance<ui::Dashboard *>(qmlTypeId("Tickwire", 1, 0, "Dashboard"));
    if (!m_window || !m_dashboard) {
        *error = u"no window or no Dashboard singleton"_s;
        return false;
    }
    return true;
}

void DashboardHarness::setWatchlist(const QStringList &symbols)
{
    watchlists::WatchlistStore *store = m_dashboard->watchlists();
    const int list = store->currentIndex();
    while (!store->symbols(list).isEmpty())
        (void)store->removeSymbol(list, 0);
    for (const QString &symbol : symbols)
        (void)store->addSymbol(list, symbol);
}

void DashboardHarness::spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool DashboardHarness::waitFor(const std::function<bool()> &ready, int timeoutMs)
{
    const std::int64_t deadline = monotonicNs() + std::int64_t(timeoutMs) * 1'000'000;
    while (!ready() && monotonicNs() < deadline)
        spin(20);
    return ready();
}

void DashboardHarness::startFrames(Pacing pacing)
{
    m_frameStarts.clear();
    if (pacing == Pacing::Display && !m_displayClock)
        m_displayClock = std::make_unique<DisplayClock>(m_window);
    else if (pacing == Pacing::Unthrottled)
        m_displayClock.reset();
    if (m_framesConnected)
        return;
    m_framesConnected = true;
    QObject::connect(m_window, &QQuickWindow::afterAnimating, m_window,
                     [this] { m_frameStarts.push_back(monotonicNs()); });
    QObject::connect(
        m_window, &QQuickWindow::frameSwapped, m_window, [this] { m_window->update(); },
        Qt::QueuedConnection);
    m_window->requestUpdate();
}

std::vector<double> DashboardHarness::takeFrameIntervals()
{
    std::vector<double> intervals;
    for (std::size_t i = 1; i < m_frameStarts.size(); ++i)
        intervals.push_back(double(m_frameStarts[i] - m_frameStarts[i - 1]) / 1e6);
    m_frameStarts.clear();
    return intervals;
}

QString DashboardHarness::graphicsDescription() const
{
    QString api = u"unknown"_s;
    if (QSGRendererInterface *ri = m_window->rendererInterface()) {
        switch (ri->graphicsApi()) {
        case QSGRendererInterface::Software:
            api = u"software"_s;
            break;
        case QSGRendererInterface::OpenGL:
            api = u"OpenGL"_s;
            break;
        case QSGRendererInterface::Vulkan:
            api = u"Vulkan"_s;
            break;
        case QSGRendererInterface::Null:
            api = u"null"_s;
            break;
        default:
            api = u"other"_s;
            break;
        }
    }
    return u"QPA %1, scene graph %2, window %3x%4"_s.arg(QGuiApplication::platformName(), api)
        .arg(m_window->width())
        .arg(m_window->height());
}

} // namespace tickwire::bench
