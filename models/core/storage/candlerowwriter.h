#pragma once

#include "domain/candle.h"
#include "domain/timeframe.h"
#include "dbstatement.h"

#include <utility>
#include <vector>

class DbConnection;

// Upserts candle rows of one table (candles or mark_candles) in groups of
// SqlDialect::candleGroupRows() per statement: one multi-row INSERT steps once for many rows
// (on PostgreSQL: one round trip), which is what lets the writer keep five tiers and still
// ingest at the speed of a plain single-row insert. The rows of one group never repeat a
// key (PostgreSQL refuses an upsert that touches a row twice): the writer adds each bar of
// a tier once per batch.
class CandleRowWriter
{
public:
    CandleRowWriter(DbConnection &db, const char *table);

    void add(qint64 instrument, Timeframe tf, const Candle &c);
    void flush(); // writes what is buffered (call before reading the table back)
    // Rows inserted or changed by what was written since the last call (a row re-sent with
    // the values it holds is left alone and not counted). Call after flush().
    qint64 takeChanged() { return std::exchange(m_changed, 0); }

private:
    void bindRows(DbStatement &st, int count);

    DbConnection &m_db;
    const char *m_table;
    int m_groupRows;
    DbStatement m_group;
    DbStatement m_single;
    struct Pending
    {
        qint64 instrument;
        int tf;
        Candle candle;
    };
    std::vector<Pending> m_buffer;
    qint64 m_changed = 0;
};
