#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtQml/qqmlregistration.h>

#include "protocol/messages.h"

#include <memory>

#include "market/candlemodel.h"
#include "market/quotemodel.h"
#include "client/feedclient.h"
#include "watchlists/symbolsearchmodel.h"
#include "watchlists/watchlistmodel.h"
#include "watchlists/watchlistsortmodel.h"
#include "watchlists/watchliststore.h"

#include <QtCore/QAbstractItemModel>
#include <QtQuick/QQuickWindow>

class QJSEngine;
class QTimer;
class QQmlEngine;

namespace tickwire::market {
class MarketStore;
}
namespace tickwire::server {
class FeedServer;
}

namespace tickwire::ui {

// How the app was started; set by main() before the QML engine creates the singleton.
struct StartupOptions
{
    QUrl server;       // overrides the saved server; empty: saved one, else the embedded demo
    QString token;     // overrides the saved token
    bool forceEmbedded = false;
    QString theme;     // "dark" / "light" overrides the saved theme
};

// The dashboard's controller, what QML sees as the `Dashboard` singleton: it wires the feed
// client (network, its own thread) to the market store (models, GUI thread), keeps the
// subscriptions in line with what is shown, flushes the models once per rendered frame, starts
// the embedded demo feed when no server is configured, and keeps the user's settings.
class Dashboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_DISABLE_COPY_MOVE(Dashboard)

    Q_PROPERTY(tickwire::client::FeedClient *feed READ feed CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::QuoteModel *quotes READ quotes CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *book READ book CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *tape READ tape CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::CandleModel *candles READ candles CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *openOrders READ openOrders CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *fills READ fills CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *positions READ positions CONSTANT FINAL)

    Q_PROPERTY(tickwire::watchlists::WatchlistStore *watchlists READ watchlists CONSTANT FINAL)
    Q_PROPERTY(tickwire::watchlists::WatchlistModel *watchlistModel READ watchlistModel CONSTANT FINAL)
    Q_PROPERTY(tickwire::watchlists::WatchlistSortModel *watchlistSort READ watchlistSort CONSTANT FINAL)
    Q_PROPERTY(tickwire::watchlists::SymbolSearchModel *symbolSearch READ symbolSearch CONSTANT FINAL)
    // The symbols of the current watchlist in the order shown (the user's, or sorted).
    Q_PROPERTY(QStringList watchlist READ watchlist NOTIFY watchlistChanged FINAL)
    Q_PROPERTY(QString selectedSymbol READ selectedSymbol WRITE setSelectedSymbol NOTIFY selectedSymbolChanged FINAL)
    Q_PROPERTY(QString candleInterval READ candleInterval WRITE setCandleInterval NOTIFY candleIntervalChanged FINAL)
    Q_PROPERTY(QVariantList instruments READ instruments NOTIFY instrumentsChanged FINAL)
    Q_PROPERTY(QString tickSize READ tickSize NOTIFY selectedSymbolChanged FINAL)
    Q_PROPERTY(QString lotSize READ lotSize NOTIFY selectedSymbolChanged FINAL)
    Q_PROPERTY(QString selectedName READ selectedName NOTIFY selectedSymbolChanged FINAL)

    Q_PROPERTY(bool embedded READ isEmbedded NOTIFY serverChanged FINAL)
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY serverChanged FINAL)
    Q_PROPERTY(QString token READ token NOTIFY serverChanged FINAL)
    Q_PROPERTY(QString encoding READ encoding NOTIFY serverChanged FINAL)
    // The server named an account for our token: trading is possible.
    Q_PROPERTY(bool hasAccount READ hasAccount NOTIFY accountChanged FINAL)
    Q_PROPERTY(QString account READ account NOTIFY accountChanged FINAL)
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged FINAL)
    // A number, not qint64: Qt 6.4's qmllint knows no 64-bit integer type.
    Q_PROPERTY(double framesFlushed READ framesFlushed NOTIFY flushed FINAL)

