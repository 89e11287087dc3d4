#pragma once

#include "protocol/messages.h"

#include <QtCore/QList>

#include <array>
#include <optional>

namespace tickwire::exchanges {

// Candles of one symbol built from its trades, for the intervals an exchange does not stream.
// Each trade updates the open candle of every interval; a trade in a later interval opens a
// new candle (the engine's LiveMarket then closes the previous one as last seen). Trades whose
// id is not past the last one taken are repeats (a resubscribe resends recent trades) and are
// ignored, as are trades older than an interval's open candle. The first candle of each
// interval only holds the trades seen since the source started. Pure: no clock.
class TradeCandleBuilder
{
public:
    explicit TradeCandleBuilder(QList<protocol::CandleInterval> intervals);

    // The candles `trade` changed, one per interval, closed:false; empty for a repeat.
    [[nodiscard]] QList<protocol::Candle> onTrade(const protocol::Trade &trade);

    [[nodiscard]] const QList<protocol::CandleInterval> &intervals() const { return m_intervals; }

private:
    QList<protocol::CandleInterval> m_intervals;
    std::array<std::optional<protocol::Candle>, 5> m_open; // by CandleInterval
    std::optional<std::int64_t> m_lastTradeId;
};

} // namespace tickwire::exchanges
