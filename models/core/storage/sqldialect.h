#pragma once

#include <QByteArray>

#include <initializer_list>

// The SQL that differs between SQLite and PostgreSQL, in one place. Everything else the
// storage code runs is written once and runs on both: `?` placeholders (the PostgreSQL
// statement numbers them), INSERT ... ON CONFLICT (...) DO UPDATE SET x = excluded.x, and
// 8-byte integers and doubles in every column (schema.cpp, postgres/pgschema.cpp).
class SqlDialect
{
public:
    enum class Backend { Sqlite, PostgreSql };

    static const SqlDialect &sqlite();
    static const SqlDialect &postgreSql();

    Backend backend() const { return m_backend; }

    // The WHERE of an upsert that leaves a row re-sent with the values it holds alone (not
    // written, not counted as changed): "WHERE t.a IS NOT excluded.a OR ..." (SQLite) or
    // "... IS DISTINCT FROM ..." (PostgreSQL). Columns are qualified with the table:
    // PostgreSQL finds a bare name ambiguous between the row and excluded.
    QByteArray changedWhere(const char *table, std::initializer_list<const char *> columns) const;
    // The names of the tables (not partitions) that have a column named ?1, in name order.
    const char *tablesWithColumnSql() const;
    // The larger of two values: MAX(a,b) (SQLite) or GREATEST(a,b) (PostgreSQL).
    QByteArray greatest(const QByteArray &a, const QByteArray &b) const;

    // PostgreSQL's bulk path (DbConnection::ensureStage, copyRows): the temporary staging
    // table of a table (its columns; emptied at every commit, so what a failed move leaves is
    // gone), and the upsert that moves its rows into the table and empties it.
    static QByteArray stageOf(const char *table) { return QByteArray(table) + "_stage"; }
    QByteArray stageDdl(const char *table) const;
    QByteArray upsertFromStage(const char *table, const char *key, std::initializer_list<const char *> values) const;

private:
    explicit SqlDialect(Backend backend)
        : m_backend(backend)
    {
    }
    Backend m_backend;
};
