#include "processmemory.h"

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QString>

using namespace Qt::StringLiterals;

namespace tickwire::testing {

qint64 residentKiB(qint64 pid)
{
    QFile status(pid > 0 ? u"/proc/%1/status"_s.arg(pid) : u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace tickwire::testing
