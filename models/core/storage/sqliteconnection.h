#pragma once

#include "sqlitestatement.h"

#include <QString>

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
    qint64 scalar(const char *sql); // first column of the first row, 0 if none

    // "database /x/y.db: database disk image is malformed (while step)"
    static QString describe(sqlite3 *db, int rc, const QString &path, const QString &what);

private:
    QString m_path;
    sqlite3 *m_db = nullptr;
};
