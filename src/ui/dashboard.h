#pragma once

#include "client/feedclient.h"
#include "market/alertbook.h"
#include "market/marketstore.h"
#include "market/quotesortmodel.h"
#include "ui/demofeed.h"
#include "ui/orderticket.h"
#include "ui/usersettings.h"
#include "ui/workspacestore.h"
#include "watchlists/symbolsearchmodel.h"
#include "watchlists/watchliststore.h"

#include <QtCore/QObject>
#include <QtQml/qqmlregistration.h>
#include <QtQuick/QQuickWindow>

#include <functional>
#include <memory>

class QJSEngine;
class QQmlEngine;
class QTimer;

namespace tickwire::ui {

class AlertNotifier;
class FramePacer;

// The dashboard's composition root, what QML sees as the `Dashboard` singleton. It owns the
// pieces and wires them; each piece owns one thing and QML binds to it directly:
//   feed        FeedClient: the connection (its own I/O thread), subscriptions, orders
//   market      MarketStore: market state, its models, the selected symbol and interval
//   quotes      QuoteSortModel: the current watchlist as shown (user's order or sorted)
//   watchlists  WatchlistStore: the user's lists, their columns and sort, their file
//   ticket      OrderTicket: the order being entered
//   settings    UserSettings: servers, token (keychain), encoding, theme
//   alerts      AlertBook: the price alerts, evaluated on every batch; alertNotifier tells of them
//   workspaces  WorkspaceStore: the named layouts; the current one follows what is on screen,
//               and switching applies the selection and charts to the store (QML the rest)
// The wiring: the current list's symbols become the quote rows; what is on screen becomes the
// subscriptions (client::topicsFor); batches go to the store, flushed once per frame; the
// embedded feed (from the factory main() gives) starts when no server is configured, on the
// market source the settings name, and starts again on another when they change.
class Dashboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_DISABLE_COPY_MOVE(Dashboard)

    Q_PROPERTY(tickwire::client::FeedClient *feed READ feed CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::MarketStore *market READ store CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::QuoteSortModel *quotes READ quotes CONSTANT FINAL)
    Q_PROPERTY(tickwire::watchlists::WatchlistStore *watchlists READ watchlists CONSTANT FINAL)
    Q_PROPERTY(
        tickwire::watchlists::SymbolSearchModel *symbolSearch READ symbolSearch CONSTANT FINAL)
    Q_PROPERTY(tickwire::ui::OrderTicket *ticket READ ticket CONSTANT FINAL)
    Q_PROPERTY(tickwire::ui::UserSettings *settings READ settings CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::AlertBook *alerts READ alerts CONSTANT FINAL)
    Q_PROPERTY(tickwire::ui::AlertNotifier *alertNotifier READ alertNotifier CONSTANT FINAL)
    Q_PROPERTY(tickwire::ui::WorkspaceStore *workspaces READ workspaces CONSTANT FINAL)
    // Connected to the built-in demo feed.
    Q_PROPERTY(bool embedded READ isEmbedded NOTIFY serverChanged FINAL)
    // The built-in feed's market source while it starts or runs ("sim", "binance"…), whether it
    // is still starting (a live source asks the exchange for its instruments first), and why it
    // could not start (empty when it did).
    Q_PROPERTY(QString embeddedSource READ embeddedSource NOTIFY embeddedChanged FINAL)
    Q_PROPERTY(bool embeddedStarting READ isEmbeddedStarting NOTIFY embeddedChanged FINAL)
    Q_PROPERTY(QString embeddedError READ embeddedError NOTIFY embeddedChanged FINAL)

public:
    explicit Dashboard(QObject *parent = nullptr);
    ~Dashboard() override;

