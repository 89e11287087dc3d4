#include "server/replaytape.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <cmath>

namespace tickwire::server {

using namespace Qt::StringLiterals;

namespace {

// Returns an error message, or an empty string when `out` was filled.
QString fillTrade(RecordedTrade *out, QStringView ts, QStringView symbol, QStringView price,
                  QStringView qty, QStringView side)
{
    bool tsOk = false;
    out->ts = ts.toLongLong(&tsOk);
    if (!tsOk || out->ts < 0)
        return u"bad timestamp \"%1\" (expected milliseconds since the epoch)"_s.arg(ts);
    out->symbol = symbol.trimmed().toString();
    if (out->symbol.isEmpty())
        return u"empty symbol"_s;
    const auto p = Decimal::parse(price.trimmed());
    if (!p || !p->isPositive())
        return u"bad price \"%1\""_s.arg(price);
    const auto q = Decimal::parse(qty.trimmed());
    if (!q || !q->isPositive())
        return u"bad qty \"%1\""_s.arg(qty);
    const auto s = protocol::sideFromString(side.trimmed());
    if (!s)
        return u"bad side \"%1\" (expected buy or sell)"_s.arg(side);
    out->price = *p;
    out->qty = *q;
    out->side = *s;
    return {};
}

QString parseCsvLine(QStringView line, RecordedTrade *out)
{
    const QList<QStringView> fields = line.split(u',');
    if (fields.size() != 5)
        return u"expected 5 fields ts,symbol,price,qty,side, got %1"_s.arg(fields.size());
    return fillTrade(out, fields[0].trimmed(), fields[1], fields[2], fields[3], fields[4]);
}

QString parseJsonLine(QByteArrayView line, RecordedTrade *out)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return u"malformed JSON at offset %1: %2"_s.arg(error.offset).arg(error.errorString());
    if (!doc.isObject())
        return u"expected a JSON object"_s;
    const QJsonObject o = doc.object();
    const QJsonValue ts = o.value("ts"_L1);
    // Range before the cast: a double beyond qint64 does not convert (undefined behaviour).
    const double tsValue = ts.toDouble();
    if (!ts.isDouble() || !(tsValue > -9.2e18 && tsValue < 9.2e18)
        || tsValue != std::trunc(tsValue))
        return u"\"ts\" must be an integer"_s;
    for (auto key : {"symbol"_L1, "price"_L1, "qty"_L1, "side"_L1}) {
        if (!o.value(key).isString())
            return u"\"%1\" must be a string"_s.arg(key);
    }
    return fillTrade(out, QString::number(qint64(tsValue)), o.value("symbol"_L1).toString(),
                     o.value("price"_L1).toString(), o.value("qty"_L1).toString(),
                     o.value("side"_L1).toString());
}

} // namespace

ReplayTape parseReplay(QByteArrayView data, ReplayFormat format)
{
    ReplayTape tape;
    const QList<QByteArray> lines = data.toByteArray().split('\n');
    std::int64_t lastTs = -1;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNo = int(i + 1);
        const QByteArray raw = lines[i].trimmed();
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        if (format == ReplayFormat::Detect)
            format = raw.startsWith('{') ? ReplayFormat::Ndjson : ReplayFormat::Csv;
        RecordedTrade trade;
        trade.line = lineNo;
        QString problem;
        if (format == ReplayFormat::Csv) {
            const QString text = QString::fromUtf8(raw);
            if (text.startsWith("ts,"_L1) && text.contains("symbol"_L1))
                continue; // header
            problem = parseCsvLine(text, &trade);
        } else {
            problem = parseJsonLine(raw, &trade);
        }
        if (problem.isEmpty() && trade.ts < lastTs)
            problem = u"timestamp %1 goes backwards (previous %2)"_s.arg(trade.ts).arg(lastTs);
        if (!problem.isEmpty()) {
            tape.problems.append(ReplayProblem{lineNo, problem});
            continue;
        }
        lastTs = trade.ts;
        tape.trades.append(trade);
    }
    if (tape.trades.isEmpty())
        tape.error =
            u"no valid trade in the replay data (%1 bad lines)"_s.arg(tape.problems.size());
    return tape;
}

ReplayTape loadReplayFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ReplayTape tape;
        tape.error = u"cannot open %1: %2"_s.arg(path, file.errorString());
        return tape;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    const ReplayFormat format = suffix == "csv"_L1 ? ReplayFormat::Csv
                                : (suffix == "ndjson"_L1 || suffix == "jsonl"_L1)
                                    ? ReplayFormat::Ndjson
                                    : ReplayFormat::Detect;
    ReplayTape tape = parseReplay(file.readAll(), format);
    if (!tape.ok())
        tape.error = path + u": "_s + tape.error;
    return tape;
}

} // namespace tickwire::server
