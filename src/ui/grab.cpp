#include "ui/grab.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

namespace tickwire::ui {

void grabAndQuit(QQmlApplicationEngine &engine, const QString &file, int delayMs)
{
    QTimer::singleShot(delayMs, &engine, [&engine, file] {
        const QList<QObject *> roots = engine.rootObjects();
        auto *window = roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first());
        const QImage image = window ? window->grabWindow() : QImage();
        const bool ok = !image.isNull() && image.save(file);
        std::fprintf(stderr, ok ? "tickwire: saved %s\n" : "tickwire: could not save %s\n",
                     qPrintable(file));
        QCoreApplication::exit(ok ? 0 : 1);
    });
}

} // namespace tickwire::ui
