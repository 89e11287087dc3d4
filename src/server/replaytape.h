#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

namespace tickwire::server {

struct RecordedTrade
{
    std::int64_t ts = 0; // ms since the epoch
    QString symbol;
    Decimal price;
    Decimal qty;
    protocol::Side side = protocol::Side::Buy;
    int line = 0; // 1-based line in the source file
};

struct ReplayProblem
{
    int line = 0;
    QString message;
};

// A recorded tape: the good trades in file order and every bad line, by line number.
struct ReplayTape
{
    QList<RecordedTrade> trades;
    QList<ReplayProblem> problems;
    QString error; // the whole file is unusable (cannot open, no trade at all)

    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

enum class ReplayFormat { Detect, Csv, Ndjson };

// CSV lines are `ts,symbol,price,qty,side` (an optional header of those names, blank lines and
// `#` comments allowed); NDJSON lines are objects with the same keys (price and qty as decimal
// strings, as in tickwire/1 `trade` messages). Bad lines and timestamps going backwards are
// reported and skipped; parsing never stops early.
[[nodiscard]] ReplayTape parseReplay(QByteArrayView data,
                                     ReplayFormat format = ReplayFormat::Detect);
[[nodiscard]] ReplayTape loadReplayFile(const QString &path);

} // namespace tickwire::server
