#pragma once

#include <QString>
#include <QtGlobal>

struct sqlite3;
struct sqlite3_stmt;

// A prepared statement (RAII). bind*() take 1-based indexes as in SQLite; step() returns
// true while a row is available and throws StoreError on failure.
class SqliteStatement
{
public:
    SqliteStatement() = default;
    SqliteStatement(sqlite3 *db, const char *sql, bool persistent, const QString &context);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }

    SqliteStatement &bind(int index, qint64 value);
    SqliteStatement &bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    SqliteStatement &bind(int index, double value);
    SqliteStatement &bind(int index, const QString &value);
    SqliteStatement &bindNull(int index);

    bool step();
    void reset(); // ready to bind and step again
    void exec()
    {
        step();
        reset();
    }

    qint64 int64(int column) const;
    double real(int column) const; // NULL reads as NaN
    QString text(int column) const;
    bool isNull(int column) const;

private:
    void check(int rc, const char *what) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_context;
};
