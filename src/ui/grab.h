#pragma once

#include <QtCore/QString>

class QQmlApplicationEngine;

namespace tickwire::ui {

// After `delayMs`, renders the engine's first window to `file` (PNG) and quits the
// application: exit code 0 when the image was written, 1 otherwise. For docs and tests.
void grabAndQuit(QQmlApplicationEngine &engine, const QString &file, int delayMs);

} // namespace tickwire::ui
