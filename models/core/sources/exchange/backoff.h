#pragma once

#include <QtGlobal>
#include <random>

// Capped exponential backoff with jitter: base, 2 base, 4 base ... up to cap, each delay
// drawn from [d/2, d] so many clients that failed together do not retry together.
class Backoff
{
public:
    Backoff(qint64 baseMs, qint64 capMs, quint64 seed = std::random_device{}());

    qint64 next(); // the delay before the next attempt
    void reset() { m_attempts = 0; }
    int attempts() const { return m_attempts; }
    qint64 baseMs() const { return m_base; }

private:
    qint64 m_base;
    qint64 m_cap;
    int m_attempts = 0;
    std::mt19937_64 m_rng;
};