    // Set by main() before the QML engine creates the singleton.
    static void setStartupOptions(const StartupOptions &options);
    static void setDemoFeedFactory(DemoFeedFactory factory);
    static Dashboard *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    [[nodiscard]] client::FeedClient *feed() const { return m_feed; }
    [[nodiscard]] market::MarketStore *store() const { return m_store; }
    [[nodiscard]] market::QuoteSortModel *quotes() const { return m_quoteView; }
    [[nodiscard]] watchlists::WatchlistStore *watchlists() const { return m_watchlists; }
    [[nodiscard]] watchlists::SymbolSearchModel *symbolSearch() const { return m_symbolSearch; }
    [[nodiscard]] OrderTicket *ticket() const { return m_ticket; }
    [[nodiscard]] UserSettings *settings() const { return m_settings; }
    [[nodiscard]] market::AlertBook *alerts() const { return m_alerts; }
    [[nodiscard]] AlertNotifier *alertNotifier() const { return m_alertNotifier; }
    [[nodiscard]] WorkspaceStore *workspaces() const { return m_workspaces; }
    [[nodiscard]] bool isEmbedded() const { return m_demoFeed != nullptr; }
    [[nodiscard]] QString embeddedSource() const
    {
        return m_demoFeed ? m_demoFeedOptions.source : QString();
    }
    [[nodiscard]] bool isEmbeddedStarting() const { return m_demoFeed && m_demoFeedStarting; }
    [[nodiscard]] QString embeddedError() const { return m_embeddedError; }

    // Flushes the models once per frame of `window` (and asks for a frame when data arrives).
    Q_INVOKABLE void attachWindow(QQuickWindow *window);
    // Starts the feed (embedded or configured) once the token is known; called once QML is up.
    Q_INVOKABLE void start();
    // Applies one batch now (tests and benchmarks drive the store without a socket).
    void applyBatch(const protocol::EventBatch &batch);
    [[nodiscard]] FramePacer *frames() const { return m_frames; }

Q_SIGNALS:
    void serverChanged();
    void embeddedChanged();
    // kind: "info", "fill", "error", "alert" (a price alert fired)
    // A toast with a non-empty key replaces the visible one with the same key (the fills of
    // one order become one toast that follows them) instead of stacking another.
    void toast(const QString &kind, const QString &text, const QString &key);
    void openSettingsRequested();

private:
    void syncSubscriptions();
    void showCurrentList();
    void applyStoredSort();
    void reconnect();
    void startEmbedded();
    void stopEmbedded();
    void embeddedStarted();
    void embeddedFailed(const QString &error);
    void connectFeed(const QList<QUrl> &servers, const QString &token);
    void saveSelection();
    void setInstruments(const QList<protocol::InstrumentInfo> &instruments);
    void clearUnavailable();
    void showSourceList(const QList<protocol::InstrumentInfo> &instruments,
                        const std::function<bool(const QString &)> &known);
    void notifyAlert(const market::AlertFiring &firing);
    [[nodiscard]] Workspace workspaceFromLegacySettings() const;
    void applyWorkspace();
    void recordCharts();

    UserSettings *m_settings = nullptr;
    client::FeedClient *m_feed = nullptr;
    market::MarketStore *m_store = nullptr;
    OrderTicket *m_ticket = nullptr; // follows the selected symbol
    watchlists::WatchlistStore *m_watchlists = nullptr;
    market::QuoteSortModel *m_quoteView = nullptr;
    watchlists::SymbolSearchModel *m_symbolSearch = nullptr;
    market::AlertBook *m_alerts = nullptr;
    AlertNotifier *m_alertNotifier = nullptr;
    WorkspaceStore *m_workspaces = nullptr;
    FramePacer *m_frames = nullptr;
    QTimer *m_resortTimer = nullptr;
    std::unique_ptr<DemoFeed> m_demoFeed;
    DemoFeedOptions m_demoFeedOptions; // what m_demoFeed was started with
    bool m_demoFeedStarting = false;
    QString m_embeddedError;
    bool m_startWanted = false;
    bool m_started = false;
};

} // namespace tickwire::ui
