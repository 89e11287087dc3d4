#include "client/streamsequencer.h"

namespace tickwire::client {

StreamSequencer::Verdict StreamSequencer::check(const StreamId &stream, std::int64_t seq)
{
    if (const auto verdict = checkKnown(stream, seq))
        return *verdict;
    m_last.insert(stream, seq);
    return Verdict::First;
}

std::optional<StreamSequencer::Verdict> StreamSequencer::checkKnown(const StreamId &stream,
                                                                    std::int64_t seq)
{
    const auto it = m_last.find(stream);
    if (it == m_last.end())
        return std::nullopt;
    if (seq <= *it)
        return Verdict::Stale;
    const bool next = seq == *it + 1;
    *it = seq;
    return next ? Verdict::InOrder : Verdict::Gap;
}

void StreamSequencer::restart(const StreamId &stream, std::int64_t seq)
{
    m_last.insert(stream, seq);
}

void StreamSequencer::forget(const StreamId &stream)
{
    m_last.remove(stream);
}

void StreamSequencer::clear()
{
    m_last.clear();
}

std::optional<std::int64_t> StreamSequencer::last(const StreamId &stream) const
{
    const auto it = m_last.constFind(stream);
    if (it == m_last.cend())
        return std::nullopt;
    return *it;
}

} // namespace tickwire::client
