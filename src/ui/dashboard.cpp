#include "ui/dashboard.h"

#include "client/feedclient.h"
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

// Snaps `value` to a multiple of `step` (half away from zero), then moves `steps` steps.
QString snap(const QString &text, const Decimal &step, int steps)
{
    const auto value = Decimal::parse(QStringView(text.trimmed()));
    if (!value || !step.isPositive())
        return {};
    const int scale = step.normalized().scale();
    const auto units = value->dividedBy(step, 0);
    if (!units)
        return {};
    const auto moved = units->plus(Decimal::fromInt(steps));
    const auto snapped = moved ? moved->times(step) : std::nullopt;
    if (!snapped || snapped->isNegative())
        return Decimal::fromUnits(0, scale)->toString();
    return snapped->withScale(scale).value_or(*snapped).toString();
}

} // namespace

QString Dashboard::account() const
{
    return m_feed->account();
}

Dashboard::Dashboard(QObject *parent)
    : QObject(parent)
    , m_feed(new FeedClient(this))
    , m_store(new market::MarketStore(this))
    , m_watchlists(new watchlists::WatchlistStore(this))
    , m_watchlistModel(new watchlists::WatchlistModel(m_watchlists, this))
    , m_watchlistSort(new watchlists::WatchlistSortModel(this))
    , m_symbolSearch(new watchlists::SymbolSearchModel(this))
    , m_resortTimer(new QTimer(this))
{
    m_watchlists->load();
    connect(m_feed, &FeedClient::accountChanged, this, &Dashboard::accountChanged);
    m_watchlistSort->setSourceModel(m_watchlistModel);
    m_watchlistSort->bindToStore(m_watchlists);
    m_watchlistSort->setKeyProvider(
        [this](const QString &symbol, watchlists::Column column) { return quoteValue(symbol, column); });
    // The shown order follows list edits, list switches and sorting.
    connect(m_watchlistSort, &QAbstractItemModel::layoutChanged, this, &Dashboard::refreshWatchlistOrder);
    connect(m_watchlistSort, &QAbstractItemModel::rowsInserted, this, &Dashboard::refreshWatchlistOrder);
    connect(m_watchlistSort, &QAbstractItemModel::rowsRemoved, this, &Dashboard::refreshWatchlistOrder);
    connect(m_watchlistSort, &QAbstractItemModel::rowsMoved, this, &Dashboard::refreshWatchlistOrder);
    connect(m_watchlistSort, &QAbstractItemModel::modelReset, this, &Dashboard::refreshWatchlistOrder);
    connect(m_watchlists, &watchlists::WatchlistStore::subscriptionSymbolsChanged, this,
            &Dashboard::syncSubscriptions);
    connect(m_watchlists, &watchlists::WatchlistStore::messagePosted, this,
            [this](const QString &message) { Q_EMIT toast(u"error"_s, message, QString()); });
    // A sorted view re-sorts on live values once a second, not on every tick.
    m_resortTimer->setInterval(1000);
    connect(m_resortTimer, &QTimer::timeout, this, [this] {
        if (m_watchlistSort->sorted())
            m_watchlistSort->invalidateKeys();
    });
    m_resortTimer->start();

    QSettings settings;
    m_url = QUrl(settings.value(u"server/url"_s).toString());
    m_token = settings.value(u"server/token"_s).toString();
    m_encoding = settings.value(u"server/encoding"_s, u"json"_s).toString();
    m_theme = settings.value(u"ui/theme"_s, u"dark"_s).toString();
    m_selected = settings.value(u"ui/symbol"_s).toString();
    if (m_selected.isEmpty())
        m_selected = m_watchlists->symbols(m_watchlists->currentIndex()).value(0, u"BTC-USD"_s);
    m_watchlists->setChartedSymbol(m_selected);
    m_interval = settings.value(u"ui/interval"_s, u"1m"_s).toString();
    if (!protocol::candleIntervalFromString(m_interval))
        m_interval = u"1m"_s;

    const StartupOptions &options = startup();
    if (options.forceEmbedded)
        m_url.clear();
    if (!options.server.isEmpty())
        m_url = options.server;
    if (!options.token.isEmpty())
        m_token = options.token;
    if (!options.theme.isEmpty())
        m_theme = options.theme;

    refreshWatchlistOrder();
    m_store->setSelectedSymbol(m_selected);
    m_store->setCandleInterval(*protocol::candleIntervalFromString(m_interval));

    connect(m_feed, &FeedClient::batchReady, this, &Dashboard::applyBatch);
    connect(m_feed, &FeedClient::instrumentsReceived, this,
            [this](const QList<protocol::InstrumentInfo> &instruments) {
                setInstruments(instruments);
            });
    connect(m_feed, &FeedClient::subscriptionFailed, this,
            [this](const QString &topic, const QString &code, const QString &message) {
                const auto parsed = client::Topic::parse(topic);
                if (parsed && code == protocol::ErrorCode::UnknownSymbol) {
                    m_store->setSymbolUnavailable(parsed->symbol, message);
                    m_watchlists->setSymbolError(parsed->symbol, message);
                } else {
                    Q_EMIT toast(u"error"_s, message, QString());
                }
                requestFrame();
            });
    connect(m_feed, &FeedClient::orderRequestFailed, this,
            [this](const QString &, const QString &, const QString &message) {
                Q_EMIT toast(u"error"_s, message, QString());
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

market::QuoteModel *Dashboard::quotes() const
{
    return m_store->quotes();
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
    if (m_started)
        return;
    m_started = true;
    QUrl url = m_url;
    QString token = m_token;
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
    options.encoding = m_encoding == u"cbor"_s ? protocol::Encoding::Cbor : protocol::Encoding::Json;
    options.ignoreSslErrors = m_embedded != nullptr;
    m_feed->setOptions(options);
    m_subscribed.clear();
    syncSubscriptions();
    if (!token.isEmpty())
        m_feed->subscribe(u"orders"_s);
    m_feed->open();
    Q_EMIT serverChanged();
}

void Dashboard::connectTo(const QString &url, const QString &token, const QString &encoding)
{
    m_url = QUrl(url.trimmed());
    m_token = token.trimmed();
    m_encoding = encoding == u"cbor"_s ? u"cbor"_s : u"json"_s;
    saveSettings();
    m_feed->close();
    for (const QString &topic : m_feed->subscriptions())
        m_feed->unsubscribe(topic);
    if (m_embedded && !m_url.isEmpty()) {
        m_embedded->stop();
        m_embedded.reset();
    }
    m_started = false;
    if (m_embedded) { // staying on the demo feed: just reconnect
        m_started = true;
        client::FeedOptions options = m_feed->options();
        options.encoding = m_encoding == u"cbor"_s ? protocol::Encoding::Cbor
                                                   : protocol::Encoding::Json;
        m_feed->setOptions(options);
        m_subscribed.clear();
        syncSubscriptions();
        m_feed->subscribe(u"orders"_s);
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

void Dashboard::refreshWatchlistOrder()
{
    QStringList order;
    order.reserve(m_watchlistSort->rowCount());
    for (int row = 0; row < m_watchlistSort->rowCount(); ++row)
        order.append(m_watchlistModel->symbolAt(m_watchlistSort->sourceRow(row)));
    if (order == m_watchlist)
        return;
    m_watchlist = order;
    m_store->setWatchlist(order);
    requestFrame();
    Q_EMIT watchlistChanged();
}

std::optional<Decimal> Dashboard::quoteValue(const QString &symbol, watchlists::Column column) const
{
    using watchlists::Column;
    using market::QuoteModel;
    const auto *quotes = m_store->quotes();
    const int row = int(quotes->symbols().indexOf(symbol));
    if (row < 0)
        return std::nullopt;
    int role = -1;
    switch (column) {
    case Column::Last: role = QuoteModel::LastRole; break;
    case Column::Change: role = QuoteModel::ChangeRole; break;
    case Column::ChangePercent: role = QuoteModel::ChangePercentRole; break;
    case Column::Bid: role = QuoteModel::BidRole; break;
    case Column::Ask: role = QuoteModel::AskRole; break;
    case Column::Spread: role = QuoteModel::SpreadRole; break;
    case Column::Volume: role = QuoteModel::VolumeRole; break;
    case Column::High: role = QuoteModel::HighRole; break;
    case Column::Low: role = QuoteModel::LowRole; break;
    case Column::Sparkline: return std::nullopt;
    }
    const QString text = quotes->data(quotes->index(row), role).toString();
    return Decimal::parse(QStringView(text));
}

QString Dashboard::touchPrice(const QString &side) const
{
    const auto price = quoteValue(m_selected, side == u"sell"_s ? watchlists::Column::Bid
                                                                 : watchlists::Column::Ask);
    return price ? price->toString() : QString();
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

QString Dashboard::toggleSort(const QString &column)
{
    return m_watchlistSort->toggleSort(column);
}

void Dashboard::setSelectedSymbol(const QString &symbol)
{
    if (symbol == m_selected || symbol.isEmpty())
        return;
    m_selected = symbol;
    m_store->setSelectedSymbol(symbol);
    m_watchlists->setChartedSymbol(symbol);
    syncSubscriptions();
    saveSettings();
    Q_EMIT selectedSymbolChanged();
}

void Dashboard::setCandleInterval(const QString &interval)
{
    const auto parsed = protocol::candleIntervalFromString(interval);
    if (!parsed || interval == m_interval)
        return;
    m_interval = interval;
    m_store->setCandleInterval(*parsed);
    syncSubscriptions();
    saveSettings();
    Q_EMIT candleIntervalChanged();
}

void Dashboard::setTheme(const QString &theme)
{
    if (theme == m_theme || (theme != u"dark"_s && theme != u"light"_s))
        return;
    m_theme = theme;
    saveSettings();
    Q_EMIT themeChanged();
}

void Dashboard::syncSubscriptions()
{
    // What is shown: tickers of the watchlist plus the selected symbol; book, trades and
    // candles of the selected symbol. The client sends only the differences.
    QSet<QString> wanted;
    for (const QString &symbol : m_watchlists->subscriptionSymbols())
        wanted.insert(u"ticker:"_s + symbol);
    if (!m_selected.isEmpty()) {
        wanted.insert(u"ticker:"_s + m_selected);
        wanted.insert(u"book:"_s + m_selected);
        wanted.insert(u"trades:"_s + m_selected);
        wanted.insert(u"candles:"_s + m_interval + u':' + m_selected);
    }
    for (const QString &topic : std::as_const(m_subscribed)) {
        if (!wanted.contains(topic))
            m_feed->unsubscribe(topic);
    }
    for (const QString &topic : std::as_const(wanted)) {
        if (!m_subscribed.contains(topic))
            m_feed->subscribe(topic);
    }
    m_subscribed = wanted;
}

void Dashboard::saveSettings()
{
    QSettings settings;
    if (!startup().server.isEmpty() || startup().forceEmbedded) {
        // A command-line override is for this run only.
    } else {
        settings.setValue(u"server/url"_s, m_url.toString());
        settings.setValue(u"server/token"_s, m_token);
    }
    settings.setValue(u"server/encoding"_s, m_encoding);
    settings.setValue(u"ui/theme"_s, m_theme);
    m_watchlists->flush();
    settings.setValue(u"ui/symbol"_s, m_selected);
    settings.setValue(u"ui/interval"_s, m_interval);
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
    const auto *i = m_store->instruments().find(m_selected);
    return i ? i->tickSize.toString() : QString();
}

QString Dashboard::lotSize() const
{
    const auto *i = m_store->instruments().find(m_selected);
    return i ? i->lotSize.toString() : QString();
}

QString Dashboard::selectedName() const
{
    const auto *i = m_store->instruments().find(m_selected);
    return i ? i->name : QString();
}

QString Dashboard::snapPrice(const QString &text, int steps) const
{
    const auto *i = m_store->instruments().find(m_selected);
    return i ? snap(text, i->tickSize, steps) : QString();
}

QString Dashboard::snapQty(const QString &text, int steps) const
{
    const auto *i = m_store->instruments().find(m_selected);
    return i ? snap(text, i->lotSize, steps) : QString();
}

QString Dashboard::checkQty(const QString &text) const
{
    if (text.trimmed().isEmpty())
        return {};
    const auto value = Decimal::parse(QStringView(text.trimmed()));
    if (!value)
        return tr("Quantity is not a number");
    const auto *i = m_store->instruments().find(m_selected);
    if (i && !value->isMultipleOf(i->lotSize))
        return tr("Quantity must be a multiple of %1").arg(i->lotSize.toString());
    return {};
}

QString Dashboard::checkPrice(const QString &text) const
{
    if (text.trimmed().isEmpty())
        return {};
    const auto value = Decimal::parse(QStringView(text.trimmed()));
    if (!value)
        return tr("Price is not a number");
    const auto *i = m_store->instruments().find(m_selected);
    if (i && !value->isMultipleOf(i->tickSize))
        return tr("Price must be a multiple of %1").arg(i->tickSize.toString());
    return {};
}

QString Dashboard::notional(const QString &qty, const QString &price) const
{
    const auto q = Decimal::parse(QStringView(qty.trimmed()));
    const auto p = Decimal::parse(QStringView(price.trimmed()));
    if (!q || !p)
        return {};
    const auto n = q->times(*p);
    const auto *i = m_store->instruments().find(m_selected);
    if (!n)
        return {};
    return (i ? n->rounded(i->tickSize.normalized().scale()) : n).value_or(*n).toString();
}

QString Dashboard::placeOrder(const QString &side, const QString &type, const QString &qty,
                              const QString &price)
{
    const auto s = protocol::sideFromString(side);
    const auto t = protocol::orderTypeFromString(type);
    const auto q = Decimal::parse(QStringView(qty.trimmed()));
    if (!s || !t)
        return u"Choose buy or sell and limit or market"_s;
    if (!q || !q->isPositive())
        return u"Enter a quantity greater than zero"_s;
    std::optional<Decimal> p;
    if (*t == protocol::OrderType::Limit) {
        p = Decimal::parse(QStringView(price.trimmed()));
        if (!p || !p->isPositive())
            return u"Enter a limit price"_s;
    }
    const FeedClient::OrderResult result = m_feed->placeOrder(m_selected, *s, *t, *q, p);
    return result.error;
}

QString Dashboard::cancelOrder(const QString &orderId)
{
    return m_feed->cancelOrder(orderId);
}

QString Dashboard::cancelAll()
{
    return m_feed->cancelAll();
}

} // namespace tickwire::ui
