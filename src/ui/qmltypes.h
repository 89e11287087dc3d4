#pragma once

#include "market/alertbook.h"
#include "market/candlemodel.h"
#include "market/chartindicators.h"
#include "market/marketstore.h"
#include "market/quotesortmodel.h"
#include "market/quotemodel.h"
#include "client/feedclient.h"
#include "watchlists/symbolsearchmodel.h"
#include "watchlists/watchliststore.h"

#include <QtQml/qqml.h>

// QML registrations of types that live in Qt-free-of-QML libraries (client, market): the
// libraries stay QtCore-only, and QML still knows their properties, enums and signals.
namespace tickwire::ui {

struct FeedClientForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::client::FeedClient)
    QML_NAMED_ELEMENT(FeedClient)
    QML_UNCREATABLE("FeedClient is provided by the Dashboard singleton")
};

struct AlertBookForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::AlertBook)
    QML_NAMED_ELEMENT(AlertBook)
    QML_UNCREATABLE("provided by the Dashboard singleton")
};

struct CandleModelForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::CandleModel)
    QML_NAMED_ELEMENT(CandleModel)
    QML_UNCREATABLE("CandleModel is provided by the Dashboard singleton")
};

// One per chart: the chart creates it (ChartPanel.qml) over its candles.
struct ChartIndicatorsForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::ChartIndicators)
    QML_NAMED_ELEMENT(ChartIndicators)
};

struct MarketStoreForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::MarketStore)
    QML_NAMED_ELEMENT(MarketStore)
    QML_UNCREATABLE("provided by the Dashboard singleton")
};

struct QuoteModelForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::QuoteModel)
    QML_NAMED_ELEMENT(QuoteModel)
    QML_UNCREATABLE("QuoteModel is provided by the Dashboard singleton")
};

struct WatchlistStoreForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::watchlists::WatchlistStore)
    QML_NAMED_ELEMENT(WatchlistStore)
    QML_UNCREATABLE("provided by the Dashboard singleton")
};

struct QuoteSortModelForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::QuoteSortModel)
    QML_NAMED_ELEMENT(QuoteSortModel)
    QML_UNCREATABLE("provided by the Dashboard singleton")
};

struct SymbolSearchModelForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::watchlists::SymbolSearchModel)
    QML_NAMED_ELEMENT(SymbolSearchModel)
    QML_UNCREATABLE("provided by the Dashboard singleton")
};

struct DepthModelForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::market::DepthModel)
    QML_NAMED_ELEMENT(DepthModel)
    QML_UNCREATABLE("DepthModel is provided by the Dashboard singleton")
};

struct ImportReportForeign
{
    Q_GADGET
    QML_FOREIGN(tickwire::watchlists::ImportReport)
    QML_VALUE_TYPE(importReport)
};

} // namespace tickwire::ui
