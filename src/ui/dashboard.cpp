#include "ui/dashboard.h"

#include "client/onscreen.h"
#include "ui/alertnotifier.h"
#include "ui/framepacer.h"
#include "ui/marketsourcemodel.h"
#include "ui/ordernotices.h"

#include <QtCore/QSettings>
#include <QtCore/QTimer>

namespace tickwire::ui {

using namespace Qt::StringLiterals;
using client::FeedClient;

namespace {

StartupOptions &startup()
{
    static StartupOptions options;
    return options;
}

DemoFeedFactory &demoFeedFactory()
{
    static DemoFeedFactory factory;
    return factory;
}

std::optional<market::QuoteModel::Role> sortRole(watchlists::Column column)
{
    using market::QuoteModel;
    using watchlists::Column;
    switch (column) {
    case Column::Last:
        return QuoteModel::LastRole;
    case Column::Change:
        return QuoteModel::ChangeRole;
    case Column::ChangePercent:
        return QuoteModel::ChangePercentRole;
    case Column::Bid:
        return QuoteModel::BidRole;
    case Column::Ask:
        return QuoteModel::AskRole;
    case Column::Spread:
        return QuoteModel::SpreadRole;
    case Column::Volume:
        return QuoteModel::VolumeRole;
    case Column::High:
        return QuoteModel::HighRole;
    case Column::Low:
        return QuoteModel::LowRole;
    case Column::Sparkline:
        return std::nullopt; // not sortable
    }
    return std::nullopt;
}

} // namespace

Dashboard::Dashboard(QObject *parent)
    : QObject(parent)
    , m_settings(new UserSettings(startup(), {}, {}, this))
    , m_feed(new FeedClient(this))
    , m_store(new market::MarketStore(this))
    , m_ticket(new OrderTicket(m_store, m_feed, this))
    , m_watchlists(new watchlists::WatchlistStore(this))
    , m_quoteView(new market::QuoteSortModel(m_store->quotes(), this))
    , m_symbolSearch(new watchlists::SymbolSearchModel(this))
    , m_alerts(new market::AlertBook(this))
    , m_alertNotifier(new AlertNotifier(this))
    , m_workspaces(new WorkspaceStore(this))
    , m_frames(new FramePacer(
          [this] {
              m_store->flush();
              m_alerts->flush();
          },
          this))
    , m_resortTimer(new QTimer(this))
{
    m_watchlists->load();
    // Alerts: their file beside the watchlists; the symbols they watch are subscribed whether
    // on screen or not.
    connect(m_alerts, &market::AlertBook::messagePosted, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });
    m_alerts->load();
    connect(m_alerts, &market::AlertBook::subscriptionsChanged, this,
            &Dashboard::syncSubscriptions);
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
    connect(m_watchlists, &WatchlistStore::currentSortChanged, this, &Dashboard::applyStoredSort);
    connect(m_watchlists, &WatchlistStore::messagePosted, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });
    // A sorted view re-sorts on live values once a second, not on every tick: rows jumping
    // under the mouse are worse than a slightly stale order.
    m_resortTimer->setInterval(1000);
    connect(m_resortTimer, &QTimer::timeout, m_quoteView, &market::QuoteSortModel::resort);
    m_resortTimer->start();

    // The selection: the store owns it; the ticket, the subscriptions and the saved settings
    // follow it.
    QSettings saved;
    QString selected = saved.value(u"ui/symbol"_s).toString();
    if (selected.isEmpty())
        selected = m_watchlists->symbols(m_watchlists->currentIndex()).value(0, u"BTC-USD"_s);
    m_store->setSelectedSymbol(selected);
    m_store->setCandleIntervalName(saved.value(u"ui/interval"_s).toString());
    m_ticket->setSymbol(selected);
    // The book's grouping is saved per symbol: restored with the symbol, saved when chosen.
    m_store->setBookGrouping(m_settings->bookGrouping(selected));
    connect(m_store, &market::MarketStore::bookGroupingChanged, this, [this] {
        if (const QString error =
                m_settings->setBookGrouping(m_store->selectedSymbol(), m_store->bookGrouping());
            !error.isEmpty())
            Q_EMIT toast(u"error"_s, error, QString());
    });
    connect(m_store, &market::MarketStore::selectedSymbolChanged, this, [this] {
        m_store->setBookGrouping(m_settings->bookGrouping(m_store->selectedSymbol()));
        m_ticket->setSymbol(m_store->selectedSymbol());
        syncSubscriptions();
        saveSelection();
    });
    connect(m_store, &market::MarketStore::candleIntervalChanged, this, [this] {
        syncSubscriptions();
        saveSelection();
    });
    showCurrentList();
    applyStoredSort();

    // Workspaces: the first run's default is made of what the settings kept before; the current
    // one is applied now and whenever another becomes current, and follows what is on screen.
    connect(m_workspaces, &WorkspaceStore::messagePosted, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });
    m_workspaces->load(workspaceFromLegacySettings());
    applyWorkspace();
    connect(m_workspaces, &WorkspaceStore::currentWorkspaceChanged, this,
            &Dashboard::applyWorkspace);
    connect(m_workspaces, &WorkspaceStore::secondChartChanged, this,
            [this] { m_store->setSecondChartShown(m_workspaces->secondChart()); });
    connect(m_store, &market::MarketStore::selectedSymbolChanged, this,
            [this] { m_workspaces->setSelectedSymbol(m_store->selectedSymbol()); });
    connect(m_store, &market::MarketStore::candleIntervalChanged, this, &Dashboard::recordCharts);
    connect(m_store, &market::MarketStore::secondChartChanged, this, [this] {
        recordCharts();
        syncSubscriptions();
    });

    connect(m_settings, &UserSettings::connectRequested, this, &Dashboard::reconnect);
    connect(m_settings, &UserSettings::tokenStorageChanged, this, [this] {
        if (m_startWanted && !m_started)
            start();
    });
    connect(m_settings, &UserSettings::problem, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });

    connect(m_feed, &FeedClient::batchReady, this, &Dashboard::applyBatch);
    connect(m_feed, &FeedClient::instrumentsReceived, this, &Dashboard::setInstruments);
    connect(m_feed, &FeedClient::subscriptionFailed, this,
            [this](const client::Topic &topic, const QString &code, const QString &message) {
                if (code == protocol::ErrorCode::UnknownSymbol && !topic.symbol.isEmpty())
                    m_store->setSymbolUnavailable(topic.symbol, message);
                else
                    Q_EMIT toast(u"error"_s, message, QString());
                m_frames->requestFrame();
            });
    connect(m_feed, &FeedClient::stateChanged, this, [this](FeedClient::State state) {
        if (state == FeedClient::State::AuthFailed)
            Q_EMIT openSettingsRequested();
        // A new session answers every subscription anew: what an earlier one refused (another
        // server's refusal may even arrive after a switch of source) no longer holds.
        if (state == FeedClient::State::Live)
            clearUnavailable();
    });
}

