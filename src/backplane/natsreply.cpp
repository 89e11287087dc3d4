#include "backplane/natsreply.h"

#include "backplane/natsclient.h"

namespace tickwire::backplane {

NatsReply::NatsReply(NatsClient *client)
    : m_client(client)
{
}

NatsReply::~NatsReply()
{
    if (m_client)
        m_client->forgetReply(this);
}

void NatsReply::cancel()
{
    if (m_finished)
        return;
    NatsClient::finish(this, {NatsError::Kind::Cancelled, tr("Cancelled"), 0, 0});
}

} // namespace tickwire::backplane
