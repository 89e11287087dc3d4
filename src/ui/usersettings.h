#pragma once

#include "protocol/codec.h"
#include "ui/demofeed.h"
#include "ui/marketsourcemodel.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>

class QSettings;

namespace tickwire::ui {

class TokenVault;

// How the app was started; set by main() before the QML engine creates the singleton. Each
// override is for this run only and is never saved.
struct StartupOptions
{
    QList<QUrl> servers; // override the saved servers; empty: saved ones, else the embedded demo
    QString token; // overrides the saved token
    bool forceEmbedded = false;
    QString theme; // "dark" / "light" overrides the saved theme
    // The built-in feed's market for this run (--source, --symbols): "sim" or a live exchange;
    // empty: the saved one. Setting it implies forceEmbedded.
    QString source;
    QStringList symbols; // with a live `source`; empty: the saved ones, else the defaults
    // The live exchange's endpoints for this run (--upstream-ws, --upstream-rest): tests and
    // power users point the built-in feed at another server. Never saved.
    QUrl upstreamWebSocket;
    QUrl upstreamRest;
};

// The user's settings: which servers to connect to, the token, the wire encoding, the
// theme and the built-in feed's market source, with this run's command-line overrides on top. It
// keeps them in QSettings and the token in the system keychain (TokenVault), never in the settings
// file; where there is no keychain the token lives for this session only and `tokenNote` says so.
// What QML sees as `Dashboard.settings`; the dashboard (re)connects when `connectRequested` is
// emitted.
class UserSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Dashboard.settings is the one instance")
    Q_DISABLE_COPY_MOVE(UserSettings)

    // In order of preference: the dashboard connects to the first and moves to the next on
    // every reconnect. Empty: the built-in demo feed.
    Q_PROPERTY(QStringList servers READ servers NOTIFY serversChanged FINAL)
    Q_PROPERTY(QString server READ server NOTIFY serversChanged FINAL)
    // The servers as the settings dialog's field shows them: "ws://a:1/, ws://b:2/".
    Q_PROPERTY(QString serverList READ serverList NOTIFY serversChanged FINAL)
    Q_PROPERTY(QString token READ token NOTIFY tokenChanged FINAL)
    Q_PROPERTY(TokenStorage tokenStorage READ tokenStorage NOTIFY tokenStorageChanged FINAL)
    // Where the token is kept, for the settings dialog; empty when it is in the keychain.
    Q_PROPERTY(QString tokenNote READ tokenNote NOTIFY tokenStorageChanged FINAL)
    // A token written by an older version is still in the settings file in plain text.
    Q_PROPERTY(bool plainTextToken READ hasPlainTextToken NOTIFY tokenStorageChanged FINAL)
    Q_PROPERTY(QString encoding READ encoding NOTIFY encodingChanged FINAL)
    Q_PROPERTY(QString theme READ theme NOTIFY themeChanged FINAL)
    // The built-in feed's market: "sim" or a live exchange id (marketSources lists them), and
    // the symbols chosen for it (empty: the exchange's defaults).
    Q_PROPERTY(QString marketSource READ marketSource NOTIFY marketSourceChanged FINAL)
    Q_PROPERTY(QStringList sourceSymbols READ sourceSymbols NOTIFY marketSourceChanged FINAL)
    Q_PROPERTY(tickwire::ui::MarketSourceModel *marketSources READ marketSources CONSTANT FINAL)

public:
    enum class TokenStorage {
        Reading, // asking the keychain; connecting waits for it
        Keychain, // the token (if any) is in the system keychain
        CommandLine, // --token: this run only
        Session, // no usable keychain: this session only
    };
    Q_ENUM(TokenStorage)

    // `settingsFile` empty: the application's QSettings; else that INI file (tests).
    // `keychainService` names the keychain entry (tests use their own).
    explicit UserSettings(const StartupOptions &overrides, const QString &settingsFile = {},
                          const QString &keychainService = {}, QObject *parent = nullptr);
    ~UserSettings() override;

    [[nodiscard]] QStringList servers() const;
    [[nodiscard]] QString server() const { return servers().value(0); }
    [[nodiscard]] QUrl serverUrl() const { return QUrl(server()); }
    [[nodiscard]] QList<QUrl> serverUrls() const;
    [[nodiscard]] QString serverList() const { return servers().join(u", "); }
    [[nodiscard]] QString token() const { return m_token; }
    [[nodiscard]] TokenStorage tokenStorage() const { return m_storage; }
    [[nodiscard]] bool isTokenReady() const { return m_storage != TokenStorage::Reading; }
    [[nodiscard]] QString tokenNote() const;
    [[nodiscard]] bool hasPlainTextToken() const { return !m_plainTextToken.isEmpty(); }
    [[nodiscard]] QString encoding() const { return m_encoding; }
    [[nodiscard]] protocol::Encoding wireEncoding() const;
    [[nodiscard]] QString theme() const { return m_theme; }
    [[nodiscard]] QString marketSource() const { return m_source; }
    [[nodiscard]] QStringList sourceSymbols() const { return symbolsFor(m_source); }
    [[nodiscard]] MarketSourceModel *marketSources() const { return m_sources; }
    // The symbols chosen for a source (saved, or this run's --symbols), as the dialog shows
    // them: "BTC-USDT, ETH-USDT"; empty for the exchange's defaults.
    [[nodiscard]] Q_INVOKABLE QString symbolsText(const QString &source) const;
    // What the built-in feed is to run: the source, its symbols, this run's endpoints.
    [[nodiscard]] DemoFeedOptions demoFeedOptions() const;
    // The QSettings file these settings live in.
    [[nodiscard]] QString fileName() const;

