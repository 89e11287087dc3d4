// How many times a signal spied on entered a state: the first argument of each emission is the
// state. A client can leave a state and come back within one poll of a QTRY, so a test that
// waits for a way there and back counts the emissions instead of polling the state.
#pragma once

#include <QtTest/QSignalSpy>

#include <algorithm>

namespace tickwire::testing {

template<typename State> [[nodiscard]] int entriesInto(const QSignalSpy &spy, State state)
{
    return int(std::count_if(spy.cbegin(), spy.cend(), [state](const QList<QVariant> &args) {
        return args.at(0).template value<State>() == state;
    }));
}

} // namespace tickwire::testing
