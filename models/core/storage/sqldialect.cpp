#include "sqldialect.h"

const SqlDialect &SqlDialect::sqlite()
{
    static const SqlDialect d(Backend::Sqlite);
    return d;
}

const SqlDialect &SqlDialect::postgreSql()
{
    static const SqlDialect d(Backend::PostgreSql);
    return d;
}

QByteArray SqlDialect::changedWhere(const char *table, std::initializer_list<const char *> columns) const
{
    // SQLite >= 3.39 knows IS DISTINCT FROM too, but Debian's oldest supported SQLite may not.
    const char *distinct = m_backend == Backend::Sqlite ? " IS NOT " : " IS DISTINCT FROM ";
    QByteArray sql = "WHERE ";
    bool first = true;
    for (const char *c : columns) {
        if (!first)
            sql += " OR ";
        first = false;
        sql += QByteArray(table) + '.' + c + distinct + "excluded." + c;
    }
    return sql;
}

QByteArray SqlDialect::greatest(const QByteArray &a, const QByteArray &b) const
{
    return (m_backend == Backend::Sqlite ? "MAX(" : "GREATEST(") + a + ',' + b + ')';
}

const char *SqlDialect::tablesWithColumnSql() const
{
    if (m_backend == Backend::Sqlite)
        return "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type='table' AND c.name=? ORDER BY m.name";
    // A month partition has the columns of its table, and the table's rows include its own.
    return "SELECT c.table_name FROM information_schema.columns c "
           "JOIN pg_class r ON r.oid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass "
           "WHERE c.table_schema = current_schema() AND c.column_name = ? AND r.relkind IN ('r','p') AND NOT r.relispartition "
           "ORDER BY 1";
}

QByteArray SqlDialect::stageDdl(const char *table) const
{
    return "CREATE TEMPORARY TABLE IF NOT EXISTS " + stageOf(table) + " (LIKE " + table + ") ON COMMIT DELETE ROWS";
}

QByteArray SqlDialect::upsertFromStage(const char *table, const char *key, std::initializer_list<const char *> values) const
{
    QByteArray set;
    for (const char *v : values)
        set += QByteArray(set.isEmpty() ? "" : ",") + v + "=excluded." + v;
    return "WITH moved AS (DELETE FROM " + stageOf(table) + " RETURNING *) INSERT INTO " + table + " SELECT * FROM moved ON CONFLICT("
           + key + ") DO UPDATE SET " + set + ' ' + changedWhere(table, values);
}
