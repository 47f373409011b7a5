#pragma once

#include "dbconnection.h"
#include "sqliteconnection.h"

#include <memory>

// DbConnection on an SQLite file: a SqliteConnection of its own (or one MarketStore holds
// while it migrates), with statements that are SqliteStatements.
class SqliteDb : public DbConnection
{
public:
    SqliteDb(const QString &path, Access access);
    explicit SqliteDb(SqliteConnection &borrowed);
    ~SqliteDb() override;

    const QString &name() const override { return m_db.path(); }
    const SqlDialect &dialect() const override { return SqlDialect::sqlite(); }
    void exec(const char *sql) override { m_db.exec(sql); }
    DbStatement prepare(const char *sql, bool persistent = false) override;
    qint64 changes() const override { return m_db.changes(); }
    void beginWrite() override { m_db.exec("BEGIN IMMEDIATE"); }
    bool othersWrote() override;
    void prepareRange(qint64, qint64) override {}
    void forgetPrepared() override {}
    QString integrityCheck() override;
    qint64 writeMark() override { return m_db.scalar("PRAGMA data_version"); }

private:
    std::unique_ptr<SqliteConnection> m_owned;
    SqliteConnection &m_db;
    qint64 m_dataVersion = -1;
};
