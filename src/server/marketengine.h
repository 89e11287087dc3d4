#pragma once

#include "server/instruments.h"
#include "server/livemarket.h"
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
};

// The market on the engine thread: one MarketSimulator per instrument, stepped by a timer (or
// fed by a replay tape), or one LiveMarket per instrument fed by a MarketSource (an exchange
// adapter); their output is sequenced, encoded once per encoding and published as batches to
// the workers. Every method runs on the engine thread; workers reach it only by
// queued calls, and replies go back over the same queued path as `published`, which is what
// keeps a snapshot ahead of the events that follow it.
class MarketEngine : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarketEngine)

public:
    MarketEngine(const QList<Instrument> &instruments, EngineOptions options,
                 QObject *parent = nullptr);
    ~MarketEngine() override;

    // Starts stepping; call on the engine thread.
    void start();
    void setOrderService(std::unique_ptr<OrderService> service);
    // Live mode: the engine takes `source` as its child (so it moves to the engine thread with
    // it), starts it in start() and stamps seq and book checksums on what it reports. Set
    // before start(), on the thread that created both.
    void setSource(std::unique_ptr<exchanges::MarketSource> source);
    [[nodiscard]] bool isLive() const { return m_options.live; }
    // Market events are encoded only in the encodings someone subscribes to (every event in
    // both encodings without it). Set before start().
    void setInterest(std::shared_ptr<const StreamInterest> interest);
    [[nodiscard]] bool hasOrderService() const { return m_orderService != nullptr; }

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
    // Runs `request` through the OrderService and runs `reply` on the worker that owns
    // `inbox`, in order with the batches published meanwhile.
    void handleOrderRequest(const QString &account, const protocol::Message &request,
                            const std::shared_ptr<WorkerInbox> &inbox,
                            const OrderService::Reply &reply);

    [[nodiscard]] const MarketSimulator *simulator(const QString &symbol) const;
    [[nodiscard]] std::optional<protocol::InstrumentInfo> instrument(const QString &symbol) const;
    [[nodiscard]] std::int64_t now() const;

Q_SIGNALS:
    // Everything one step produced, in order (emitted on the engine thread; FeedServer puts it
    // in every worker's inbox). Streams nobody subscribes to are left out.
    void published(const tickwire::server::PublishedBatch &batch);
    // Every public trade (simulated, replayed or from execute()).
    void tradeExecuted(const tickwire::protocol::Trade &trade);
    // Replay reached the end of the tape (and does not loop).
    void replayFinished();
    // The live source's health changed (live mode only; engine thread).
    void sourceStatusChanged(const tickwire::protocol::SourceStatus &status);
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
    std::shared_ptr<const StreamInterest> m_interest;
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