Dashboard::~Dashboard()
{
    m_watchlists->flush();
    m_alerts->saveNow();
    m_workspaces->flush();
    m_feed->close();
    if (m_demoFeed) {
        m_demoFeed->disconnect(this);
        m_demoFeed->stop();
    }
}

void Dashboard::setStartupOptions(const StartupOptions &options)
{
    startup() = options;
}

void Dashboard::setDemoFeedFactory(DemoFeedFactory factory)
{
    demoFeedFactory() = std::move(factory);
}

Dashboard *Dashboard::create(QQmlEngine *, QJSEngine *)
{
    return new Dashboard;
}

void Dashboard::start()
{
    m_startWanted = true;
    if (m_started)
        return;
    const QList<QUrl> servers = m_settings->serverUrls();
    // A server's token may still be on its way from the keychain: connect once it is known.
    if (!servers.isEmpty() && !m_settings->isTokenReady())
        return;
    m_started = true;
    if (!servers.isEmpty() && !m_embeddedError.isEmpty()) {
        m_embeddedError.clear();
        Q_EMIT embeddedChanged();
    }
    if (servers.isEmpty())
        startEmbedded();
    else
        connectFeed(servers, m_settings->token());
}

void Dashboard::reconnect()
{
    m_feed->close();
    m_feed->setSubscriptions({}); // a new server: its subscriptions start from nothing
    // Another server or market: what it refused before says nothing about the next one.
    clearUnavailable();
    const bool embeddedWanted = m_settings->server().isEmpty();
    if (m_demoFeed && (!embeddedWanted || m_settings->demoFeedOptions() != m_demoFeedOptions)) {
        stopEmbedded(); // another server, or another market source
    }
    if (m_demoFeed) { // the same built-in feed
        if (m_demoFeedStarting)
            return; // it connects once started
        client::FeedOptions options = m_feed->options();
        options.encoding = m_settings->wireEncoding();
        m_feed->setOptions(options);
        syncSubscriptions();
        m_feed->open();
        Q_EMIT serverChanged();
        return;
    }
    m_started = false;
    start();
}

