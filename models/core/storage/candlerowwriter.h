#pragma once

#include "domain/candle.h"
#include "domain/timeframe.h"
#include "dbstatement.h"

#include <utility>
#include <vector>

class DbConnection;

// Upserts candle rows of one table (candles or mark_candles) in groups of `groupRows` per
// statement: one multi-row INSERT steps once for many rows,
// which is what lets the writer keep five tiers and still ingest at the speed of a plain
// single-row insert. On PostgreSQL the rows go by COPY into a staging table and one upsert
// moves them (DbConnection::ensureStage, copyRows): a round trip and no parameters per
// group. The rows of one group never repeat a key (PostgreSQL refuses an upsert that
// touches a row twice): the writer adds each bar of a tier once per batch.
class CandleRowWriter
{
public:
    CandleRowWriter(DbConnection &db, const char *table);

    void add(qint64 instrument, Timeframe tf, const Candle &c);
    // A row the caller knows the table does not hold (a bar after the newest stored one, with
    // the writers' lock held): on PostgreSQL a plain COPY into the table, no upsert (a
    // duplicate would fail the batch rather than be merged). Elsewhere the same as add().
    void addNew(qint64 instrument, Timeframe tf, const Candle &c);
    void flush(); // writes what is buffered (call before reading the table back)
    // Rows inserted or changed by what was written since the last call (a row re-sent with
    // the values it holds is left alone and not counted). Call after flush().
    qint64 takeChanged() { return std::exchange(m_changed, 0); }

private:
    static constexpr int groupRows = 64; // per multi-row statement (SQLite)
    // Rows per COPY on a backend with a bulk path (DbConnection::ensureStage, copyRows).
    static constexpr int copyGroupRows = 20'000;
    void bindRows(DbStatement &st, int count);
    void flushCopy();
    void flushNew();
    static void appendCopyRow(QByteArray &out, qint64 instrument, Timeframe tf, const Candle &c);

    DbConnection &m_db;
    const char *m_table;
    bool m_copy;
    QByteArray m_stage, m_stageDdl;
    DbStatement m_move; // staged rows into the table
    QByteArray m_copyRows; // to the staging table, then upserted
    int m_copyCount = 0;
    QByteArray m_newRows; // straight into the table
    int m_newCount = 0;
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
