// Resident memory of a process, for tests that check memory stays bounded (Linux /proc).
#pragma once

#include <QtCore/QtGlobal>

namespace tickwire::testing {

// VmRSS of process `pid` (0: this process) in KiB, or -1 where /proc cannot tell.
[[nodiscard]] qint64 residentKiB(qint64 pid = 0);

} // namespace tickwire::testing