void Dashboard::startEmbedded()
{
    std::unique_ptr<DemoFeed> demo = demoFeedFactory() ? demoFeedFactory()() : nullptr;
    if (!demo) {
        embeddedFailed(tr("this build has no demo feed"));
        return;
    }
    m_demoFeed = std::move(demo);
    m_demoFeedOptions = m_settings->demoFeedOptions();
    m_demoFeedStarting = true;
    m_embeddedError.clear();
    DemoFeed *feed = m_demoFeed.get();
    connect(feed, &DemoFeed::started, this, &Dashboard::embeddedStarted);
    connect(feed, &DemoFeed::failed, this, &Dashboard::embeddedFailed);
    feed->start(m_demoFeedOptions);
    Q_EMIT embeddedChanged();
    Q_EMIT serverChanged();
}

void Dashboard::stopEmbedded()
{
    if (!m_demoFeed)
        return;
    m_demoFeed->disconnect(this);
    m_demoFeed->stop();
    m_demoFeed.reset();
    m_demoFeedStarting = false;
    Q_EMIT embeddedChanged();
    Q_EMIT serverChanged();
}

void Dashboard::embeddedStarted()
{
    m_demoFeedStarting = false;
    Q_EMIT embeddedChanged();
    const QUrl url = m_demoFeed->url();
    setInstruments(m_demoFeed->instruments());
    Q_EMIT toast(u"info"_s,
                 tr("The built-in feed (%1) is on %2")
                     .arg(MarketSourceModel::displayName(m_demoFeedOptions.source), url.toString()),
                 QString());
    connectFeed({url}, m_demoFeed->token());
}

void Dashboard::embeddedFailed(const QString &error)
{
    const QString source = MarketSourceModel::displayName(m_demoFeed ? m_demoFeedOptions.source
                                                                     : m_settings->marketSource());
    if (m_demoFeed) {
        // This may run inside the feed's own signal: it is deleted once that has returned.
        m_demoFeed->disconnect(this);
        m_demoFeed.release()->deleteLater();
    }
    m_demoFeedStarting = false;
    m_embeddedError = tr("The built-in feed (%1) could not start: %2").arg(source, error);
    Q_EMIT embeddedChanged();
    Q_EMIT serverChanged();
    Q_EMIT toast(u"error"_s, m_embeddedError, u"embedded"_s);
    // The settings are where another source (the simulation) or a server can be chosen.
    Q_EMIT openSettingsRequested();
}

