#pragma once

#include "storage/storeerror.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QVector>
#include <memory>

struct pg_conn;
struct pg_result;

// One libpq connection (RAII), used by exactly one thread, to a PostgreSQL store. Parameters
// travel as text and results come back as text: PostgreSQL prints a double precision value
// as its shortest exact text (extra_float_digits 1, the default since 12), so a double read
// back is the double written, bit for bit, as with SQLite. Errors become StoreError naming the
// store (the URI without its password); a lost or refused connection is Unavailable (the
// ingest worker keeps the batch and retries), anything else is not.
class PgConnection
{
public:
    // Connects; throws StoreError (Unavailable when the server cannot be reached).
    PgConnection(const QString &uri, const QString &display);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    const QString &display() const { return m_display; }
    // Grows with every reconnect (what lived in the server session is gone then).
    int session() const { return m_session; }

    // The rows of one statement, as text; a NULL is a null QByteArray.
    class Result
    {
    public:
        int rows() const { return m_rows; }
        int columns() const { return m_columns; }
        bool isNull(int row, int column) const { return m_cells[size_t(row * m_columns + column)].isNull(); }
        QByteArray text(int row, int column) const { return m_cells[size_t(row * m_columns + column)]; }
        qint64 int64(int row, int column) const;
        double real(int row, int column) const; // NULL reads as NaN
        QString string(int row, int column) const { return QString::fromUtf8(text(row, column)); }
        qint64 affected() const { return m_affected; }

    private:
        friend class PgConnection;
        int m_rows = 0;
        int m_columns = 0;
        qint64 m_affected = 0;
        QVector<QByteArray> m_cells;
    };

    // Runs statements without parameters (several may be given, separated by ';').
    void exec(const QByteArray &sql);
    // One statement with $1.. parameters (null QByteArray = NULL).
    Result query(const QByteArray &sql, const QVector<QByteArray> &params = {});
    // The first column of the first row as an integer, 0 when there is none.
    qint64 scalar(const QByteArray &sql, const QVector<QByteArray> &params = {});

    // The statement-level interface PgDb's statements use: a result kept as libpq returns
    // it (no copy of its cells). Throws StoreError like query().
    struct ResultDeleter
    {
        void operator()(pg_result *r) const;
    };
    using RawResult = std::unique_ptr<pg_result, ResultDeleter>;
    RawResult run(const QByteArray &sql, int params, const char *const *values);
    // A statement prepared on the server under `name` once per session: prepared again when
    // the connection was re-established since.
    RawResult runPrepared(const QByteArray &name, const QByteArray &sql, int params, const char *const *values);

    // COPY ... FROM STDIN with `data` (COPY's text format, whole lines); returns the rows
    // copied. Throws StoreError.
    qint64 copyIn(const QByteArray &copySql, const QByteArray &data);

    // Parameter text for a value: a double as the shortest text that reads back to it.
    static QByteArray param(qint64 v) { return QByteArray::number(v); }
    static QByteArray param(int v) { return QByteArray::number(v); }
    static QByteArray param(double v);
    static QByteArray param(const QString &v) { return v.toUtf8(); }

    // The connection's socket (for a QSocketNotifier), -1 without one.
    int socket() const;
    // Reads what the server sent and drops the notifications that arrived (LISTEN): how many.
    // Throws StoreError (Unavailable) when the connection is gone.
    int takeNotifications();

private:
    StoreError error(const QString &what, pg_result *res) const;
    Result take(pg_result *res, const char *what);
    // expected: the one ExecStatusType that is success (default: a command or rows).
    RawResult check(pg_result *res, const char *what, int expected = -1);

    pg_conn *m_conn = nullptr;
    QString m_display;
    int m_session = 0; // grows with every reconnect: server-side statements are gone then
    QHash<QByteArray, int> m_prepared; // name -> session it was prepared in
};
