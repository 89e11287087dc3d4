#include "userdata/userfile.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>

namespace tickwire::userdata {

using namespace Qt::StringLiterals;

std::optional<QString> writeAtomically(const QString &path, QByteArrayView bytes, Folder folder)
{
    const QString folderPath = QFileInfo(path).absolutePath();
    if (folder == Folder::Create && !QDir().mkpath(folderPath)) {
        return QCoreApplication::translate("tickwire::userdata", "cannot create the folder %1")
            .arg(folderPath);
    }
    QSaveFile file(path);
    // Unbuffered: with a buffer, Qt 6.4 reports a short write at commit (EFBIG, ENOSPC) as
    // success and renames the torn file over the good one. Unbuffered, write() returns the
    // short count and the write is cancelled instead.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return file.errorString();
    if (file.write(bytes.data(), bytes.size()) != bytes.size() || !file.commit()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return reason;
    }
    return std::nullopt;
}

std::optional<QString> moveAside(const QString &path)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
    QString aside = path + u".bad-"_s + stamp;
    for (int n = 2; QFileInfo::exists(aside); ++n)
        aside = path + u".bad-"_s + stamp + u'-' + QString::number(n);
    if (!QFile::rename(path, aside))
        return std::nullopt;
    return aside;
}

} // namespace tickwire::userdata
