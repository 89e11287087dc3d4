#pragma once

#include "exchanges/coinbasemessages.h"

#include <QtCore/QHash>

#include <memory>
#include <vector>

namespace tickwire::exchanges::coinbase {

// One product's level2 book on one Coinbase connection. Coinbase sends the whole book as a
// "snapshot" event after each level2 subscribe, then "update" events whose new_quantity is
// the absolute size at a price ("0" removes); the connection's sequence_num (checked by the
// adapter) proves nothing was lost. So: a snapshot replaces the book (published as
// snapshot:true), an update changes levels (snapshot:false). The book is resubscribed
// (unsubscribe and subscribe level2 for this product, which brings a new snapshot) when an
// update arrives before any snapshot, when the connection lost a message (onGap), when a value
// does not fit the tick/lot grid exactly, and when the engine asks. Updates that arrive while
// a resubscribe is under way belong to the old subscription and are dropped. No network and
// no clock: the adapter feeds it and acts on its output.
class CoinbaseBookSync
{
public:
    enum class State {
        Unsubscribed, // no level2 subscription on a connection
        AwaitingSnapshot, // subscribed; the snapshot has not arrived
        Synced,
    };

    struct Output
    {
        std::optional<protocol::Book> book; // to publish (seq and checksum left at 0)
        bool resubscribe = false; // send unsubscribe + subscribe level2 for this product now
        QString resyncReason; // non-empty: the book was dropped, and why
    };

    explicit CoinbaseBookSync(ProductInfo product);

    // level2 was subscribed for this product on a new connection.
    void onSubscribed();
    // One l2_data event for this product; `ts` is its message's timestamp.
    [[nodiscard]] Output onEvent(const BookEvent &event, std::int64_t ts);
    // The connection lost a message (a sequence_num gap) that may have been this book's.
    [[nodiscard]] Output onGap(const QString &reason);
    // The consumer found the book unusable.
    [[nodiscard]] Output resync(const QString &reason);
    // The connection is gone.
    void reset();

    [[nodiscard]] State state() const { return m_state; }
    // A resubscribe was sent and its snapshot has not arrived yet.
    [[nodiscard]] bool isResubscribing() const { return m_resubscribing; }
    // Updates dropped because they belonged to a subscription being replaced.
    [[nodiscard]] qint64 droppedUpdates() const { return m_dropped; }
    [[nodiscard]] const ProductInfo &product() const { return m_product; }
    [[nodiscard]] const protocol::InstrumentInfo &instrument() const { return m_product.info; }

private:
    [[nodiscard]] Output restart(const QString &reason);

    ProductInfo m_product;
    State m_state = State::Unsubscribed;
    bool m_resubscribing = false;
    qint64 m_dropped = 0;
};

// Every product's book on one connection, and the connection's sequence_num: each message must
// carry the previous one's number + 1 (Coinbase numbers all of a connection's messages, every
// channel together). A gap means a message was lost, and since it could have been any
// product's level2 update, every book is resubscribed. The events of one l2_data message are
// applied in order. Pure, like CoinbaseBookSync.
class CoinbaseBookSet
{
public:
    struct Resync
    {
        QString symbol;
        QString reason;
    };
    struct Output
    {
        QList<protocol::Book> books; // to publish, in order
        QStringList resubscribe; // product ids to resubscribe to level2, each once
        QList<Resync> resyncs; // per dropped book, for the log
    };

    explicit CoinbaseBookSet(const QList<ProductInfo> &products);

    // A new connection subscribed level2 for every product; its sequence starts afresh.
    void onConnected();
    // Every decoded (or undecodable) message of the connection, in order of arrival.
    [[nodiscard]] Output onMessage(const MessageResult &message);
    [[nodiscard]] Output resync(const QString &productId, const QString &reason);
    // The connection is gone.
    void reset();

    [[nodiscard]] bool allSynced() const;
    [[nodiscard]] int indexOf(const QString &productId) const
    {
        return m_index.value(productId, -1);
    }
    [[nodiscard]] const CoinbaseBookSync &book(int index) const
    {
        return *m_books[std::size_t(index)];
    }
    [[nodiscard]] int size() const { return int(m_books.size()); }

private:
    void collect(const CoinbaseBookSync &sync, CoinbaseBookSync::Output output, Output *out);
    void gap(const QString &reason, Output *out);

    std::vector<std::unique_ptr<CoinbaseBookSync>> m_books;
    QHash<QString, int> m_index;
    std::optional<std::int64_t> m_lastSequence;
};

} // namespace tickwire::exchanges::coinbase
