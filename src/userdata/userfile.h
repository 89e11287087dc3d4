#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <optional>

namespace tickwire::userdata {

enum class Folder { Create, MustExist };

// Writes `bytes` to `path` (creating its folder, or not: a path the user typed must exist) into
// a temporary file renamed over the old one (QSaveFile), so a crash or a full disk leaves the
// previous complete file, never a torn one. nullopt on success, else why not (for a message
// that names the file).
[[nodiscard]] std::optional<QString> writeAtomically(const QString &path, QByteArrayView bytes,
                                                     Folder folder = Folder::Create);

// Moves a file that could not be read out of the way, to `<path>.bad-<UTC time>` (with a
// number when that exists), so that it is kept for the user and a new file can be written.
// The new path, or nullopt when the file could not be moved (then nothing may overwrite it).
[[nodiscard]] std::optional<QString> moveAside(const QString &path);

} // namespace tickwire::userdata
