#include "exchanges/marketsource.h"

#include "exchanges/framerecorder.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

namespace tickwire::exchanges {

void fetchJson(QNetworkAccessManager *network, const QUrl &url, const QString &what,
               FrameRecorder *recorder,
               const std::function<void(const QByteArray &body, const QString &error)> &done)
{
    QNetworkReply *reply = network->get(QNetworkRequest(url));
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, what, recorder, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (recorder)
            recorder->restReply(reply->url(), status, body);
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            done({}, QStringLiteral("%1 from %2 failed: %3")
                         .arg(what, reply->url().toString(), reply->errorString()));
            return;
        }
        done(body, {});
    });
}

std::optional<protocol::Candle> candleAtStep(const protocol::InstrumentInfo &info,
                                             protocol::CandleInterval interval, std::int64_t start,
                                             const CandleText &text, bool closed)
{
    const auto o = atStep(text.open, info.tickSize);
    const auto h = atStep(text.high, info.tickSize);
    const auto l = atStep(text.low, info.tickSize);
    const auto c = atStep(text.close, info.tickSize);
    const auto v = atStep(text.volume, info.lotSize);
    if (!o || !h || !l || !c || !v)
        return std::nullopt;
    protocol::Candle candle;
    candle.symbol = info.symbol;
    candle.interval = interval;
    candle.t = start;
    candle.o = *o;
    candle.h = *h;
    candle.l = *l;
    candle.c = *c;
    candle.v = *v;
    candle.closed = closed;
    return candle;
}

std::optional<Decimal> atStep(QStringView text, const Decimal &step)
{
    const std::optional<Decimal> value = Decimal::parse(text);
    if (!value || value->isNegative())
        return std::nullopt;
    const std::optional<Decimal> scaled = value->withScale(step.scale());
    if (!scaled || !step.isPositive() || !scaled->isMultipleOf(step))
        return std::nullopt;
    return scaled;
}

} // namespace tickwire::exchanges
