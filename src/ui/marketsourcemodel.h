#pragma once

#include <QtCore/QAbstractListModel>
#include <QtCore/QStringList>
#include <QtQml/qqmlregistration.h>

namespace tickwire::ui {

// The market sources the built-in feed can run, for the settings dialog: the simulation
// ("sim") first, then every live exchange (exchanges::liveExchanges()), with the name shown for
// each and the symbols a live one carries when none are chosen. Fixed for the run.
class MarketSourceModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Dashboard.settings.marketSources is the one instance")
    Q_DISABLE_COPY_MOVE(MarketSourceModel)
    Q_PROPERTY(int count READ rowCount CONSTANT FINAL)

public:
    enum Role {
        IdRole = Qt::UserRole + 1, // "sim", "binance", …
        NameRole, // "Demo simulation", "Binance", …
        LiveRole, // a real exchange (paper trading), not the simulation
        DefaultSymbolsRole, // "BTC-USDT, ETH-USDT, …"; empty for the simulation
    };
    Q_ENUM(Role)

    explicit MarketSourceModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // The row of a source id, -1 when the build has no such source.
    [[nodiscard]] Q_INVOKABLE int indexOf(const QString &id) const;
    // The name shown for a source id, whether or not this build can run it (a server may
    // name any): the exchange's name, "Demo simulation", "Replay"; an unknown id as it is.
    [[nodiscard]] Q_INVOKABLE QString nameOf(const QString &id) const { return displayName(id); }
    [[nodiscard]] static QString displayName(const QString &id);
    [[nodiscard]] Q_INVOKABLE bool liveSource(const QString &id) const { return isLive(id); }
    // "BTC-USDT, ETH-USDT, …": what a live source carries when no symbols are chosen.
    [[nodiscard]] Q_INVOKABLE QString defaultSymbolsText(const QString &id) const;

    // "sim" and the live exchanges, in the model's order.
    [[nodiscard]] static QStringList ids();
    [[nodiscard]] static bool isLive(const QString &id);

private:
    QStringList m_ids;
};

} // namespace tickwire::ui
