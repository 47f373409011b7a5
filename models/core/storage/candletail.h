#pragma once

#include "domain/candle.h"

#include <QVector>
#include <span>

// What the writer knows, without reading back, about the newest stored 1m bars of one
// series: every bar of the newest day that has data (`day`), and that nothing is stored at
// or after `end`. Appending batches (backfill, live) then rebuild their partial tier
// buckets from memory instead of from the table. The writer drops this knowledge whenever
// another connection may have written (DbConnection::othersWrote) or a transaction rolls back.
class CandleTail
{
public:
    bool isValid() const { return m_valid; }
    void invalidate() { m_valid = false; }
    // Starts from what the store holds: its newest day's bars (possibly none).
    void reset(qint64 end, qint64 day, QVector<Candle> barsOfDay);

    // The newest day with stored bars; later days hold nothing (before the next merge).
    qint64 day() const { return m_day; }
    // Nothing is stored at or after this time.
    qint64 end() const { return m_end; }
    // Stored bars in [from, to), a range inside day().
    std::span<const Candle> bars(qint64 from, qint64 to) const;
    // Merges a normalized batch that has just been written.
    void merge(std::span<const Candle> batch);

private:
    bool m_valid = false;
    qint64 m_end = 0;
    qint64 m_day = 0;
    QVector<Candle> m_bars; // sorted, all stored bars of m_day
};
