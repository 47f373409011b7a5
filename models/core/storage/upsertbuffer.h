#pragma once

#include "dbstatement.h"

#include <QByteArray>

#include <array>
#include <initializer_list>
#include <unordered_set>
#include <utility>
#include <vector>

class DbConnection;

// Upserts the rows of one table in groups instead of one statement per row: the funding,
// open interest, liquidation and ground-truth rows of a batch and the derived tiers
// (line_bars, liq_bars). On SQLite a multi-row INSERT ... ON CONFLICT of `groupRows` rows
// steps once for many; on PostgreSQL the rows go by COPY: a row after the newest stored one
// of its series (its ts beyond the last ts under the same key prefix, looked up once per
// prefix and group: an append, with the writers' lock held) straight into the table, the
// rest into a temporary staging table from which one upsert moves them
// (DbConnection::ensureStage, copyRows; a group of one row is a single-row upsert). A few
// round trips per group instead of one per row, and appends, the bulk of a fill or a
// recording, cost a plain COPY. A row re-sent with the values it holds is left alone and
// not counted, as with a single-row upsert (SqlDialect::changedWhere).
//
// Rows take effect in the order added, as single-row upserts would: a row whose key is
// already in the pending group (which one statement could not touch twice on PostgreSQL)
// first writes the group, so a later row replaces an earlier one and both are counted.
// flush() before reading the table back; discard() after a rollback.
class UpsertBuffer
{
public:
    // A column value: the key and integer columns take integers, the rest doubles.
    struct Value
    {
        Value(qint64 v)
            : isInt(true)
            , i(v)
        {
        }
        Value(int v)
            : isInt(true)
            , i(v)
        {
        }
        Value(double v)
            : isInt(false)
            , d(v)
        {
        }
        bool isInt;
        qint64 i = 0;
        double d = 0;
    };

    // columns: every column written, the first keyColumns of them (integers, at most four)
    // the table's primary key, in which column tsColumn is the time: the columns before it
    // name a series, the key's index orders each series by it.
    UpsertBuffer(DbConnection &db, const char *table, std::initializer_list<const char *> columns, int keyColumns, int tsColumn);

    // One row, its values in column order.
    void add(std::initializer_list<Value> row);
    void flush();
    void discard();
    // Rows inserted or changed since the last call (call after flush()).
    qint64 takeChanged() { return std::exchange(m_changed, 0); }

private:
    static constexpr int groupRows = 64;      // per multi-row statement (SQLite)
    static constexpr int copyGroupRows = 20'000; // per COPY (PostgreSQL)
    using Key = std::array<qint64, 4>;
    struct KeyHash
    {
        size_t operator()(const Key &k) const;
    };
    void writeGroup();
    void copyGroup(const std::vector<Value> &values, size_t rows);

    DbConnection &m_db;
    const int m_columns;
    const int m_keyColumns;
    const int m_tsColumn;
    const bool m_copy;
    DbStatement m_group;  // SQLite
    DbStatement m_single; // a group of one row (and SQLite's rest of a group)
    QByteArray m_copyTarget;       // PostgreSQL: "stage(columns)"
    QByteArray m_appendTarget;     // PostgreSQL: "table(columns)"
    QByteArray m_stage, m_stageDdl;
    DbStatement m_move;
    DbStatement m_newest; // the last ts of a series
    std::vector<Value> m_values; // pending rows, m_columns values each
    size_t m_rows = 0;
    std::unordered_set<Key, KeyHash> m_keys; // of the pending rows
    qint64 m_changed = 0;
};
