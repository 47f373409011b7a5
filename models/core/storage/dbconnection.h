#pragma once

#include "dbstatement.h"
#include "sqldialect.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <unordered_map>

class StoreLocator;

// One connection to a store, of whichever backend the locator names (SQLite file or
// PostgreSQL server), used by exactly one thread: what StoreReader, StoreWriter and the
// tier code run their SQL on. Statements use `?` placeholders; SQL that differs between the
// backends comes from dialect() (sqldialect.cpp), and what is not SQL at all (how a write
// transaction starts, whether another connection wrote, where rows of a month may go) is
// a method here. Nothing outside storage/ sees one.
class DbConnection
{
public:
    enum class Access { ReadOnly, ReadWrite };

    // Connects to a store that MarketStore has opened (validated, migrated) already.
    // Throws StoreError.
    static std::unique_ptr<DbConnection> connect(const StoreLocator &locator, Access access);

    virtual ~DbConnection();
    DbConnection(const DbConnection &) = delete;
    DbConnection &operator=(const DbConnection &) = delete;

    // The store for messages: the file path, or the URI without a password.
    virtual const QString &name() const = 0;
    virtual const SqlDialect &dialect() const = 0;

    // Statements without parameters (several may be given, separated by ';').
    virtual void exec(const char *sql) = 0;
    // persistent: the statement will be run many times (kept compiled on the server side).
    virtual DbStatement prepare(const char *sql, bool persistent = false) = 0;
    // Rows the last INSERT/UPDATE/DELETE inserted, updated or deleted (an upsert whose
    // DO UPDATE ... WHERE found equal values counts nothing): the same on both backends.
    virtual qint64 changes() const = 0;

    // A write transaction that excludes every other writer of the store until it ends
    // (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and the writers' row lock).
    virtual void beginWrite() = 0;
    void commit() { exec("COMMIT"); }
    void rollback() { exec("ROLLBACK"); }
    // Whether another connection has committed a write since the last call (the first call
    // says yes): what a writer caches about stored rows is stale then.
    virtual bool othersWrote() = 0;
    // Makes room for rows with ts in [fromMs, toMs) in the tables PgSchema partitions by
    // month (inside the running transaction); nothing to do on SQLite.
    virtual void prepareRange(qint64 fromMs, qint64 toMs) = 0;
    // After a rollback: what prepareRange() remembers may have been undone.
    virtual void forgetPrepared() = 0;
    // Tables (not partitions) with a column of this name, as the schema has them now.
    QStringList tablesWithColumn(const QString &column);
    // The bulk path of a backend that has one (PostgreSQL: COPY, several times faster than
    // statements with parameters). SQLite has none (a statement there is a function call, not
    // a round trip): hasCopy() says no and callers use multi-row statements.
    virtual bool hasCopy() const { return false; }
    // Rows in COPY's text format into a table; returns how many.
    virtual qint64 copyRows(const QByteArray &table, const QByteArray &rows);
    // A temporary staging table, made with ddl where this session has none yet.
    virtual void ensureStage(const QByteArray &stage, const QByteArray &ddl);
    // "ok", or what a sanity check of the store found.
    virtual QString integrityCheck() = 0;

    // A number that moves whenever a write transaction of another connection commits
    // (SQLite: PRAGMA data_version; PostgreSQL: perpscope_writes.seq, which every write
    // transaction increments): a follower compares it between looks instead of querying
    // every series.
    virtual qint64 writeMark() = 0;
    // Subscribes to writers' commits without polling (PostgreSQL: LISTEN; writers NOTIFY in
    // their transaction, so a notice arrives when, and only if, it commits). Returns the
    // socket to wait on for readability, or -1 where the backend has none (SQLite: poll
    // writeMark()).
    virtual int listenForWrites() { return -1; }
    // Reads what arrived on that socket: whether a commit was announced. Throws StoreError
    // (Unavailable) when the connection is gone.
    virtual bool takeWriteNotices() { return false; }

    // A statement compiled once and kept (keyed by the address of its text: pass string
    // literals). The guard resets it when it goes out of scope, which also ends the read
    // snapshot a half-stepped SELECT would otherwise keep open.
    class Reused
    {
    public:
        explicit Reused(DbStatement &st)
            : m_st(st)
        {
        }
        ~Reused() { m_st.reset(); }
        Reused(const Reused &) = delete;
        Reused &operator=(const Reused &) = delete;
        DbStatement *operator->() { return &m_st; }
        DbStatement &operator*() { return m_st; }

    private:
        DbStatement &m_st;
    };
    Reused reuse(const char *sql);
    // First column of the first row, 0 if none.
    qint64 scalar(const char *sql);

protected:
    DbConnection() = default;
    // Drops the kept statements (a backend's destructor calls it before it disconnects).
    void dropReused() { m_reused.clear(); }

private:
    std::unordered_map<const char *, DbStatement> m_reused;
};
