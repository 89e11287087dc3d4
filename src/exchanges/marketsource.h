#pragma once

#include "protocol/messages.h"

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace tickwire::exchanges {

class FrameRecorder;

// How far a source can be trusted right now: the protocol's source_status states.
using SourceState = protocol::SourceState;

struct SourceStatus
{
    QString source; // "binance"
    SourceState state = SourceState::Down;
    int reconnects = 0; // upstream connections opened after the first
    std::int64_t lastMessageTs = 0; // local receive time of the last upstream message, ms epoch
    friend bool operator==(const SourceStatus &, const SourceStatus &) = default;
};

// A market that comes from somewhere else (an exchange) instead of the simulator. It emits
// typed tickwire/1 messages per symbol, in the instrument's symbol (BASE-QUOTE) with prices
// and quantities already at its tick and lot scale; it leaves every `seq` and book `checksum`
// at 0, because the engine sequences and checksums what it publishes.
//
// Books: a `book` with snapshot:true replaces the symbol's whole book (every resync sends one);
// snapshot:false carries levels whose quantity changed (zero removes), already validated
// against the upstream's own sequencing, in order. Everything is emitted on the thread the
// source lives on; start() and stop() are called there too.
class MarketSource : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarketSource)

public:
    using QObject::QObject;
    ~MarketSource() override = default;

    [[nodiscard]] virtual QString name() const = 0;
    virtual void start() = 0;
    virtual void stop() = 0;
    // The consumer found `symbol`'s book unusable (crossed, say): drop it and fetch a new one.
    virtual void resync(const QString &symbol) = 0;

    // Where the adapter records every frame and REST reply it exchanges upstream (--record);
    // null records nothing. Not owned; must outlive the source.
    void setRecorder(FrameRecorder *recorder) { m_recorder = recorder; }
    [[nodiscard]] FrameRecorder *recorder() const { return m_recorder; }

Q_SIGNALS:
    void tickerReceived(const tickwire::protocol::Ticker &ticker);
    void tradeReceived(const tickwire::protocol::Trade &trade);
    void bookReceived(const tickwire::protocol::Book &book);
    void candleReceived(const tickwire::protocol::Candle &candle);
    void statusChanged(const tickwire::exchanges::SourceStatus &status);

private:
    FrameRecorder *m_recorder = nullptr;
};

// The records of `listed` (with an `info` member) whose tickwire symbols `wanted` names, in
// that order; all of `listed` when `wanted` is empty. nullopt, with `missing` set to the first
// name not found, otherwise.
template<typename Record>
[[nodiscard]] std::optional<QList<Record>> pickInOrder(const QList<Record> &listed,
                                                       const QStringList &wanted, QString *missing)
{
    if (wanted.isEmpty())
        return listed;
    QList<Record> picked;
    for (const QString &symbol : wanted) {
        const auto it = std::find_if(listed.cbegin(), listed.cend(),
                                     [&](const Record &r) { return r.info.symbol == symbol; });
        if (it == listed.cend()) {
            *missing = symbol;
            return std::nullopt;
        }
        picked.append(*it);
    }
    return picked;
}

// GET `url` for instrument discovery: `done(body, error)` is called once, with an error that
// names `what` and the URL when the request fails or the status is not 200. The reply is
// recorded when `recorder` is set, and is a child of `network`.
void fetchJson(QNetworkAccessManager *network, const QUrl &url, const QString &what,
               FrameRecorder *recorder,
               const std::function<void(const QByteArray &body, const QString &error)> &done);

// An exchange's candle (open, high, low, close as decimal text at the tick, volume at the
// lot) as a tickwire candle of `info`'s symbol; nullopt when a value is not exact there.
struct CandleText
{
    QString open, high, low, close, volume;
};
[[nodiscard]] std::optional<protocol::Candle> candleAtStep(const protocol::InstrumentInfo &info,
                                                           protocol::CandleInterval interval,
                                                           std::int64_t start,
                                                           const CandleText &text, bool closed);

// `text` (an exchange's decimal string) written with exactly the decimals of `step` (the tick
// or lot size) when that is exact and on the step grid; nullopt otherwise, never rounded.
[[nodiscard]] std::optional<Decimal> atStep(QStringView text, const Decimal &step);

} // namespace tickwire::exchanges

Q_DECLARE_METATYPE(tickwire::exchanges::SourceStatus)
