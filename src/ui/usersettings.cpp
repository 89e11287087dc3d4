#include "ui/usersettings.h"

#include "client/serverlist.h"
#include "market/bookgrouping.h"
#include "ui/marketsourcemodel.h"
#include "ui/tokenvault.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QRegularExpression>
#include <QtCore/QSettings>

#include <utility>

namespace tickwire::ui {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcSettings, "tickwire.settings")

const QString ServersKey = u"server/urls"_s;
const QString OldServerKey = u"server/url"_s; // one server, before the list
const QString PlainTextTokenKey = u"server/token"_s; // older versions kept the token here
const QString EncodingKey = u"server/encoding"_s;
const QString ThemeKey = u"ui/theme"_s;
const QString SourceKey = u"embedded/source"_s;
const QString SymbolsKeyPrefix = u"embedded/symbols/"_s; // + the source id: one list each
const QString BookGroupingKeyPrefix = u"book/grouping/"_s; // + the symbol: ticks per bucket
const QString DefaultKeychainService = u"Tickwire"_s;
const QString KeychainKey = u"feed-token"_s;

} // namespace

UserSettings::UserSettings(const StartupOptions &overrides, const QString &settingsFile,
                           const QString &keychainService, QObject *parent)
    : QObject(parent)
    , m_file(settingsFile.isEmpty()
                 ? std::make_unique<QSettings>()
                 : std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
    , m_vault(new TokenVault(keychainService.isEmpty() ? DefaultKeychainService : keychainService,
                             KeychainKey, this))
    , m_sources(new MarketSourceModel(this))
    , m_upstreamWebSocket(overrides.upstreamWebSocket)
    , m_upstreamRest(overrides.upstreamRest)
{
    load();
    if (overrides.forceEmbedded)
        m_serverOverride = QStringList();
    if (!overrides.source.isEmpty()) {
        QStringList symbols;
        QString error = checkMarketSource(overrides.source);
        if (error.isEmpty())
            error = parseSymbols(overrides.symbols.join(u','), &symbols);
        if (error.isEmpty()) {
            m_source = overrides.source;
            m_sourceOverride = true;
            m_symbolsOverride = symbols;
            m_serverOverride = QStringList(); // a market source is the built-in feed's
        } else {
            qCWarning(lcSettings, "%s", qPrintable(error));
        }
    }
    if (!overrides.servers.isEmpty()) {
        QStringList list;
        for (const QUrl &url : overrides.servers)
            list.append(url.toString());
        m_serverOverride = list;
    }
    if (!overrides.theme.isEmpty()) {
        if (const QString error = checkTheme(overrides.theme); error.isEmpty()) {
            m_theme = overrides.theme;
            m_themeOverride = true;
        } else {
            qCWarning(lcSettings, "%s", qPrintable(error));
        }
    }
    if (!overrides.token.isEmpty()) {
        m_token = overrides.token;
        m_tokenOverride = true;
        m_storage = TokenStorage::CommandLine;
    }
    readKeychain();
}

UserSettings::~UserSettings() = default;

void UserSettings::load()
{
    if (m_file->contains(ServersKey)) {
        for (const QString &url : m_file->value(ServersKey).toStringList()) {
            if (const QString error = checkServer(url); !error.isEmpty())
                qCWarning(lcSettings, "%s: %s", qPrintable(ServersKey), qPrintable(error));
            else if (!m_servers.contains(url))
                m_servers.append(url);
        }
    } else if (m_file->contains(OldServerKey)) {
        // The single server of older versions becomes the list (empty: the demo feed).
        const QString url = m_file->value(OldServerKey).toString().trimmed();
        if (!url.isEmpty() && checkServer(url).isEmpty())
            m_servers = {url};
        m_file->setValue(ServersKey, m_servers);
        m_file->remove(OldServerKey);
        m_file->sync();
    }
    const QString encoding = m_file->value(EncodingKey, m_encoding).toString();
    if (const QString error = checkEncoding(encoding); error.isEmpty())
        m_encoding = encoding;
    else
        qCWarning(lcSettings, "%s: %s", qPrintable(EncodingKey), qPrintable(error));
    const QString theme = m_file->value(ThemeKey, m_theme).toString();
    if (const QString error = checkTheme(theme); error.isEmpty())
        m_theme = theme;
    else
        qCWarning(lcSettings, "%s: %s", qPrintable(ThemeKey), qPrintable(error));
    m_plainTextToken = m_file->value(PlainTextTokenKey).toString();
    const QString source = m_file->value(SourceKey, m_source).toString();
    if (const QString error = checkMarketSource(source); error.isEmpty())
        m_source = source;
    else
        qCWarning(lcSettings, "%s: %s", qPrintable(SourceKey), qPrintable(error));
}

void UserSettings::readKeychain()
{
    connect(m_vault, &TokenVault::readFinished, this, [this](const TokenVault::Result &result) {
        const bool keychain = result.status != TokenVault::Status::Unavailable;
        if (!m_tokenOverride && !m_tokenChosen)
            setToken(result.status == TokenVault::Status::Found ? result.token : m_plainTextToken);
        if (!keychain) {
            // The plain-text entry stays where it is: removing it would lose the token at exit.
            setStorage(m_tokenOverride ? TokenStorage::CommandLine : TokenStorage::Session,
                       result.error);
            return;
        }
        setStorage(m_tokenOverride ? TokenStorage::CommandLine : TokenStorage::Keychain);
        if (m_plainTextToken.isEmpty())
            return;
        if (result.status == TokenVault::Status::Found) {
            // A newer version already moved a token to the keychain; the file's copy is stale.
            m_file->remove(PlainTextTokenKey);
            m_file->sync();
            m_plainTextToken.clear();
            Q_EMIT tokenStorageChanged();
            return;
        }
        m_migrating = true;
        m_vault->write(m_plainTextToken);
    });
    connect(m_vault, &TokenVault::writeFinished, this, [this](const TokenVault::Result &result) {
        const bool migration = std::exchange(m_migrating, false);
        if (result.status != TokenVault::Status::Stored) {
            const QString reason =
                migration ? tr("The token could not be moved to the system keychain: %1")
                                .arg(result.error)
                          : tr("The token could not be saved in the system keychain: %1")
                                .arg(result.error);
            qCWarning(lcSettings, "%s", qPrintable(reason));
            // Without a keychain from the start, the dialog already says so: no toast each time.
            const bool surprise = m_storage == TokenStorage::Keychain;
            if (!m_tokenOverride)
                setStorage(TokenStorage::Session, result.error);
            if (surprise)
                Q_EMIT problem(reason);
            return;
        }
        if (migration) {
            // Only now, with the token safe in the keychain, does the file forget it.
            m_file->remove(PlainTextTokenKey);
            m_file->sync();
            m_plainTextToken.clear();
            Q_EMIT tokenStorageChanged();
        }
        if (!m_tokenOverride)
            setStorage(TokenStorage::Keychain);
    });
    m_vault->read();
}

QStringList UserSettings::servers() const
{
    return m_serverOverride ? *m_serverOverride : m_servers;
}

QList<QUrl> UserSettings::serverUrls() const
{
    QList<QUrl> urls;
    for (const QString &url : servers())
        urls.append(QUrl(url));
    return urls;
}

QString UserSettings::tokenNote() const
{
    QString note;
    switch (m_storage) {
    case TokenStorage::Reading:
        note = tr("Reading the token from the system keychain…");
        break;
    case TokenStorage::Keychain:
        break;
    case TokenStorage::CommandLine:
        note = tr("The token given with --token is used for this run only and is not saved.");
        break;
    case TokenStorage::Session:
        note = m_storageReason.isEmpty()
                   ? tr("No system keychain: the token is kept for this session only.")
                   : tr("No system keychain (%1): the token is kept for this session only.")
                         .arg(m_storageReason);
        break;
    }
    if (hasPlainTextToken() && m_storage != TokenStorage::Reading) {
        const QString leftover =
            tr("A token saved by an older version is still in plain text in %1; it is moved to "
               "the system keychain once there is one, or delete the server/token line yourself.")
                .arg(fileName());
        note = note.isEmpty() ? leftover : note + u' ' + leftover;
    }
    return note;
}

protocol::Encoding UserSettings::wireEncoding() const
{
    return m_encoding == u"cbor"_s ? protocol::Encoding::Cbor : protocol::Encoding::Json;
}

QStringList UserSettings::symbolsFor(const QString &source) const
{
    if (!MarketSourceModel::isLive(source))
        return {};
    if (m_sourceOverride && source == m_source && !m_symbolsOverride.isEmpty())
        return m_symbolsOverride;
    QStringList symbols;
    const QString key = SymbolsKeyPrefix + source;
    if (const QString error = parseSymbols(m_file->value(key).toStringList().join(u','), &symbols);
        !error.isEmpty()) {
        qCWarning(lcSettings, "%s: %s", qPrintable(key), qPrintable(error));
        return {};
    }
    return symbols;
}

QString UserSettings::symbolsText(const QString &source) const
{
    return symbolsFor(source).join(u", "_s);
}

DemoFeedOptions UserSettings::demoFeedOptions() const
{
    DemoFeedOptions options;
    options.source = m_source;
    if (MarketSourceModel::isLive(m_source)) {
        options.symbols = symbolsFor(m_source);
        options.webSocketBase = m_upstreamWebSocket;
        options.restBase = m_upstreamRest;
    }
    return options;
}

QString UserSettings::fileName() const
{
    return m_file->fileName();
}

QStringList UserSettings::chartIndicators(const QString &chart) const
{
    return m_file->value(u"charts/%1/indicators"_s.arg(chart)).toStringList();
}

void UserSettings::setChartIndicators(const QString &chart, const QStringList &specs)
{
    const QString key = u"charts/%1/indicators"_s.arg(chart);
    if (m_file->contains(key) && m_file->value(key).toStringList() == specs)
        return;
    m_file->setValue(key, specs);
    m_file->sync();
    if (m_file->status() != QSettings::NoError)
        Q_EMIT problem(tr("The chart's indicators could not be saved in %1.").arg(m_file->fileName()));
}

int UserSettings::bookGrouping(const QString &symbol) const
{
    bool ok = false;
    const int ticks = m_file->value(BookGroupingKeyPrefix + symbol).toInt(&ok);
    return ok && market::grouping::isStep(ticks) ? ticks : 1;
}

QString UserSettings::setBookGrouping(const QString &symbol, int ticks)
{
    if (symbol.isEmpty())
        return tr("No symbol to group the book of");
    if (!market::grouping::isStep(ticks))
        return tr("The book can be grouped by 1, 10, 100 or 1000 ticks, not %1").arg(ticks);
    if (ticks == bookGrouping(symbol))
        return {};
    if (ticks == 1)
        m_file->remove(BookGroupingKeyPrefix + symbol);
    else
        m_file->setValue(BookGroupingKeyPrefix + symbol, ticks);
    m_file->sync();
    return {};
}

QString UserSettings::setTheme(const QString &theme)
{
    if (QString error = checkTheme(theme); !error.isEmpty())
        return error;
    if (theme == m_theme && m_themeOverride)
        return {}; // still the override: not saved
    m_themeOverride = false;
    m_file->setValue(ThemeKey, theme);
    m_file->sync();
    if (theme == m_theme)
        return {};
    m_theme = theme;
    Q_EMIT themeChanged();
    return {};
}

QString UserSettings::setServers(const QStringList &servers)
{
    QStringList list;
    for (const QString &url : servers) {
        if (QString error = checkServer(url); !error.isEmpty())
            return error;
        if (!list.contains(url))
            list.append(url);
    }
    const QStringList before = this->servers();
    m_serverOverride.reset();
    m_servers = list;
    m_file->setValue(ServersKey, m_servers);
    m_file->sync();
    if (this->servers() != before)
        Q_EMIT serversChanged();
    return {};
}

QString UserSettings::checkServerList(const QString &servers) const
{
    if (servers.trimmed().isEmpty())
        return {}; // the demo feed
    return client::ServerList::parse(servers).error;
}

QString UserSettings::connectTo(const QString &servers, const QString &token,
                                const QString &encoding)
{
    QStringList list; // empty: the demo feed
    if (!servers.trimmed().isEmpty()) {
        const client::ServerList parsed = client::ServerList::parse(servers);
        if (!parsed.ok())
            return parsed.error;
        for (const QUrl &url : parsed.urls)
            list.append(url.toString());
    }
    if (QString error = checkEncoding(encoding); !error.isEmpty())
        return error;

    if (!m_serverOverride || list != *m_serverOverride) {
        if (QString error = setServers(list); !error.isEmpty())
            return error;
    }

    const QString newToken = token.trimmed();
    if (!(m_tokenOverride && newToken == m_token)
        && (newToken != m_token || m_storage != TokenStorage::Keychain)) {
        m_tokenOverride = false;
        m_tokenChosen = true;
        setToken(newToken);
        m_vault->write(newToken);
    }

    m_file->setValue(EncodingKey, encoding);
    m_file->sync();
    if (encoding != m_encoding) {
        m_encoding = encoding;
        Q_EMIT encodingChanged();
    }
    Q_EMIT connectRequested();
    return {};
}

QString UserSettings::setMarketSource(const QString &source, const QString &symbols)
{
    if (QString error = checkMarketSource(source); !error.isEmpty())
        return error;
    QStringList list;
    if (QString error = parseSymbols(symbols, &list); !error.isEmpty())
        return error;
    if (!MarketSourceModel::isLive(source))
        list.clear(); // the simulation has its own instruments
    const QStringList before = sourceSymbols();
    if (m_sourceOverride && source == m_source && list == before)
        return {}; // still the command line's: not saved
    const bool changed = source != m_source || list != before;
    m_sourceOverride = false;
    m_symbolsOverride.clear();
    m_source = source;
    m_file->setValue(SourceKey, source);
    if (MarketSourceModel::isLive(source))
        m_file->setValue(SymbolsKeyPrefix + source, list);
    m_file->sync();
    if (changed)
        Q_EMIT marketSourceChanged();
    return {};
}

void UserSettings::setToken(const QString &token)
{
    if (token == m_token)
        return;
    m_token = token;
    Q_EMIT tokenChanged();
}

void UserSettings::setStorage(TokenStorage storage, const QString &reason)
{
    if (storage == m_storage && reason == m_storageReason)
        return;
    m_storage = storage;
    m_storageReason = reason;
    Q_EMIT tokenStorageChanged();
}

QString UserSettings::checkServer(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || (parsed.scheme() != u"ws"_s && parsed.scheme() != u"wss"_s)
        || parsed.host().isEmpty())
        return tr("“%1” is not a server address: use ws://host:port/ or wss://host:port/").arg(url);
    return {};
}

