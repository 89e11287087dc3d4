#include "exchanges/tradecandles.h"

namespace tickwire::exchanges {

TradeCandleBuilder::TradeCandleBuilder(QList<protocol::CandleInterval> intervals)
    : m_intervals(std::move(intervals))
{
}

QList<protocol::Candle> TradeCandleBuilder::onTrade(const protocol::Trade &trade)
{
    QList<protocol::Candle> out;
    if (m_lastTradeId && trade.tradeId <= *m_lastTradeId)
        return out;
    m_lastTradeId = trade.tradeId;
    for (const protocol::CandleInterval interval : std::as_const(m_intervals)) {
        const std::int64_t length = protocol::intervalMs(interval);
        const std::int64_t start = trade.ts - ((trade.ts % length) + length) % length;
        std::optional<protocol::Candle> &open = m_open[std::size_t(interval)];
        if (open && start < open->t)
            continue; // late: that interval is over here
        if (!open || start > open->t) {
            protocol::Candle candle;
            candle.symbol = trade.symbol;
            candle.interval = interval;
            candle.t = start;
            candle.o = candle.h = candle.l = candle.c = trade.price;
            candle.v = trade.qty;
            open = candle;
        } else {
            const std::optional<Decimal> volume = open->v.plus(trade.qty);
            if (!volume)
                continue; // beyond 18 digits: keep the candle as it was
            open->v = *volume;
            open->h = std::max(open->h, trade.price);
            open->l = std::min(open->l, trade.price);
            open->c = trade.price;
        }
        out.append(*open);
    }
    return out;
}

} // namespace tickwire::exchanges
