#pragma once

#include "domain/candle.h"
#include "domain/timeframe.h"
#include "sqlitestatement.h"

#include <utility>

class SqliteConnection;

// Upserts candle rows of one table (candles or mark_candles) in groups of `groupRows` per
// statement: one multi-row INSERT steps once for many rows, which is what lets the writer
// keep five tiers and still ingest at the speed of a plain single-row insert.
class CandleRowWriter
{
public:
    static constexpr int groupRows = 64;

    CandleRowWriter(SqliteConnection &db, const char *table);

    void add(qint64 instrument, Timeframe tf, const Candle &c);
    void flush(); // writes what is buffered (call before reading the table back)
    // Rows inserted or changed by what was written since the last call (a row re-sent with
    // the values it holds is left alone and not counted). Call after flush().
    qint64 takeChanged() { return std::exchange(m_changed, 0); }

private:

    SqliteConnection &m_db;
    SqliteStatement m_group;
    SqliteStatement m_single;
    struct Pending
    {
        qint64 instrument;
        int tf;
        Candle candle;
    };
    Pending m_buffer[groupRows];
    int m_count = 0;
    qint64 m_changed = 0;
};
