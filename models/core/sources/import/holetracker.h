#pragma once

#include "domain/timerange.h"

#include <QString>
#include <QStringList>
#include <QVector>

// Finds where a time series that should be regular (1m bars, 5m open interest, funding
// every N hours) has no rows, inside the file and against the period its name promises
// (a monthly file that stops on the 10th). Reports holes; never invents data for them:
// maintenance windows are real gaps.
class HoleTracker
{
public:
    void setPeriod(TimeRange period) { m_period = period; }
    // Rows in time order; a row at or before the last one is ignored here.
    void add(qint64 ts, qint64 stepMs);
    // Lines "name: ..." describing holes and partial coverage (empty when complete).
    QStringList report(const QString &name, const QString &unit) const;

private:
    TimeRange m_period;
    qint64 m_first = -1;
    qint64 m_last = -1;
    qint64 m_step = 0;
    qint64 m_holes = 0;
    qint64 m_missingUnits = 0;
    QVector<TimeRange> m_examples;
};
