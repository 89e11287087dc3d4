#include "fuzzentries.h"

#include "protocol/codec.h"
#include "server/instruments.h"
#include "referencedecoder.h"
#include "server/replaytape.h"
#include "watchlists/watchlistformat.h"

#include <QtCore/QSet>

#include <limits>

using namespace Qt::StringLiterals;

namespace tickwire::fuzz {

namespace {

using protocol::Encoding;

QString encodingName(Encoding encoding)
{
    return encoding == Encoding::Json ? u"JSON"_s : u"CBOR"_s;
}

// A decoded message must come back identical through both encodings: what the server or the
// client accepts, it can also write, and the other side reads the same values.
QString decodeRoundTrip(QByteArrayView input, Encoding encoding)
{
    // The single-pass decoder accepts and refuses exactly what the DOM-based one did.
    if (QString difference = protocol::reference::differenceFromReference(input, encoding);
        !difference.isEmpty())
        return difference;
    const protocol::DecodeResult result = protocol::decode(input, encoding);
    if (!result.ok()) {
        static const QSet<QString> codes = {u"bad_request"_s, u"unknown_type"_s,
                                            u"unknown_channel"_s, u"too_large"_s};
        if (!codes.contains(result.error.code))
            return u"decode error with code \"%1\""_s.arg(result.error.code);
        if (result.error.message.isEmpty())
            return u"decode error without a message"_s;
        return {};
    }
    protocol::DecodeLimits unlimited; // escaping may make the re-encoded form larger
    unlimited.maxBytes = std::numeric_limits<qsizetype>::max();
    for (const Encoding through : {Encoding::Json, Encoding::Cbor}) {
        const QByteArray bytes = protocol::encode(*result.message, through);
        const protocol::DecodeResult again = protocol::decode(bytes, through, unlimited);
        if (!again.ok())
            return u"the %1 form of a decoded \"%2\" does not decode: %3"_s.arg(
                encodingName(through), protocol::typeName(*result.message), again.error.message);
        if (*again.message != *result.message)
            return u"a decoded \"%1\" changes through %2"_s.arg(protocol::typeName(*result.message),
                                                                encodingName(through));
    }
    return {};
}

QString checkTape(const server::ReplayTape &tape, qsizetype lineCount)
{
    if (tape.ok() == tape.trades.isEmpty())
        return u"ok() is %1 with %2 trades"_s.arg(tape.ok() ? u"true"_s : u"false"_s)
            .arg(tape.trades.size());
    int lastLine = 0;
    std::int64_t lastTs = -1;
    for (const server::RecordedTrade &t : tape.trades) {
        if (t.line <= lastLine || t.line > lineCount)
            return u"trade line %1 out of order or range"_s.arg(t.line);
        if (t.ts < lastTs)
            return u"line %1: timestamp goes backwards"_s.arg(t.line);
        if (t.symbol.isEmpty() || t.symbol != t.symbol.trimmed())
            return u"line %1: symbol \"%2\" kept untrimmed or empty"_s.arg(t.line).arg(t.symbol);
        if (!t.price.isPositive() || !t.qty.isPositive())
            return u"line %1: price or qty not positive"_s.arg(t.line);
        lastLine = t.line;
        lastTs = t.ts;
    }
    lastLine = 0;
    for (const server::ReplayProblem &p : tape.problems) {
        if (p.line <= lastLine || p.line > lineCount || p.message.isEmpty())
            return u"problem on line %1 out of order, out of range or unexplained"_s.arg(p.line);
        lastLine = p.line;
    }
    return {};
}

} // namespace

QString jsonDecode(QByteArrayView input)
{
    return decodeRoundTrip(input, Encoding::Json);
}

QString cborDecode(QByteArrayView input)
{
    return decodeRoundTrip(input, Encoding::Cbor);
}

QString replay(QByteArrayView input)
{
    const qsizetype lineCount = input.count('\n') + 1;
    for (const auto format :
         {server::ReplayFormat::Detect, server::ReplayFormat::Csv, server::ReplayFormat::Ndjson}) {
        if (QString problem = checkTape(server::parseReplay(input, format), lineCount);
            !problem.isEmpty())
            return u"format %1: "_s.arg(int(format)) + problem;
    }
    return {};
}

QString instruments(QByteArrayView input)
{
    const server::InstrumentsResult result = server::parseInstruments(input);
    if (!result.ok()) {
        if (!result.instruments.isEmpty())
            return u"an error (%1) with instruments loaded"_s.arg(result.error);
        return {};
    }
    if (result.instruments.isEmpty())
        return u"success without instruments"_s;
    QSet<QString> symbols;
    for (const server::Instrument &in : result.instruments) {
        const auto &info = in.info;
        if (info.symbol.isEmpty() || symbols.contains(info.symbol))
            return u"empty or duplicate symbol \"%1\""_s.arg(info.symbol);
        symbols.insert(info.symbol);
        if (!info.tickSize.isPositive() || !info.lotSize.isPositive())
            return u"%1: tick or lot not positive"_s.arg(info.symbol);
        if (!in.initialPrice.isPositive() || !in.initialPrice.isMultipleOf(info.tickSize)
            || in.initialPrice.scale() != info.tickSize.scale())
            return u"%1: price %2 off the tick grid %3"_s.arg(
                info.symbol, in.initialPrice.toString(), info.tickSize.toString());
        if (!(in.volatility >= 0 && in.volatility <= 10))
            return u"%1: volatility %2 out of range"_s.arg(info.symbol).arg(in.volatility);
    }
    return {};
}

QString watchlist(QByteArrayView input)
{
    for (const bool allowEmpty : {false, true}) {
        const watchlists::ParseResult parsed = watchlists::parseDocument(input, allowEmpty);
        if (!parsed.ok()) {
            if (parsed.failure == watchlists::ParseFailure::None || parsed.error.isEmpty())
                return u"refused without a reason"_s;
            continue;
        }
        const watchlists::WatchlistDocument &document = *parsed.document;
        if (document.lists.size() > watchlists::MaxLists
            || (!allowEmpty && document.lists.isEmpty()))
            return u"%1 lists accepted"_s.arg(document.lists.size());
        if (!document.lists.isEmpty()
            && (document.current < 0 || document.current >= document.lists.size()))
            return u"current index %1 out of range"_s.arg(document.current);
        for (const watchlists::Watchlist &list : document.lists) {
            if (const QString why = watchlists::validate(list); !why.isEmpty())
                return u"accepted an invalid list: "_s + why;
        }
        // What was loaded is saved and loaded again: nothing may change or be refused.
        const watchlists::ParseResult reloaded =
            watchlists::parseDocument(watchlists::toJson(document), allowEmpty);
        if (!reloaded.ok())
            return u"a saved document does not load: "_s + reloaded.error;
        if (*reloaded.document != document)
            return u"a document changes through save and load"_s;
    }

    // Import, then export and import again: the same symbols, no complaints.
    const watchlists::SymbolImport imported =
        watchlists::parseSymbolText(QString::fromUtf8(input.data(), input.size()));
    if (QSet<QString>(imported.symbols.cbegin(), imported.symbols.cend()).size()
        != imported.symbols.size())
        return u"an import with duplicate symbols"_s;
    const watchlists::SymbolImport again =
        watchlists::parseSymbolText(watchlists::toSymbolText(imported.symbols));
    if (again.symbols != imported.symbols || !again.issues.isEmpty())
        return u"exported symbols import differently (%1 -> %2 symbols, %3 issues)"_s
            .arg(imported.symbols.size())
            .arg(again.symbols.size())
            .arg(again.issues.size());
    return {};
}

QList<Entry> entries()
{
    return {
        {"json_decode", &jsonDecode},  {"cbor_decode", &cborDecode}, {"replay", &replay},
        {"instruments", &instruments}, {"watchlist", &watchlist},
    };
}

} // namespace tickwire::fuzz
