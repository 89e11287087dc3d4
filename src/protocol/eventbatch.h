#pragma once

#include "protocol/messages.h"

#include <QtCore/QList>
#include <QtCore/QMetaType>

namespace tickwire::protocol {

// A verified view of one symbol's order book: what the GUI may show. Produced by the client's
// I/O thread after sequence and checksum checks; never crossed.
struct BookView
{
    QString symbol;
    std::int64_t seq = 0;
    std::int64_t ts = 0;
    QList<protocol::BookLevel> bids; // best (highest) first
    QList<protocol::BookLevel> asks; // best (lowest) first
    bool resynced = false; // the book was (re)built from a snapshot in this batch
};

// What the client hands the GUI thread in one go (at most once per client flush interval):
// sequenced, de-duplicated, verified events in arrival order, plus the latest book view of
// every symbol whose book changed. The GUI thread never parses wire messages.
struct EventBatch
{
    // Ticker, Trade, TradesSnapshot, Candle, CandlesSnapshot, Order, Position, OrdersSnapshot
    // and Error messages, in the order they arrived.
    QList<protocol::Message> events;
    QList<BookView> books;

    [[nodiscard]] bool isEmpty() const { return events.isEmpty() && books.isEmpty(); }
};

} // namespace tickwire::protocol

Q_DECLARE_METATYPE(tickwire::protocol::EventBatch)
