#pragma once

#include "domain/candle.h"
#include "domain/timeframe.h"
#include "sqlitestatement.h"

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

private:

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
};
