#pragma once

#include "client/topic.h"

#include <QtCore/QSet>
#include <QtCore/QStringList>

namespace tickwire::client {

// What the dashboard shows, as far as the feed is concerned.
struct OnScreen
{
    QStringList watchlist{}; // the current watchlist's symbols
    QString selected{}; // the charted symbol; empty for none
    protocol::CandleInterval interval = protocol::CandleInterval::M1;
    // The second chart's symbol (empty when hidden) and interval: its candles.
    QString secondChart{};
    protocol::CandleInterval secondInterval = protocol::CandleInterval::M1;
    bool secondBook = false; // the second chart shows its depth: its symbol's book
    bool trading = false; // credentials were given: the account's order stream is wanted
    // Symbols the price alerts watch, on screen or not: their tickers, and their trades for
    // alerts on the last price.
    QStringList alertTickers{};
    QStringList alertTrades{};
};

// The subscriptions that show it: the ticker of every watchlist symbol and of the selection,
// the selection's book, trades and candles of its interval, the second chart's candles (and book,
// on its depth tab), the alerts' tickers and trades, and `orders` when trading. A pure function, so
// the subscriptions exist once: FeedClient::setSubscriptions takes the result and works out alone
// what to request and to drop.
[[nodiscard]] QSet<Topic> topicsFor(const OnScreen &screen);

} // namespace tickwire::client
