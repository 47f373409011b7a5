#pragma once

#include "sqlitestatement.h"

#include <QString>
#include <memory>
#include <unordered_map>

struct sqlite3;

// One SQLite connection (RAII), used by exactly one thread. Every connection gets the same
// pragmas: WAL, synchronous=NORMAL (Debian's build defaults WAL to FULL), a busy timeout, and
// an in-memory temp store.
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

    // "database /x/y.db: database disk image is malformed (while step)"
    static QString describe(sqlite3 *db, int rc, const QString &path, const QString &what);

private:
    QString m_path;
    sqlite3 *m_db = nullptr;
    std::unordered_map<const char *, std::unique_ptr<SqliteStatement>> m_reused;
};
