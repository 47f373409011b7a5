#include "dbconnection.h"

#include "postgres/pgdb.h"
#include "sqlitedb.h"
#include "storeerror.h"
#include "storelocator.h"

std::unique_ptr<DbConnection> DbConnection::connect(const StoreLocator &locator, Access access)
{
    if (!locator.isValid())
        throw StoreError(locator.error());
    if (locator.isPostgreSql())
        return std::make_unique<PgDb>(locator, access);
    return std::make_unique<SqliteDb>(locator.filePath(), access);
}

DbConnection::~DbConnection() = default;

DbConnection::Reused DbConnection::reuse(const char *sql)
{
    auto it = m_reused.find(sql);
    if (it == m_reused.end())
        it = m_reused.emplace(sql, prepare(sql, true)).first;
    return Reused(it->second);
}

qint64 DbConnection::scalar(const char *sql)
{
    DbStatement st = prepare(sql);
    const qint64 v = st.step() ? st.int64(0) : 0;
    st.reset();
    return v;
}

QStringList DbConnection::tablesWithColumn(const QString &column)
{
    QStringList names;
    DbStatement st = prepare(dialect().tablesWithColumnSql());
    st.bind(1, column);
    while (st.step())
        names << st.text(0);
    st.reset();
    return names;
}

qint64 DbConnection::copyRows(const QByteArray &, const QByteArray &)
{
    throw StoreError(QStringLiteral("database %1: this kind of store has no bulk copy").arg(name()));
}

void DbConnection::ensureStage(const QByteArray &, const QByteArray &)
{
    throw StoreError(QStringLiteral("database %1: this kind of store has no bulk copy").arg(name()));
}
