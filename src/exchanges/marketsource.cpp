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
