#include "ui/dashboard.h"

#include "client/feedclient.h"
#include "client/onscreen.h"
#include "server/feedserver.h"
#include "market/marketstore.h"

#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtCore/QUuid>
#include <QtQuick/QQuickWindow>

namespace tickwire::ui {

using namespace Qt::StringLiterals;
using client::FeedClient;

namespace {

StartupOptions &startup()
{
    static StartupOptions options;
    return options;
}

} // namespace

QString Dashboard::account() const
{
    return m_feed->account();
}

Dashboard::Dashboard(QObject *parent)
    : QObject(parent)
    , m_settings(new UserSettings(startup(), {}, {}, this))
    , m_feed(new FeedClient(this))
    , m_store(new market::MarketStore(this))
    , m_ticket(new OrderTicket(m_store, m_feed, this))
    , m_watchlists(new watchlists::WatchlistStore(this))
    , m_quoteView(new market::QuoteSortModel(m_store->quotes(), this))
    , m_symbolSearch(new watchlists::SymbolSearchModel(this))
    , m_resortTimer(new QTimer(this))
{
    m_watchlists->load();
    connect(m_feed, &FeedClient::accountChanged, this, &Dashboard::accountChanged);
    connect(m_ticket, &OrderTicket::message, this, &Dashboard::toast);
    // The chain: the watchlist store (the user's lists) -> QuoteModel rows in the user's order
    // (edits and drags are row moves) -> QuoteSortModel (the list's saved sort) -> the view.
    using watchlists::WatchlistStore;
    connect(m_watchlists, &WatchlistStore::currentListChanged, this, [this] {
        showCurrentList();
        applyStoredSort();
    });
    const auto editedCurrent = [this](int index) {
        if (index == m_watchlists->currentIndex())
            showCurrentList();
    };
    connect(m_watchlists, &WatchlistStore::symbolsInserted, this, editedCurrent);
    connect(m_watchlists, &WatchlistStore::symbolRemoved, this, editedCurrent);
    connect(m_watchlists, &WatchlistStore::symbolMoved, this, editedCurrent);
    connect(m_watchlists, &WatchlistStore::sortChanged, this, [this](int index) {
        if (index == m_watchlists->currentIndex())
            applyStoredSort();
    });
    connect(m_watchlists, &WatchlistStore::messagePosted, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });
    // A sorted view re-sorts on live values once a second, not on every tick: rows jumping
    // under the mouse are worse than a slightly stale order.
    m_resortTimer->setInterval(1000);
    connect(m_resortTimer, &QTimer::timeout, m_quoteView, &market::QuoteSortModel::resort);
    m_resortTimer->start();
    connect(m_store, &market::MarketStore::selectedSymbolChanged, this, [this] {
        m_ticket->setSymbol(m_store->selectedSymbol());
        syncSubscriptions();
        saveSettings();
        Q_EMIT selectedSymbolChanged();
    });
    connect(m_store, &market::MarketStore::candleIntervalChanged, this, [this] {
        syncSubscriptions();
        saveSettings();
        Q_EMIT candleIntervalChanged();
    });

    QSettings settings;
    QString selected = settings.value(u"ui/symbol"_s).toString();
    if (selected.isEmpty())
        selected = m_watchlists->symbols(m_watchlists->currentIndex()).value(0, u"BTC-USD"_s);
    const auto interval = protocol::candleIntervalFromString(settings.value(u"ui/interval"_s).toString());

    connect(m_settings, &UserSettings::connectRequested, this, &Dashboard::reconnect);
    connect(m_settings, &UserSettings::tokenStorageChanged, this, [this] {
        if (m_startWanted && !m_started)
            start();
    });
    connect(m_settings, &UserSettings::problem, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });

    {
        const QSignalBlocker blocker(m_store); // restoring, not changing: nothing to save yet
        m_store->setSelectedSymbol(selected);
        m_store->setCandleInterval(interval.value_or(protocol::CandleInterval::M1));
    }
    m_ticket->setSymbol(selected);
    showCurrentList();
    applyStoredSort();

    connect(m_feed, &FeedClient::batchReady, this, &Dashboard::applyBatch);
    connect(m_feed, &FeedClient::instrumentsReceived, this,
            [this](const QList<protocol::InstrumentInfo> &instruments) {
                setInstruments(instruments);
            });
    connect(m_feed, &FeedClient::subscriptionFailed, this,
            [this](const client::Topic &topic, const QString &code, const QString &message) {
                if (code == protocol::ErrorCode::UnknownSymbol && !topic.symbol.isEmpty()) {
                    m_store->setSymbolUnavailable(topic.symbol, message);
                } else {
                    Q_EMIT toast(u"error"_s, message, QString());
                }
                requestFrame();
            });
    connect(m_feed, &FeedClient::stateChanged, this, [this](FeedClient::State state) {
        if (state == FeedClient::State::AuthFailed)
            Q_EMIT openSettingsRequested();
    });
}

