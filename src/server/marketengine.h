#pragma once

#include "server/instruments.h"
#include "server/livemarket.h"
#include "server/marketbackend.h"
#include "server/marketsimulator.h"
#include "server/orderservice.h"
#include "server/publishedevent.h"
#include "server/replaytape.h"
#include "server/streaminterest.h"
#include "server/workerinbox.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>
#include <memory>
#include <vector>

class QTimer;

namespace tickwire::exchanges {
class MarketSource;
struct SourceStatus;
} // namespace tickwire::exchanges

namespace tickwire::server {

struct EngineOptions
{
    quint64 seed = 1;
    double tradesPerSecond = 5; // per instrument, simulation only
    bool history =
        true; // simulation: start with invented candle history (MarketSimulator::backfill)
    int tickMs = 100; // simulation step; book/ticker/candle updates at most this often
    // Trades are generated and published this often (when shorter than tickMs), so that one
    // step's trades do not go out as one burst; the rest of the market keeps tickMs.
    int tradeStepMs = 10;
    ReplayTape replay; // replay mode when it holds trades
    double replaySpeed = 1; // 2 = twice the recorded pace
    bool replayLoop = false;
    // The market comes from a MarketSource (setSource) instead of the simulator or a replay.
    bool live = false;
    // Added to every market stream's seq (the account streams keep theirs). An engine behind
    // gateways starts at its start time in ms x 1000, so that the streams of an engine that
    // restarted continue above where the last one stopped: clients take its snapshots as newer.
    std::int64_t seqBase = 0;
};

// The market on the engine thread: one MarketSimulator per instrument, stepped by a timer (or
// fed by a replay tape), or one LiveMarket per instrument fed by a MarketSource (an exchange
// adapter); their output is sequenced, encoded once per encoding and published as batches to
// the workers. Every method runs on the engine thread; workers reach it only by
// queued calls, and replies go back over the same queued path as `published`, which is what
// keeps a snapshot ahead of the events that follow it.
class MarketEngine : public MarketBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarketEngine)

public:
    MarketEngine(const QList<Instrument> &instruments, EngineOptions options,
                 QObject *parent = nullptr);
    ~MarketEngine() override;

    // Starts stepping; call on the engine thread.
    void start() override;
    void setOrderService(std::unique_ptr<OrderService> service);
    // Live mode: the engine takes `source` as its child (so it moves to the engine thread with
    // it), starts it in start() and stamps seq and book checksums on what it reports. Set
    // before start(), on the thread that created both.
    void setSource(std::unique_ptr<exchanges::MarketSource> source);
    [[nodiscard]] bool isLive() const { return m_options.live; }
    [[nodiscard]] std::int64_t seqBase() const { return m_options.seqBase; }
    [[nodiscard]] bool hasOrderService() const { return m_orderService != nullptr; }
    [[nodiscard]] OrderService *orderService() const { return m_orderService.get(); }
    // The instruments, in stream-id order.
    [[nodiscard]] QList<protocol::InstrumentInfo> instruments() const;

    // ---- seams for the exchange ----
    [[nodiscard]] const protocol::OrderBook *book(const QString &symbol) const;
    // Walks the simulated book for an incoming order, removes that liquidity and publishes
    // the book updates and public trades with normal sequencing.
    QList<Execution> execute(const QString &symbol, protocol::Side side, Decimal qty,
                             std::optional<Decimal> limitPrice);
    // Delivers `event` (Order, Position or OrdersSnapshot) to every session subscribed to the
    // account's orders, in call order, encoded once per encoding.
    void publishAccountEvent(const QString &account, const protocol::Message &event);

    // ---- for the workers (engine thread) ----
    // Snapshot of one stream (ticker/trades/book/candles); nullopt for an unknown stream.
    [[nodiscard]] std::optional<StreamSnapshot> snapshot(protocol::Channel channel,
                                                         const QString &symbol, int tier,
                                                         protocol::CandleInterval interval) const;
    // The same snapshot of market stream `streamId`, encoded once per encoding someone
    // subscribes to, as frames carrying the snapshot's seq: one copy for every subscriber of a
    // worker that lost events of the stream. Empty for an unknown stream.
    [[nodiscard]] PublishedBatch encodedSnapshot(int streamId, protocol::Channel channel,
                                                 const QString &symbol, int tier,
                                                 protocol::CandleInterval interval) const;
    // ---- MarketBackend (in-process: every answer at once) ----
    void snapshots(const QList<StreamRef> &streams, const SnapshotsDone &done) override;
    void resyncSnapshot(int streamId, const StreamRef &stream, const ResyncDone &done) override;
    // Runs `request` through the OrderService.
    void orderRequest(const QString &account, const protocol::Message &request,
                      const OrderService::Reply &reply) override;

    [[nodiscard]] const MarketSimulator *simulator(const QString &symbol) const;
    [[nodiscard]] std::optional<protocol::InstrumentInfo> instrument(const QString &symbol) const;
    [[nodiscard]] std::int64_t now() const;

Q_SIGNALS:
    // Every public trade (simulated, replayed or from execute()).
    void tradeExecuted(const tickwire::protocol::Trade &trade);
    // Replay reached the end of the tape (and does not loop).
    void replayFinished();
    // Live mode: a symbol's book changed (after it was published).
    void bookChanged(const QString &symbol);

private:
    void stepSimulation();
    void stepReplay();
    void publish(int symbolIndex, const MarketUpdate &update, PublishedBatch *batch);
    void publishNow(int symbolIndex, const MarketUpdate &update);
    void applySourceBook(const protocol::Book &book);
    [[nodiscard]] QList<Execution> paperExecute(const QString &symbol, protocol::Side side,
                                                const Decimal &qty,
                                                const std::optional<Decimal> &limitPrice) const;
    void onSourceStatus(const exchanges::SourceStatus &status);
    void append(int symbolIndex, int slot, protocol::Channel channel, std::int64_t seq,
                const protocol::Message &message, PublishedBatch *batch) const;

    EngineOptions m_options;
    std::vector<std::unique_ptr<MarketSimulator>> m_simulators; // simulation and replay
    std::vector<std::unique_ptr<LiveMarket>> m_live; // live mode
    std::vector<MarketState *> m_markets; // either of the above, by instrument index
    exchanges::MarketSource *m_source = nullptr; // child, live mode
    QHash<QString, MarketSimulator *> m_bySymbol;
    QHash<QString, int> m_indexOf; // symbol -> index in m_simulators (the instrument order)
    QList<QString> m_streamKeys; // by stream id
    std::int64_t m_lastTradeStepMs = 0;
    std::unique_ptr<OrderService> m_orderService;
    QTimer *m_timer = nullptr;
    std::int64_t m_lastStepMs = 0;
    // Replay position: index of the next trade, and the wall/tape times that line up.
    qsizetype m_replayIndex = 0;
    std::int64_t m_replayOffsetMs = 0; // added to tape times on later loops
    QElapsedTimer m_replayClock;
    std::int64_t m_replayStartTapeMs = 0;
};

} // namespace tickwire::server
