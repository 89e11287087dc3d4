#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtQml/qqmlregistration.h>

#include "protocol/messages.h"
#include "ui/usersettings.h"

#include <memory>

#include "client/feedclient.h"
#include "market/candlemodel.h"
#include "market/quotesortmodel.h"
#include "ui/orderticket.h"
#include "watchlists/symbolsearchmodel.h"
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

// The dashboard's controller, what QML sees as the `Dashboard` singleton: it wires the feed
// client (network, its own thread) to the market store (models, GUI thread), keeps the
// subscriptions in line with what is shown, flushes the models once per rendered frame, starts
// the embedded demo feed when no server is configured, and (re)connects when the user's
// settings (UserSettings) ask it to.
class Dashboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_DISABLE_COPY_MOVE(Dashboard)

    Q_PROPERTY(tickwire::client::FeedClient *feed READ feed CONSTANT FINAL)
    // The current watchlist as shown: its quotes in the user's order or sorted.
    Q_PROPERTY(tickwire::market::QuoteSortModel *quotes READ quotes CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *book READ book CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *tape READ tape CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::CandleModel *candles READ candles CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *openOrders READ openOrders CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *fills READ fills CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *positions READ positions CONSTANT FINAL)
    Q_PROPERTY(tickwire::ui::OrderTicket *ticket READ ticket CONSTANT FINAL)

    Q_PROPERTY(tickwire::watchlists::WatchlistStore *watchlists READ watchlists CONSTANT FINAL)
    Q_PROPERTY(tickwire::watchlists::SymbolSearchModel *symbolSearch READ symbolSearch CONSTANT FINAL)
    // Owned by the market store; read and written through here.
    Q_PROPERTY(QString selectedSymbol READ selectedSymbol WRITE setSelectedSymbol NOTIFY selectedSymbolChanged FINAL)
    Q_PROPERTY(QString candleInterval READ candleInterval WRITE setCandleInterval NOTIFY candleIntervalChanged FINAL)
    Q_PROPERTY(QVariantList instruments READ instruments NOTIFY instrumentsChanged FINAL)
    Q_PROPERTY(QString tickSize READ tickSize NOTIFY selectedSymbolChanged FINAL)
    Q_PROPERTY(QString selectedName READ selectedName NOTIFY selectedSymbolChanged FINAL)

    Q_PROPERTY(tickwire::ui::UserSettings *settings READ settings CONSTANT FINAL)
    Q_PROPERTY(bool embedded READ isEmbedded NOTIFY serverChanged FINAL)
    // The server named an account for our token: trading is possible.
    Q_PROPERTY(bool hasAccount READ hasAccount NOTIFY accountChanged FINAL)
    Q_PROPERTY(QString account READ account NOTIFY accountChanged FINAL)
    // A number, not qint64: Qt 6.4's qmllint knows no 64-bit integer type.
    Q_PROPERTY(double framesFlushed READ framesFlushed NOTIFY flushed FINAL)

public:
    explicit Dashboard(QObject *parent = nullptr);
    ~Dashboard() override;

    static void setStartupOptions(const StartupOptions &options);
    static Dashboard *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    [[nodiscard]] client::FeedClient *feed() const { return m_feed; }
    [[nodiscard]] market::MarketStore *store() const { return m_store; }
    [[nodiscard]] market::QuoteSortModel *quotes() const { return m_quoteView; }
    [[nodiscard]] QAbstractItemModel *book() const;
    [[nodiscard]] QAbstractItemModel *tape() const;
    [[nodiscard]] market::CandleModel *candles() const;
    [[nodiscard]] QAbstractItemModel *openOrders() const;
    [[nodiscard]] QAbstractItemModel *fills() const;
    [[nodiscard]] QAbstractItemModel *positions() const;
    [[nodiscard]] OrderTicket *ticket() const { return m_ticket; }

    [[nodiscard]] watchlists::WatchlistStore *watchlists() const { return m_watchlists; }
    [[nodiscard]] watchlists::SymbolSearchModel *symbolSearch() const { return m_symbolSearch; }
    // Adds to the current watchlist; returns an error text, empty on success.
    Q_INVOKABLE QString addToWatchlist(const QString &symbol);
    Q_INVOKABLE QString removeFromWatchlist(const QString &symbol);
    [[nodiscard]] QString selectedSymbol() const;
    void setSelectedSymbol(const QString &symbol);
    [[nodiscard]] QString candleInterval() const;
    void setCandleInterval(const QString &interval);
    [[nodiscard]] QVariantList instruments() const;
    [[nodiscard]] QString tickSize() const;
    [[nodiscard]] QString selectedName() const;

    [[nodiscard]] UserSettings *settings() const { return m_settings; }
    [[nodiscard]] bool isEmbedded() const { return m_embedded != nullptr; }
    [[nodiscard]] QString account() const;
    [[nodiscard]] bool hasAccount() const { return !account().isEmpty(); }
    [[nodiscard]] double framesFlushed() const { return static_cast<double>(m_framesFlushed); }

    // Flushes the models once per frame of `window` (and asks for a frame when data arrives).
    Q_INVOKABLE void attachWindow(QQuickWindow *window);

    // Starts the feed (embedded or configured) once the token is known; called once QML is up.
    Q_INVOKABLE void start();
    // Applies one batch now (tests and benchmarks drive the store without a socket).
    void applyBatch(const protocol::EventBatch &batch);
    // Flushes the models now (normally once per frame).
    Q_INVOKABLE void flush();

Q_SIGNALS:
    void selectedSymbolChanged();
    void candleIntervalChanged();
    void instrumentsChanged();
    void serverChanged();
    void accountChanged();
    void flushed();
    // kind: "info", "fill", "error"
    // A toast with a non-empty key replaces the visible one with the same key (the fills of
    // one order become one toast that follows them) instead of stacking another.
    void toast(const QString &kind, const QString &text, const QString &key);
    void openSettingsRequested();

private:
    void syncSubscriptions();
    void showCurrentList();
    void applyStoredSort();
    void requestFrame();
    void reconnect();
    void saveSettings();
    bool startEmbedded(QString *error);
    void setInstruments(const QList<protocol::InstrumentInfo> &instruments);

    UserSettings *m_settings = nullptr;
    client::FeedClient *m_feed = nullptr;
    market::MarketStore *m_store = nullptr;
    OrderTicket *m_ticket = nullptr; // follows the selected symbol
    std::unique_ptr<server::FeedServer> m_embedded;
    QPointer<QQuickWindow> m_window;
    bool m_framePending = false;
    qint64 m_framesFlushed = 0;

    watchlists::WatchlistStore *m_watchlists = nullptr;
    market::QuoteSortModel *m_quoteView = nullptr;
    watchlists::SymbolSearchModel *m_symbolSearch = nullptr;
    QTimer *m_resortTimer = nullptr;
    QList<protocol::InstrumentInfo> m_instruments;
    bool m_startWanted = false;
    bool m_started = false;
};

} // namespace tickwire::ui