public:
    explicit Dashboard(QObject *parent = nullptr);
    ~Dashboard() override;

    static void setStartupOptions(const StartupOptions &options);
    static Dashboard *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    [[nodiscard]] client::FeedClient *feed() const { return m_feed; }
    [[nodiscard]] market::MarketStore *store() const { return m_store; }
    [[nodiscard]] market::QuoteModel *quotes() const;
    [[nodiscard]] QAbstractItemModel *book() const;
    [[nodiscard]] QAbstractItemModel *tape() const;
    [[nodiscard]] market::CandleModel *candles() const;
    [[nodiscard]] QAbstractItemModel *openOrders() const;
    [[nodiscard]] QAbstractItemModel *fills() const;
    [[nodiscard]] QAbstractItemModel *positions() const;

    [[nodiscard]] watchlists::WatchlistStore *watchlists() const { return m_watchlists; }
    [[nodiscard]] watchlists::WatchlistModel *watchlistModel() const { return m_watchlistModel; }
    [[nodiscard]] watchlists::WatchlistSortModel *watchlistSort() const { return m_watchlistSort; }
    [[nodiscard]] watchlists::SymbolSearchModel *symbolSearch() const { return m_symbolSearch; }
    [[nodiscard]] QStringList watchlist() const { return m_watchlist; }
    // Adds to the current watchlist; returns an error text, empty on success.
    Q_INVOKABLE QString addToWatchlist(const QString &symbol);
    Q_INVOKABLE QString removeFromWatchlist(const QString &symbol);
    // Header click: sort by a column, a second click restores the user's order.
    Q_INVOKABLE QString toggleSort(const QString &column);
    [[nodiscard]] QString selectedSymbol() const { return m_selected; }
    void setSelectedSymbol(const QString &symbol);
    [[nodiscard]] QString candleInterval() const { return m_interval; }
    void setCandleInterval(const QString &interval);
    [[nodiscard]] QVariantList instruments() const;
    [[nodiscard]] QString tickSize() const;
    [[nodiscard]] QString lotSize() const;
    [[nodiscard]] QString selectedName() const;

    [[nodiscard]] bool isEmbedded() const { return m_embedded != nullptr; }
    [[nodiscard]] QString serverUrl() const { return m_url.toString(); }
    [[nodiscard]] QString token() const { return m_token; }
    [[nodiscard]] QString encoding() const { return m_encoding; }
    [[nodiscard]] QString account() const;
    [[nodiscard]] bool hasAccount() const { return !account().isEmpty(); }
    [[nodiscard]] QString theme() const { return m_theme; }
    void setTheme(const QString &theme);
    [[nodiscard]] double framesFlushed() const { return static_cast<double>(m_framesFlushed); }

    // Flushes the models once per frame of `window` (and asks for a frame when data arrives).
    Q_INVOKABLE void attachWindow(QQuickWindow *window);
    // Connects to a server (empty url: the embedded demo feed) and saves the choice.
    Q_INVOKABLE void connectTo(const QString &url, const QString &token, const QString &encoding);
    // Returns an error text, empty when the request was sent.
    Q_INVOKABLE QString placeOrder(const QString &side, const QString &type, const QString &qty,
                                   const QString &price);
    Q_INVOKABLE QString cancelOrder(const QString &orderId);
    Q_INVOKABLE QString cancelAll();
    // Snaps a decimal text to the selected instrument's tick (or lot) grid; "" if unparseable.
    Q_INVOKABLE QString snapPrice(const QString &text, int steps = 0) const;
    Q_INVOKABLE QString snapQty(const QString &text, int steps = 0) const;
    // Why a quantity or price text is not acceptable for the selected instrument ("" if fine).
    Q_INVOKABLE QString checkQty(const QString &text) const;
    Q_INVOKABLE QString checkPrice(const QString &text) const;
    // price x qty at the selected instrument's scale, "" when either is not a number.
    // The price a marketable order of that side would meet now: the best ask for "buy", the
    // best bid for "sell", of the selected symbol; empty while there is no quote.
    Q_INVOKABLE QString touchPrice(const QString &side) const;
    Q_INVOKABLE QString notional(const QString &qty, const QString &price) const;

    // Starts the feed (embedded or configured); called once QML is up.
    Q_INVOKABLE void start();
    // Applies one batch now (tests and benchmarks drive the store without a socket).
    void applyBatch(const protocol::EventBatch &batch);
    // Flushes the models now (normally once per frame).
    Q_INVOKABLE void flush();

Q_SIGNALS:
    void watchlistChanged();
    void selectedSymbolChanged();
    void candleIntervalChanged();
    void instrumentsChanged();
    void serverChanged();
    void accountChanged();
    void themeChanged();
    void flushed();
    // kind: "info", "fill", "error"
    // A toast with a non-empty key replaces the visible one with the same key (the fills of
    // one order become one toast that follows them) instead of stacking another.
    void toast(const QString &kind, const QString &text, const QString &key);
    void openSettingsRequested();

private:
    void syncSubscriptions();
    void refreshWatchlistOrder();
    std::optional<Decimal> quoteValue(const QString &symbol, watchlists::Column column) const;
    void requestFrame();
    void saveSettings();
    bool startEmbedded(QString *error);
    void setInstruments(const QList<protocol::InstrumentInfo> &instruments);

    client::FeedClient *m_feed = nullptr;
    market::MarketStore *m_store = nullptr;
    std::unique_ptr<server::FeedServer> m_embedded;
    QPointer<QQuickWindow> m_window;
    bool m_framePending = false;
    qint64 m_framesFlushed = 0;

    watchlists::WatchlistStore *m_watchlists = nullptr;
    watchlists::WatchlistModel *m_watchlistModel = nullptr;
    watchlists::WatchlistSortModel *m_watchlistSort = nullptr;
    watchlists::SymbolSearchModel *m_symbolSearch = nullptr;
    QTimer *m_resortTimer = nullptr;
    QList<protocol::InstrumentInfo> m_instruments;
    QStringList m_watchlist;
    QString m_selected;
    QString m_interval = QStringLiteral("1m");
    QSet<QString> m_subscribed;
    QUrl m_url;
    QString m_token;
    QString m_encoding = QStringLiteral("json");
    QString m_theme = QStringLiteral("dark");
    bool m_started = false;
};

} // namespace tickwire::ui
