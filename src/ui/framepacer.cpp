#include "ui/framepacer.h"

#include <QtQuick/QQuickWindow>

namespace tickwire::ui {

FramePacer::FramePacer(std::function<void()> flush, QObject *parent)
    : QObject(parent)
    , m_flush(std::move(flush))
{
}

void FramePacer::attachWindow(QQuickWindow *window)
{
    if (m_window)
        disconnect(m_window, nullptr, this, nullptr);
    m_window = window;
    if (!window)
        return;
    // afterAnimating is emitted on the GUI thread at the start of every frame, before the
    // scene graph syncs: the one place where model changes reach this very frame.
    connect(window, &QQuickWindow::afterAnimating, this, &FramePacer::flushNow);
}

void FramePacer::requestFrame()
{
    if (m_pending)
        return;
    m_pending = true;
    if (m_window)
        m_window->requestUpdate();
    else
        QMetaObject::invokeMethod(this, &FramePacer::flushNow, Qt::QueuedConnection);
}

void FramePacer::flushNow()
{
    m_pending = false;
    m_flush();
    ++m_framesFlushed;
}

} // namespace tickwire::ui
