#include "client/onscreen.h"

namespace tickwire::client {

QSet<Topic> topicsFor(const OnScreen &screen)
{
    using protocol::Channel;
    QSet<Topic> topics;
    topics.reserve(screen.watchlist.size() + screen.alertTickers.size()
                   + screen.alertTrades.size() + 5);
    for (const QString &symbol : screen.watchlist)
        topics.insert({Channel::Ticker, symbol, std::nullopt});
    if (!screen.selected.isEmpty()) {
        topics.insert({Channel::Ticker, screen.selected, std::nullopt});
        topics.insert({Channel::Book, screen.selected, std::nullopt});
        topics.insert({Channel::Trades, screen.selected, std::nullopt});
        topics.insert({Channel::Candles, screen.selected, screen.interval});
    }
    if (!screen.secondChart.isEmpty()) {
        topics.insert({Channel::Candles, screen.secondChart, screen.secondInterval});
        if (screen.secondBook)
            topics.insert({Channel::Book, screen.secondChart, std::nullopt});
    }
    for (const QString &symbol : screen.alertTickers)
        topics.insert({Channel::Ticker, symbol, std::nullopt});
    for (const QString &symbol : screen.alertTrades)
        topics.insert({Channel::Trades, symbol, std::nullopt});
    if (screen.trading)
        topics.insert({Channel::Orders, QString(), std::nullopt});
    return topics;
}

} // namespace tickwire::client
