#include "coveragetracker.h"

#include <algorithm>

namespace {
constexpr int learnRows = 64;
}

CoverageTracker::CoverageTracker(DataKind kind, qint64 stepMs, double tolerance, CoverageQuality quality, QString origin)
    : m_valid(true)
    , m_kind(kind)
    , m_step(stepMs)
    , m_tolerance(std::max(1.0, tolerance))
    , m_quality(quality)
    , m_origin(std::move(origin))
{
}

QVector<TimeRange> CoverageTracker::runs(const QVector<qint64> &times, qint64 step, double tolerance)
{
    QVector<TimeRange> out;
    for (qint64 ts : times) {
        if (!out.isEmpty() && ts < out.back().to)
            continue;
        if (!out.isEmpty() && ts - (out.back().to - step) <= qint64(tolerance * double(step)))
            out.back().to = ts + step;
        else
            out.push_back({ts, ts + step});
    }
    return out;
}

void CoverageTracker::add(qint64 ts)
{
    if (!m_valid)
        return;
    if (m_step <= 0) {
        if (!m_learning.isEmpty() && ts <= m_learning.back())
            return;
        m_learning.push_back(ts);
        if (m_learning.size() >= learnRows)
            learn();
        return;
    }
    place(ts);
}

void CoverageTracker::learn()
{
    qint64 gap = 0;
    for (qsizetype i = 1; i < m_learning.size(); ++i)
        if (const qint64 g = m_learning[i] - m_learning[i - 1]; g > 0 && (gap == 0 || g < gap))
            gap = g;
    m_step = gap > 0 ? gap : 60'000; // a single row: a minute is the most it says
    const QVector<qint64> rows = std::exchange(m_learning, {});
    for (qint64 ts : rows)
        place(ts);
}

void CoverageTracker::place(qint64 ts)
{
    if (m_last >= 0 && ts <= m_last)
        return;
    if (m_last >= 0 && ts - m_last > qint64(m_tolerance * double(m_step))) {
        const qint64 from = std::max(m_runFrom, m_emittedTo);
        if (from < m_last + m_step)
            m_closed.push_back({from, m_last + m_step});
        m_runFrom = ts;
    } else if (m_last < 0) {
        m_runFrom = ts;
    }
    m_last = ts;
}

void CoverageTracker::takeInto(MarketBatch &batch)
{
    if (!m_valid)
        return;
    if (!m_learning.isEmpty())
        learn();
    for (const TimeRange &r : std::as_const(m_closed))
        batch.cover(m_kind, r, m_quality, resolutionMs(), m_origin);
    m_closed.clear();
    if (m_last < 0)
        return;
    const qint64 from = std::max(m_runFrom, m_emittedTo);
    if (from < m_last + m_step) {
        batch.cover(m_kind, {from, m_last + m_step}, m_quality, resolutionMs(), m_origin);
        m_emittedTo = m_last + m_step;
    }
}