Dashboard::~Dashboard()
{
    saveSettings();
    m_feed->close();
    if (m_embedded)
        m_embedded->stop();
}

void Dashboard::setStartupOptions(const StartupOptions &options)
{
    startup() = options;
}

Dashboard *Dashboard::create(QQmlEngine *, QJSEngine *)
{
    return new Dashboard;
}

QAbstractItemModel *Dashboard::book() const
{
    return m_store->book();
}
QAbstractItemModel *Dashboard::tape() const
{
    return m_store->tape();
}
market::CandleModel *Dashboard::candles() const
{
    return m_store->candles();
}
QAbstractItemModel *Dashboard::openOrders() const
{
    return m_store->openOrders();
}
QAbstractItemModel *Dashboard::fills() const
{
    return m_store->fills();
}
QAbstractItemModel *Dashboard::positions() const
{
    return m_store->positions();
}

bool Dashboard::startEmbedded(QString *error)
{
    server::FeedServerOptions options;
    options.port = 0; // any free port on 127.0.0.1
    options.demoToken = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_embedded = std::make_unique<server::FeedServer>(options);
    if (!m_embedded->start(error)) {
        m_embedded.reset();
        return false;
    }
    return true;
}

void Dashboard::start()
{
    m_startWanted = true;
    if (m_started)
        return;
    QUrl url = m_settings->serverUrl();
    // A server's token may still be on its way from the keychain: connect once it is known.
    if (!url.isEmpty() && !m_settings->isTokenReady())
        return;
    m_started = true;
    QString token = m_settings->token();
    if (url.isEmpty()) {
        QString error;
        if (!startEmbedded(&error)) {
            Q_EMIT toast(u"error"_s, u"The demo feed could not start: "_s + error, QString());
            Q_EMIT openSettingsRequested();
            return;
        }
        url = m_embedded->url();
        token = m_embedded->demoToken();
        QList<protocol::InstrumentInfo> infos;
        for (const server::Instrument &i : server::defaultInstruments().instruments)
            infos.append(i.info);
        setInstruments(infos);
        Q_EMIT toast(u"info"_s, u"Connected to the built-in demo feed on %1"_s.arg(url.toString()), QString());
    }
    client::FeedOptions options;
    options.url = url;
    options.token = token;
    options.encoding = m_settings->wireEncoding();
    options.ignoreSslErrors = m_embedded != nullptr;
    m_feed->setOptions(options);
    syncSubscriptions();
    m_feed->open();
    Q_EMIT serverChanged();
}

void Dashboard::reconnect()
{
    m_feed->close();
    m_feed->setSubscriptions({}); // a new server: its subscriptions start from nothing
    if (m_embedded && !m_settings->server().isEmpty()) {
        m_embedded->stop();
        m_embedded.reset();
    }
    m_started = false;
    if (m_embedded) { // staying on the demo feed: just reconnect
        m_started = true;
        client::FeedOptions options = m_feed->options();
        options.encoding = m_settings->wireEncoding();
        m_feed->setOptions(options);
        syncSubscriptions();
        m_feed->open();
        Q_EMIT serverChanged();
        return;
    }
    start();
}

void Dashboard::attachWindow(QQuickWindow *window)
{
    if (m_window)
        disconnect(m_window, nullptr, this, nullptr);
    m_window = window;
    if (!window)
        return;
    // afterAnimating is emitted on the GUI thread at the start of every frame, before the
    // scene graph syncs: the one place where model changes reach this very frame.
    connect(window, &QQuickWindow::afterAnimating, this, [this] {
        m_framePending = false;
        flush();
    });
}

void Dashboard::requestFrame()
{
    if (m_framePending)
        return;
    m_framePending = true;
    if (m_window)
        m_window->requestUpdate();
    else
        QMetaObject::invokeMethod(this, &Dashboard::flush, Qt::QueuedConnection);
}

