#pragma once

#include <QtCore/QStringList>

#include <functional>
#include <memory>
#include <vector>

class QQmlApplicationEngine;
class QQuickWindow;

namespace tickwire::ui {
class Dashboard;
}

namespace tickwire::bench {

// The dashboard as the app runs it (Main.qml, the Dashboard singleton, the static QML module),
// in this process, against a given server, for the benchmarks. Construct after QApplication.
class DashboardHarness
{
public:
    // Points QSettings and the watchlist file at a fresh temp folder: call before QApplication.
    static void isolateSettings();

    DashboardHarness();
    ~DashboardHarness();
    DashboardHarness(const DashboardHarness &) = delete;
    DashboardHarness &operator=(const DashboardHarness &) = delete;

    // Loads the dashboard connected to ws://127.0.0.1:PORT/.
    [[nodiscard]] bool start(quint16 port, QString *error);
    [[nodiscard]] ui::Dashboard *dashboard() const { return m_dashboard; }
    [[nodiscard]] QQuickWindow *window() const { return m_window; }

    // Makes the current watchlist exactly `symbols`, in that order.
    void setWatchlist(const QStringList &symbols);
    // Serves the event loop until `ready()` or the timeout; returns ready().
    bool waitFor(const std::function<bool()> &ready, int timeoutMs);
    static void spin(int ms);

    // How frames are demanded (see startFrames()).
    enum class Pacing {
        // Frames start only on the ticks of a 60 Hz clock, as on a display with vsync: every
        // UpdateRequest the window gets (from Qt Quick's animations, the models, the harness)
        // waits for the next tick. A frame that cannot start on its tick starts late.
        Display,
        // Frames start as soon as the platform delivers the request (offscreen: Qt's 5 ms
        // update timer after each frame): the most frames the GUI thread will make.
        Unthrottled,
    };
    static constexpr double displayHz = 60.0;

    // Asks for a new frame whenever one is done (as a running animation does), paced as
    // `pacing` says, and records the GUI-thread time of every frame start (afterAnimating).
    void startFrames(Pacing pacing);
    // Intervals between recorded frame starts, ms; clears the record.
    [[nodiscard]] std::vector<double> takeFrameIntervals();
    [[nodiscard]] QString graphicsDescription() const;

private:
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    ui::Dashboard *m_dashboard = nullptr;
    QQuickWindow *m_window = nullptr;
    class DisplayClock;
    std::unique_ptr<DisplayClock> m_displayClock;
    std::vector<std::int64_t> m_frameStarts;
    bool m_framesConnected = false;
};

} // namespace tickwire::bench
