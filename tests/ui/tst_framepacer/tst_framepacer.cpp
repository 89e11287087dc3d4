#include "ui/framepacer.h"

#include <QtGui/QGuiApplication>
#include <QtQuick/QQuickWindow>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace tickwire;

// One flush per frame, only when asked for.
class tst_FramePacer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestsCoalesceWithoutWindow();
    void flushesOnTheWindowsFrames();
};

void tst_FramePacer::requestsCoalesceWithoutWindow()
{
    int flushes = 0;
    ui::FramePacer pacer([&] { ++flushes; });
    pacer.requestFrame();
    pacer.requestFrame();
    pacer.requestFrame();
    QCOMPARE(flushes, 0); // queued, not immediate
    QTRY_COMPARE(flushes, 1); // three requests, one flush
    QCoreApplication::processEvents();
    QCOMPARE(flushes, 1); // nothing asked since: no more flushes
    pacer.requestFrame();
    QTRY_COMPARE(flushes, 2);
    QCOMPARE(pacer.framesFlushed(), 2);
}

void tst_FramePacer::flushesOnTheWindowsFrames()
{
    int flushes = 0;
    ui::FramePacer pacer([&] { ++flushes; });
    QQuickWindow window;
    window.resize(64, 64);
    pacer.attachWindow(&window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int exposed = flushes; // every frame flushes (the scene graph's own frames too)
    pacer.requestFrame();
    QTRY_VERIFY(flushes > exposed);
    pacer.attachWindow(nullptr);
    const int detached = flushes;
    window.requestUpdate();
    QTest::qWait(50);
    QCOMPARE(flushes, detached);
}

QTEST_MAIN(tst_FramePacer)
#include "tst_framepacer.moc"