void Dashboard::applyBatch(const protocol::EventBatch &batch)
{
    m_store->apply(batch);
    for (const protocol::Message &m : batch.events) {
        if (const auto *order = std::get_if<protocol::Order>(&m)) {
            if (order->lastFillQty && order->lastFillPrice) {
                const bool done = order->status == protocol::OrderStatus::Filled;
                Q_EMIT toast(u"fill"_s,
                             u"%1 %2 of %3 %4 @ %5%6"_s.arg(
                                 order->side == protocol::Side::Buy ? u"Bought"_s : u"Sold"_s,
                                 order->filledQty.toString(), order->qty.toString(),
                                 order->symbol,
                                 order->avgFillPrice.value_or(*order->lastFillPrice).toString(),
                                 done ? u" · filled"_s : u" · partial"_s),
                             u"fill:"_s + order->orderId);
            }
            else if (order->status == protocol::OrderStatus::Rejected)
                Q_EMIT toast(u"error"_s, u"Order %1 rejected: %2"_s.arg(
                                             order->clientOrderId, order->reason.value_or(QString())), QString());
        }
    }
    requestFrame();
}

void Dashboard::flush()
{
    m_framePending = false;
    m_store->flush();
    ++m_framesFlushed;
    Q_EMIT flushed();
}

void Dashboard::showCurrentList()
{
    m_store->setWatchlist(m_watchlists->symbols(m_watchlists->currentIndex()));
    syncSubscriptions();
    requestFrame();
}

void Dashboard::applyStoredSort()
{
    using watchlists::Column;
    using market::QuoteModel;
    const int list = m_watchlists->currentIndex();
    std::optional<QuoteModel::Role> role;
    switch (watchlists::columnFromName(m_watchlists->sortColumn(list)).value_or(Column::Sparkline)) {
    case Column::Last: role = QuoteModel::LastRole; break;
    case Column::Change: role = QuoteModel::ChangeRole; break;
    case Column::ChangePercent: role = QuoteModel::ChangePercentRole; break;
    case Column::Bid: role = QuoteModel::BidRole; break;
    case Column::Ask: role = QuoteModel::AskRole; break;
    case Column::Spread: role = QuoteModel::SpreadRole; break;
    case Column::Volume: role = QuoteModel::VolumeRole; break;
    case Column::High: role = QuoteModel::HighRole; break;
    case Column::Low: role = QuoteModel::LowRole; break;
    case Column::Sparkline: break; // not sortable: the user's order
    }
    m_quoteView->setSort(role, m_watchlists->sortDescending(list));
}

QString Dashboard::addToWatchlist(const QString &symbol)
{
    return m_watchlists->addSymbol(m_watchlists->currentIndex(), symbol);
}

QString Dashboard::removeFromWatchlist(const QString &symbol)
{
    const int row = int(m_watchlists->symbols(m_watchlists->currentIndex()).indexOf(symbol));
    if (row < 0)
        return tr("%1 is not in this watchlist").arg(symbol);
    return m_watchlists->removeSymbol(m_watchlists->currentIndex(), row);
}

QString Dashboard::selectedSymbol() const
{
    return m_store->selectedSymbol();
}

void Dashboard::setSelectedSymbol(const QString &symbol)
{
    if (!symbol.isEmpty())
        m_store->setSelectedSymbol(symbol);
}

QString Dashboard::candleInterval() const
{
    return QString(protocol::toString(m_store->candleInterval()));
}

void Dashboard::setCandleInterval(const QString &interval)
{
    if (const auto parsed = protocol::candleIntervalFromString(interval))
        m_store->setCandleInterval(*parsed);
}

void Dashboard::syncSubscriptions()
{
    client::OnScreen screen;
    screen.watchlist = m_watchlists->symbols(m_watchlists->currentIndex());
    screen.selected = m_store->selectedSymbol();
    screen.interval = m_store->candleInterval();
    screen.trading = !m_feed->options().token.isEmpty();
    m_feed->setSubscriptions(client::topicsFor(screen));
}

void Dashboard::saveSettings()
{
    QSettings settings;
    m_watchlists->flush();
    settings.setValue(u"ui/symbol"_s, selectedSymbol());
    settings.setValue(u"ui/interval"_s, candleInterval());
}

void Dashboard::setInstruments(const QList<protocol::InstrumentInfo> &instruments)
{
    m_instruments = instruments;
    m_store->setInstruments(instruments);
    m_symbolSearch->setInstruments(instruments);
    requestFrame();
    Q_EMIT instrumentsChanged();
    Q_EMIT selectedSymbolChanged(); // tick and lot size of the selection may have changed
}

QVariantList Dashboard::instruments() const
{
    QVariantList out;
    for (const protocol::InstrumentInfo &i : m_instruments)
        out.append(QVariantMap{{u"symbol"_s, i.symbol}, {u"name"_s, i.name}});
    return out;
}

QString Dashboard::tickSize() const
{
    const auto *i = m_store->instruments().find(selectedSymbol());
    return i ? i->tickSize.toString() : QString();
}

QString Dashboard::selectedName() const
{
    const auto *i = m_store->instruments().find(selectedSymbol());
    return i ? i->name : QString();
}

} // namespace tickwire::ui