QString UserSettings::checkTheme(const QString &theme)
{
    if (theme != u"dark"_s && theme != u"light"_s)
        return tr("Unknown theme “%1”: dark or light").arg(theme);
    return {};
}

QString UserSettings::checkEncoding(const QString &encoding)
{
    if (encoding != u"json"_s && encoding != u"cbor"_s)
        return tr("Unknown encoding “%1”: json or cbor").arg(encoding);
    return {};
}

QString UserSettings::checkMarketSource(const QString &source)
{
    if (!MarketSourceModel::ids().contains(source))
        return tr("Unknown market source “%1”: %2")
            .arg(source, MarketSourceModel::ids().join(u", "_s));
    return {};
}

QString UserSettings::parseSymbols(const QString &text, QStringList *symbols)
{
    static const QRegularExpression baseQuote(u"^[A-Z0-9]+-[A-Z0-9]+$"_s);
    symbols->clear();
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString symbol = part.trimmed().toUpper();
        if (symbol.isEmpty() || symbols->contains(symbol))
            continue;
        if (!baseQuote.match(symbol).hasMatch()) {
            symbols->clear();
            return tr("“%1” is not a symbol: write BASE-QUOTE, such as BTC-USDT")
                .arg(part.trimmed());
        }
        symbols->append(symbol);
    }
    return {};
}

} // namespace tickwire::ui
