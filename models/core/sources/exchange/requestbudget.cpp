#include "requestbudget.h"

#include "exchangeadapter.h"

#include <algorithm>
#include <cmath>

void RequestBudget::setWeightLimit(int limit, qint64 windowMs, double safety)
{
    m_limit = std::max(1, limit);
    m_windowMs = std::max<qint64>(1, windowMs);
    m_safety = std::clamp(safety, 0.1, 1.0);
}

void RequestBudget::addBucket(const QString &name, int limit, qint64 windowMs)
{
    m_buckets.insert(name, Bucket{std::max(1, limit), std::max<qint64>(1, windowMs), {}});
}

qint64 RequestBudget::marginMs() const
{
    // The clocks agree to a few ms (offset measured from serverTime); start a little late.
    return std::clamp<qint64>(m_windowMs / 40, 25, 1000);
}

int RequestBudget::usedInWindow(qint64 now) const
{
    return window(now) == m_currentWindow ? m_used : 0;
}

qint64 RequestBudget::delayFor(const RestRequest &r, qint64 now) const
{
    qint64 wait = std::max<qint64>(0, m_blockedUntil - now);
    const int allowed = std::max(1, int(std::floor(m_limit * m_safety)));
    if (r.weight > 0 && usedInWindow(now) + r.weight > allowed) {
        const qint64 nextWindow = (window(now) + 1) * m_windowMs + marginMs();
        wait = std::max(wait, nextWindow - now);
    }
    if (!r.bucket.isEmpty() && m_buckets.contains(r.bucket)) {
        Bucket &b = m_buckets[r.bucket];
        while (!b.sent.empty() && b.sent.front() <= now - b.windowMs)
            b.sent.pop_front();
        if (int(b.sent.size()) >= int(std::floor(b.limit * m_safety)))
            wait = std::max(wait, b.sent.front() + b.windowMs - now + marginMs());
    }
    return wait;
}

void RequestBudget::sent(const RestRequest &r, qint64 now)
{
    m_lastNoted = now;
    if (window(now) != m_currentWindow) {
        m_currentWindow = window(now);
        m_used = 0;
    }
    m_used += r.weight;
    if (!r.bucket.isEmpty() && m_buckets.contains(r.bucket))
        m_buckets[r.bucket].sent.push_back(now);
}

void RequestBudget::observed(int usedWeight, qint64 now)
{
    m_lastNoted = now;
    if (window(now) != m_currentWindow) {
        m_currentWindow = window(now);
        m_used = 0;
    }
    // The venue's count includes other programs on this IP: never below it.
    m_used = std::max(m_used, usedWeight);
}

void RequestBudget::shiftClock(qint64 deltaMs)
{
    if (deltaMs == 0)
        return;
    if (m_blockedUntil > 0)
        m_blockedUntil += deltaMs;
    for (Bucket &b : m_buckets)
        for (qint64 &t : b.sent)
            t += deltaMs;
    // The weight counted so far stays with the window of the last request in the new clock
    // (a little early or late at a window's edge, never forgotten).
    if (m_currentWindow >= 0) {
        m_lastNoted += deltaMs;
        m_currentWindow = window(m_lastNoted);
    }
}
