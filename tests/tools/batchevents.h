// The events of one type that a spy on FeedClient::batchReady caught, in arrival order.
#pragma once

#include "protocol/eventbatch.h"

#include <QtTest/QSignalSpy>

namespace tickwire::testing {

template<typename T> [[nodiscard]] QList<T> eventsOf(const QSignalSpy &batches)
{
    QList<T> out;
    for (const auto &args : batches) {
        const auto batch = args.at(0).value<protocol::EventBatch>();
        for (const protocol::Message &m : batch.events) {
            if (const auto *event = std::get_if<T>(&m))
                out.append(*event);
        }
    }
    return out;
}

} // namespace tickwire::testing
