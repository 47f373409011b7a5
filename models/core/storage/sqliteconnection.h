#pragma once

#include "sqlitestatement.h"
#include "storeerror.h"

#include <QString>
#include <memory>
#include <unordered_map>

struct sqlite3;

// One SQLite connection (RAII), used by exactly one thread. Every connection gets the same
// pragmas: synchronous=NORMAL (Debian's build defaults WAL to FULL), a busy timeout, and an
// in-memory temp store. Opening never changes the file: the switch to WAL (which rewrites
// header bytes 18-19) is enableWal(), called by MarketStore only once the file has passed its
// checks, so a foreign or newer database is left byte for byte untouched.
//
// ReadOnly never writes. In a folder the process cannot write to, SQLite cannot create the
// -shm file a WAL database needs even for reading; the connection then reopens the file as
// immutable (nothing can change it while the folder is read-only: a writer would need to
// create the -wal file there too).
class SqliteConnection
{
public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    SqliteConnection(const QString &path, Mode mode);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    const QString &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }
    bool isReadOnly() const { return m_readOnly; }

    // Makes the database WAL (persistent in the file).
    void enableWal();

    void exec(const char *sql);
    SqliteStatement prepare(const char *sql, bool persistent = false);

    // A statement compiled once and kept (keyed by the address of its text: pass string
    // literals). The guard resets it when it goes out of scope, which also ends the read
    // snapshot a half-stepped SELECT would otherwise keep open.
    class Reused
    {
    public:
        explicit Reused(SqliteStatement &st)
            : m_st(st)
        {
        }
        ~Reused() { m_st.reset(); }
        Reused(const Reused &) = delete;
        Reused &operator=(const Reused &) = delete;
        SqliteStatement *operator->() { return &m_st; }
        SqliteStatement &operator*() { return m_st; }

    private:
        SqliteStatement &m_st;
    };
    Reused reuse(const char *sql);
    qint64 scalar(const char *sql); // first column of the first row, 0 if none
    // Rows the last INSERT/UPDATE/DELETE on this connection inserted, updated or deleted (an
    // upsert whose DO UPDATE ... WHERE found equal values counts nothing).
    qint64 changes() const;

    // "database /x/y.db: database disk image is malformed (while step)"
    static QString describe(sqlite3 *db, int rc, const QString &path, const QString &what);
    // The StoreError for a failed call: retryable when the store is only unavailable.
    static StoreError error(sqlite3 *db, int rc, const QString &path, const QString &what);

private:
    void open(const QByteArray &name, int flags);
    void configure();

    QString m_path;
    sqlite3 *m_db = nullptr;
    bool m_readOnly = false;
    std::unordered_map<const char *, std::unique_ptr<SqliteStatement>> m_reused;
};
