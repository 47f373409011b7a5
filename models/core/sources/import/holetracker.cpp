#include "holetracker.h"

#include "domain/timeformat.h"

namespace {

constexpr int maxExamples = 5;

QString duration(qint64 ms)
{
    const qint64 min = ms / 60'000;
    if (min < 120)
        return QStringLiteral("%1 min").arg(min);
    if (min < 48 * 60)
        return QStringLiteral("%1 h").arg(double(min) / 60, 0, 'f', 1);
    return QStringLiteral("%1 days").arg(double(min) / 1440, 0, 'f', 1);
}

} // namespace

void HoleTracker::add(qint64 ts, qint64 stepMs)
{
    if (m_first < 0) {
        m_first = m_last = ts;
        m_step = stepMs;
        return;
    }
    if (ts <= m_last)
        return;
    if (ts - m_last > m_step) {
        ++m_holes;
        m_missingUnits += (ts - m_last) / m_step - 1;
        if (m_examples.size() < maxExamples)
            m_examples.push_back({m_last + m_step, ts});
    }
    m_last = ts;
    m_step = stepMs;
}

QStringList HoleTracker::report(const QString &name, const QString &unit) const
{
    QStringList out;
    if (m_first < 0)
        return out;
    for (const TimeRange &h : m_examples)
        out << QStringLiteral("%1: no data from %2 to %3 (%4; a maintenance window or missing data, left as a hole)")
                   .arg(name, TimeFormat::iso(h.from), TimeFormat::iso(h.to), duration(h.span()));
    if (m_holes > m_examples.size())
        out << QStringLiteral("%1: %2 more holes; %3 %4 missing in all").arg(name).arg(m_holes - m_examples.size()).arg(m_missingUnits).arg(unit);
    if (m_period.isValid()) {
        if (m_first - m_period.from >= m_step)
            out << QStringLiteral("%1: partial file: data starts at %2, %3 after the start of its period")
                       .arg(name, TimeFormat::iso(m_first), duration(m_first - m_period.from));
        if (m_period.to - (m_last + m_step) >= m_step)
            out << QStringLiteral("%1: partial file: data ends at %2, %3 before the end of its period (%4); the daily files may fill it")
                       .arg(name, TimeFormat::iso(m_last + m_step), duration(m_period.to - m_last - m_step), TimeFormat::iso(m_period.to));
    }
    return out;
}
