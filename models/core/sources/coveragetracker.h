#pragma once

#include "marketbatch.h"

#include <QVector>

// Turns the times of the rows a source received for one series into the spans it covered.
// A row at ts covers [ts, ts + step); rows at most `tolerance` steps apart belong to one
// stretch, farther apart leave a hole (a maintenance window, a missing day of a dump, a
// dropped stream). Rows must come in time order; a row at or before the last one is
// ignored here. With step 0 the step is learned from the smallest gap of the first rows.
//
// takeInto() moves what was covered since the last call into a batch, including the open
// stretch up to its last row; the stretch continues in the next batch (the writer merges
// the pieces back into one span).
class CoverageTracker
{
public:
    CoverageTracker() = default;
    CoverageTracker(DataKind kind, qint64 stepMs, double tolerance, CoverageQuality quality, QString origin);

    // The stretches a sorted list of row times covers, split where rows are more than
    // `tolerance` steps apart (for rows that arrive in pieces, out of order: REST pages).
    static QVector<TimeRange> runs(const QVector<qint64> &sortedTimes, qint64 stepMs, double tolerance);

    bool isValid() const { return m_valid; }
    void add(qint64 ts);
    void takeInto(MarketBatch &batch);
    qint64 stepMs() const { return m_step; }
    // The row interval to record as the span's resolution (the step, or what was learned).
    qint64 resolutionMs() const { return m_resolution > 0 ? m_resolution : m_step; }
    void setResolution(qint64 ms) { m_resolution = ms; }

private:
    void place(qint64 ts);
    void learn();

    bool m_valid = false;
    DataKind m_kind = DataKind::Candles;
    qint64 m_step = 0;
    qint64 m_resolution = 0;
    double m_tolerance = 1;
    CoverageQuality m_quality = CoverageQuality::Complete;
    QString m_origin;
    QVector<qint64> m_learning; // first rows while the step is unknown
    qint64 m_runFrom = -1;      // the open stretch: first row, last row
    qint64 m_last = -1;
    qint64 m_emittedTo = std::numeric_limits<qint64>::min();
    QVector<TimeRange> m_closed;
};