    // Each returns why the value is refused, empty when it was taken (and saved).
    Q_INVOKABLE QString setTheme(const QString &theme);
    QString setServers(const QStringList &servers);
    // The settings dialog's OK: `servers`, comma-separated as ServerList::parse reads them,
    // becomes the list (empty: the demo feed), `token` and `encoding` are taken; then
    // `connectRequested`. A value equal to its command-line override stays an override and is
    // not saved.
    Q_INVOKABLE QString connectTo(const QString &servers, const QString &token,
                                  const QString &encoding);
    // Why the dialog's comma-separated server list would be refused; empty when it is fine
    // (an empty text too: the demo feed). For the inline check as the user types.
    [[nodiscard]] Q_INVOKABLE QString checkServerList(const QString &servers) const;
    // The settings dialog's market source: `source` from marketSources and its symbols as
    // typed (comma-separated; empty: the exchange's defaults). Taken and saved, or refused
    // with the reason; equal to the command line's, it stays this run's override. The
    // dashboard applies it at the next connectRequested.
    Q_INVOKABLE QString setMarketSource(const QString &source, const QString &symbols);

    // A chart's indicators ("sma 20", "bollinger 20 2", …: ChartIndicators::specs), saved under
    // charts/<chart>/indicators; `chart` names the chart ("main").
    [[nodiscard]] Q_INVOKABLE QStringList chartIndicators(const QString &chart) const;
    Q_INVOKABLE void setChartIndicators(const QString &chart, const QStringList &specs);
    // The order book's grouping (buckets of 1, 10, 100 or 1000 ticks) saved for `symbol`; 1
    // when none is saved or the saved value is not one of those.
    [[nodiscard]] int bookGrouping(const QString &symbol) const;
    // Saves it (1 forgets the symbol's entry); refuses, with the reason, another value.
    QString setBookGrouping(const QString &symbol, int ticks);

    // Why a value is not acceptable, empty when it is.
    [[nodiscard]] static QString checkServer(const QString &url);
    [[nodiscard]] static QString checkTheme(const QString &theme);
    [[nodiscard]] static QString checkEncoding(const QString &encoding);
    [[nodiscard]] static QString checkMarketSource(const QString &source);
    // Symbols as typed ("btc-usdt, ETH-USDT,"): upper case, trimmed, without empty entries or
    // repeats, into `symbols`; or why one is not a BASE-QUOTE name.
    [[nodiscard]] static QString parseSymbols(const QString &text, QStringList *symbols);

Q_SIGNALS:
    void serversChanged();
    void tokenChanged();
    void tokenStorageChanged();
    void encodingChanged();
    void themeChanged();
    void marketSourceChanged();
    // The connection settings were (re)chosen: connect with them, once the token is ready.
    void connectRequested();
    // A keychain write or a saved value went wrong; for a toast.
    void problem(const QString &message);

private:
    void load();
    void readKeychain();
    void storeToken(const QString &token);
    void setToken(const QString &token);
    void setStorage(TokenStorage storage, const QString &reason = {});
    [[nodiscard]] QStringList symbolsFor(const QString &source) const;

    std::unique_ptr<QSettings> m_file;
    TokenVault *m_vault = nullptr;
    MarketSourceModel *m_sources = nullptr;
    std::optional<QStringList> m_serverOverride; // an empty list: --demo
    bool m_tokenOverride = false;
    bool m_themeOverride = false;
    bool m_sourceOverride = false; // m_source (and, when live, its symbols) are --source's
    QStringList m_symbolsOverride; // --symbols, for m_source while m_sourceOverride
    QUrl m_upstreamWebSocket;
    QUrl m_upstreamRest;
    bool m_tokenChosen = false; // set in this session: a late keychain answer must not replace it
    bool m_migrating = false; // the keychain write in flight moves the plain-text token
    QStringList m_servers;
    QString m_token;
    QString m_plainTextToken; // what `server/token` in the file holds, until moved
    QString m_encoding = QStringLiteral("json");
    QString m_theme = QStringLiteral("dark");
    QString m_source = QStringLiteral("sim");
    TokenStorage m_storage = TokenStorage::Reading;
    QString m_storageReason; // why there is no keychain
};

} // namespace tickwire::ui
