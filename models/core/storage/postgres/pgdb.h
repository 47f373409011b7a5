#pragma once

#include "pgconnection.h"
#include "storage/dbconnection.h"

#include <QHash>
#include <QSet>

// DbConnection on a PostgreSQL store (a libpq URI). Statements are the storage code's own
// SQL with `?` numbered to $1..$n; a persistent one is prepared on the server once per
// session. A write transaction starts by incrementing the single row of perpscope_writes:
// the row lock makes writers wait for each other as SQLite's BEGIN IMMEDIATE does, and the
// counter tells a writer whether another one wrote since its own last transaction. A
// read-only connection runs every transaction read only.
class PgDb : public DbConnection
{
public:
    PgDb(const StoreLocator &locator, Access access);
    ~PgDb() override;

    const QString &name() const override { return m_pg.display(); }
    const SqlDialect &dialect() const override { return SqlDialect::postgreSql(); }
    void exec(const char *sql) override { m_pg.exec(sql); }
    DbStatement prepare(const char *sql, bool persistent = false) override;
    qint64 changes() const override { return m_changes; }
    void beginWrite() override;
    bool othersWrote() override;
    void prepareRange(qint64 fromMs, qint64 toMs) override;
    void forgetPrepared() override
    {
        m_months.clear();
        m_stages.clear();
    }
    bool hasCopy() const override { return true; }
    qint64 copyRows(const QByteArray &table, const QByteArray &rows) override;
    void ensureStage(const QByteArray &stage, const QByteArray &ddl) override;
    QString integrityCheck() override;
    qint64 writeMark() override;
    int listenForWrites() override;
    bool takeWriteNotices() override;

    PgConnection &connection() { return m_pg; }
    // `?` placeholders numbered as PostgreSQL wants them ($1, $2, ...), outside quotes.
    static QByteArray numberPlaceholders(const char *sql, int *count);

private:
    friend class PgDbStatement;
    PgConnection m_pg;
    qint64 m_changes = 0;
    qint64 m_writeSeq = -1;    // perpscope_writes.seq after this connection's last write
    bool m_othersWrote = true; // since othersWrote() last said
    QSet<qint64> m_months;     // month starts whose partitions exist (made or seen)
    QSet<QByteArray> m_stages; // staging tables made (a rollback may undo one)
    int m_stageSession = -1;   // the session they were made in (temporary tables end with it)
    int m_nextStatement = 0;
    struct Profile
    {
        qint64 count = 0;
        qint64 ns = 0;
    };
    QHash<QByteArray, Profile> m_profile; // PERPSCOPE_PG_PROFILE: per statement text
};