void Dashboard::connectFeed(const QList<QUrl> &servers, const QString &token)
{
    client::FeedOptions options;
    options.setServers(servers);
    options.token = token;
    options.encoding = m_settings->wireEncoding();
    options.ignoreSslErrors = m_demoFeed != nullptr;
    m_feed->setOptions(options);
    syncSubscriptions();
    m_feed->open();
    Q_EMIT serverChanged();
}

void Dashboard::attachWindow(QQuickWindow *window)
{
    m_frames->attachWindow(window);
}

void Dashboard::applyBatch(const protocol::EventBatch &batch)
{
    m_store->apply(batch);
    // Every ticker and trade of the batch, now: a spike between two frames fires.
    for (const market::AlertFiring &firing : m_alerts->evaluate(batch))
        notifyAlert(firing);
    for (const protocol::Message &m : batch.events) {
        if (const auto *order = std::get_if<protocol::Order>(&m)) {
            if (const std::optional<OrderNotice> notice = orderNotice(*order))
                Q_EMIT toast(notice->kind, notice->text, notice->key);
        }
    }
    m_frames->requestFrame();
}

void Dashboard::showCurrentList()
{
    m_store->setWatchlist(m_watchlists->symbols(m_watchlists->currentIndex()));
    syncSubscriptions();
    m_frames->requestFrame();
}

void Dashboard::applyStoredSort()
{
    const auto column = watchlists::columnFromName(m_watchlists->currentSortColumn());
    m_quoteView->setSort(column ? sortRole(*column) : std::nullopt,
                         m_watchlists->currentSortDescending());
}

void Dashboard::syncSubscriptions()
{
    client::OnScreen screen;
    screen.watchlist = m_watchlists->symbols(m_watchlists->currentIndex());
    screen.selected = m_store->selectedSymbol();
    screen.interval = m_store->candleInterval();
    if (m_store->isSecondChartShown())
        screen.secondChart = m_store->secondSymbol();
    screen.secondInterval = m_store->secondInterval();
    screen.secondBook = m_store->isSecondDepthShown();
    screen.trading = !m_feed->options().token.isEmpty();
    screen.alertTickers = m_alerts->tickerSymbols();
    screen.alertTrades = m_alerts->tradeSymbols();
    m_feed->setSubscriptions(client::topicsFor(screen));
}

void Dashboard::notifyAlert(const market::AlertFiring &firing)
{
    const market::Alert &alert = firing.alert;
    const bool percent = alert.field == market::AlertField::ChangePercent;
    const QString value = percent ? firing.value.rounded(2).value_or(firing.value).toString() + u'%'
                                  : market::groupedDecimal(firing.value);
    //: alert description, the value that crossed
    QString text = tr("%1 (now %2)").arg(market::alertDescription(alert), value);
    if (!alert.note.isEmpty())
        text += u" · "_s + alert.note;
    // Keyed by alert: one that fires again updates its toast and counts.
    Q_EMIT toast(u"alert"_s, text, u"alert-"_s + QString::number(alert.id));
    m_alertNotifier->notify(tr("Price alert: %1").arg(alert.symbol), text);
}

Workspace Dashboard::workspaceFromLegacySettings() const
{
    // What the settings kept before there were workspaces: nothing the user set is lost.
    const QSettings saved;
    Workspace workspace;
    workspace.name = tr("Default");
    workspace.selectedSymbol = m_store->selectedSymbol();
    workspace.main.interval = m_store->candleIntervalName();
    workspace.main.view =
        saved.value(u"chart/view"_s).toString() == u"depth"_s ? u"depth"_s : u"candles"_s;
    workspace.main.indicators = m_settings->chartIndicators(u"main"_s);
    workspace.second.symbol = m_store->selectedSymbol();
    for (const QString &split : {u"mainSplit"_s, u"centerSplit"_s, u"rightSplit"_s}) {
        const QByteArray state = saved.value(u"window/"_s + split).toByteArray();
        if (!state.isEmpty())
            workspace.splits.insert(split, state);
    }
    return workspace;
}

