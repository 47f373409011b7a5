#include "backoff.h"

#include <algorithm>

Backoff::Backoff(qint64 baseMs, qint64 capMs, quint64 seed)
    : m_base(std::max<qint64>(1, baseMs))
    , m_cap(std::max(capMs, baseMs))
    , m_rng(seed)
{
}

qint64 Backoff::next()
{
    const int shift = std::min(m_attempts, 30);
    ++m_attempts;
    const qint64 full = std::min(m_cap, m_base << shift);
    std::uniform_int_distribution<qint64> jitter(full / 2, full);
    return jitter(m_rng);
}