void Dashboard::applyWorkspace()
{
    const Workspace workspace = m_workspaces->current(); // a copy: applying records into it
    if (!workspace.selectedSymbol.isEmpty())
        m_store->setSelectedSymbol(workspace.selectedSymbol);
    m_store->setCandleIntervalName(workspace.main.interval);
    m_store->setSecondSymbol(workspace.second.symbol.isEmpty() ? m_store->selectedSymbol()
                                                               : workspace.second.symbol);
    m_store->setSecondIntervalName(workspace.second.interval);
    m_store->setSecondChartShown(workspace.secondChart);
    m_frames->requestFrame();
}

void Dashboard::recordCharts()
{
    ChartLayout main = m_workspaces->current().main;
    main.interval = m_store->candleIntervalName();
    m_workspaces->setChart(u"main"_s, main);
    ChartLayout second = m_workspaces->current().second;
    second.symbol = m_store->secondSymbol();
    second.interval = m_store->secondIntervalName();
    m_workspaces->setChart(u"second"_s, second);
}

void Dashboard::saveSelection()
{
    QSettings saved;
    saved.setValue(u"ui/symbol"_s, m_store->selectedSymbol());
    saved.setValue(u"ui/interval"_s, m_store->candleIntervalName());
}

void Dashboard::clearUnavailable()
{
    for (int list = 0; list < m_watchlists->count(); ++list) {
        for (const QString &symbol : m_watchlists->symbols(list))
            m_store->setSymbolUnavailable(symbol, {});
    }
    m_frames->requestFrame();
}

void Dashboard::showSourceList(const QList<protocol::InstrumentInfo> &instruments,
                               const std::function<bool(const QString &)> &known)
{
    // On an exchange where the current list has nothing at all (the demo's symbols on Binance,
    // say), show a list of that exchange's markets instead of a column of "unavailable": the
    // one named after it, created once with its instruments and then the user's to edit.
    const QString source = m_feed->marketSource();
    if (instruments.isEmpty() || !MarketSourceModel::isLive(source))
        return;
    const QStringList current = m_watchlists->symbols(m_watchlists->currentIndex());
    if (std::any_of(current.cbegin(), current.cend(), known))
        return;
    const QString name = MarketSourceModel::displayName(source);
    int index = m_watchlists->indexOf(name);
    if (index < 0) {
        if (!m_watchlists->createList(name).isEmpty())
            return; // no room for another list: leave the user's lists as they are
        index = m_watchlists->indexOf(name);
        for (const protocol::InstrumentInfo &instrument : instruments)
            std::ignore = m_watchlists->addSymbol(index, instrument.symbol);
    }
    m_watchlists->setCurrentIndex(index);
}

void Dashboard::setInstruments(const QList<protocol::InstrumentInfo> &instruments)
{
    m_store->setInstruments(instruments);
    m_symbolSearch->setInstruments(instruments);
    // A market without the selected symbol (another source or server): chart the first symbol
    // of the current list that it has, else its first instrument, rather than nothing.
    const auto known = [&instruments](const QString &symbol) {
        return std::any_of(
            instruments.cbegin(), instruments.cend(),
            [&symbol](const protocol::InstrumentInfo &i) { return i.symbol == symbol; });
    };
    showSourceList(instruments, known);
    if (!instruments.isEmpty() && !known(m_store->selectedSymbol())) {
        const QStringList list = m_watchlists->symbols(m_watchlists->currentIndex());
        const auto inList = std::find_if(list.cbegin(), list.cend(), known);
        m_store->setSelectedSymbol(inList != list.cend() ? *inList : instruments.first().symbol);
    }
    // The same for the second chart: it follows the selection rather than chart nothing.
    if (!instruments.isEmpty() && !known(m_store->secondSymbol()))
        m_store->setSecondSymbol(m_store->selectedSymbol());
    m_frames->requestFrame();
}

} // namespace tickwire::ui
