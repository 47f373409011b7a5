#include "pgconnection.h"

#include <libpq-fe.h>

#include <cmath>
#include <limits>

namespace {

// SQLSTATE classes after which the same statement may succeed later: connection exceptions
// (08), insufficient resources (53: disk full, out of memory), operator intervention (57:
// admin shutdown, crash shutdown, cannot connect now) and system errors (58), plus a
// serialization failure or deadlock (40).
bool retryable(const char *state)
{
    if (!state || !state[0] || !state[1])
        return false;
    const QByteArray c(state, 2);
    return c == "08" || c == "53" || c == "57" || c == "58" || c == "40";
}

} // namespace

PgConnection::PgConnection(const QString &uri, const QString &display)
    : m_display(display)
{
    m_conn = PQconnectdb(uri.toUtf8().constData());
    if (!m_conn)
        throw StoreError(QStringLiteral("database %1: PostgreSQL store: out of memory while connecting").arg(m_display),
                         StoreError::Kind::Unavailable);
    if (PQstatus(m_conn) != CONNECTION_OK) {
        const QString reason = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed().replace(QLatin1Char('\n'), QLatin1String("; "));
        PQfinish(m_conn);
        m_conn = nullptr;
        throw StoreError(QStringLiteral("database %1: PostgreSQL store: cannot connect (%2)").arg(m_display, reason),
                         StoreError::Kind::Unavailable);
    }
    // Messages and times the same for every server configuration; doubles printed exactly.
    exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET extra_float_digits = 1");
}

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

StoreError PgConnection::error(const QString &what, pg_result *res) const
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    QString reason = QString::fromUtf8(res ? PQresultErrorMessage(res) : PQerrorMessage(m_conn)).trimmed();
    if (reason.isEmpty())
        reason = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    reason.replace(QLatin1Char('\n'), QLatin1String("; "));
    const bool lost = PQstatus(m_conn) != CONNECTION_OK;
    return StoreError(QStringLiteral("database %1: PostgreSQL store: %2 [while %3]").arg(m_display, reason, what),
                      lost || retryable(state) ? StoreError::Kind::Unavailable : StoreError::Kind::Other);
}

int PgConnection::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

int PgConnection::takeNotifications()
{
    if (!m_conn || !PQconsumeInput(m_conn) || PQstatus(m_conn) != CONNECTION_OK) {
        const QString reason = QString::fromUtf8(m_conn ? PQerrorMessage(m_conn) : "no connection").trimmed().replace(QLatin1Char('\n'), QLatin1String("; "));
        throw StoreError(QStringLiteral("database %1: PostgreSQL store: connection lost (%2)").arg(m_display, reason),
                         StoreError::Kind::Unavailable);
    }
    int n = 0;
    while (PGnotify *notice = PQnotifies(m_conn)) {
        PQfreemem(notice);
        ++n;
    }
    return n;
}

void PgConnection::ResultDeleter::operator()(pg_result *r) const
{
    PQclear(r);
}

PgConnection::RawResult PgConnection::check(pg_result *res, const char *what, int expected)
{
    const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (expected >= 0 ? status != expected : status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const StoreError e = error(QString::fromUtf8(what).section(QLatin1Char(' '), 0, 2), res);
        PQclear(res);
        if (PQstatus(m_conn) == CONNECTION_BAD) {
            PQreset(m_conn); // the next statement finds the server again if it is back
            ++m_session;
        }
        throw e;
    }
    return RawResult(res);
}

PgConnection::RawResult PgConnection::run(const QByteArray &sql, int params, const char *const *values)
{
    return check(PQexecParams(m_conn, sql.constData(), params, nullptr, values, nullptr, nullptr, 0), sql.constData());
}

PgConnection::RawResult PgConnection::runPrepared(const QByteArray &name, const QByteArray &sql, int params, const char *const *values)
{
    auto it = m_prepared.find(name);
    if (it == m_prepared.end() || *it != m_session) {
        check(PQprepare(m_conn, name.constData(), sql.constData(), params, nullptr), sql.constData());
        m_prepared.insert(name, m_session);
    }
    return check(PQexecPrepared(m_conn, name.constData(), params, values, nullptr, nullptr, 0), sql.constData());
}

PgConnection::Result PgConnection::take(pg_result *raw, const char *what)
{
    RawResult owned = check(raw, what);
    pg_result *res = owned.get();
    Result r;
    r.m_rows = PQntuples(res);
    r.m_columns = PQnfields(res);
    r.m_affected = QByteArray(PQcmdTuples(res)).toLongLong();
    r.m_cells.reserve(qsizetype(r.m_rows) * r.m_columns);
    for (int i = 0; i < r.m_rows; ++i)
        for (int j = 0; j < r.m_columns; ++j)
            r.m_cells.push_back(PQgetisnull(res, i, j) ? QByteArray() : QByteArray(PQgetvalue(res, i, j), PQgetlength(res, i, j)));
    return r;
}

qint64 PgConnection::copyIn(const QByteArray &copySql, const QByteArray &data)
{
    check(PQexec(m_conn, copySql.constData()), copySql.constData(), PGRES_COPY_IN);
    if (PQputCopyData(m_conn, data.constData(), int(data.size())) != 1 || PQputCopyEnd(m_conn, nullptr) != 1) {
        // The connection failed mid-copy: what the server says next is the error.
    }
    const RawResult done = check(PQgetResult(m_conn), copySql.constData());
    // The end of the COPY's results.
    while (pg_result *rest = PQgetResult(m_conn))
        PQclear(rest);
    return QByteArray(PQcmdTuples(done.get())).toLongLong();
}

void PgConnection::exec(const QByteArray &sql)
{
    take(PQexec(m_conn, sql.constData()), sql.constData());
}

PgConnection::Result PgConnection::query(const QByteArray &sql, const QVector<QByteArray> &params)
{
    QVector<const char *> values;
    values.reserve(params.size());
    for (const QByteArray &p : params)
        values.push_back(p.isNull() ? nullptr : p.constData());
    return take(PQexecParams(m_conn, sql.constData(), int(params.size()), nullptr, values.constData(), nullptr, nullptr, 0), sql.constData());
}

qint64 PgConnection::scalar(const QByteArray &sql, const QVector<QByteArray> &params)
{
    const Result r = query(sql, params);
    return r.rows() > 0 && !r.isNull(0, 0) ? r.int64(0, 0) : 0;
}

QByteArray PgConnection::param(double v)
{
    if (std::isnan(v))
        return QByteArrayLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QByteArrayLiteral("Infinity") : QByteArrayLiteral("-Infinity");
    return QByteArray::number(v, 'g', std::numeric_limits<double>::max_digits10);
}

qint64 PgConnection::Result::int64(int row, int column) const
{
    return text(row, column).toLongLong();
}

double PgConnection::Result::real(int row, int column) const
{
    if (isNull(row, column))
        return std::numeric_limits<double>::quiet_NaN();
    const QByteArray t = text(row, column);
    if (t == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (t == "Infinity")
        return std::numeric_limits<double>::infinity();
    if (t == "-Infinity")
        return -std::numeric_limits<double>::infinity();
    return t.toDouble();
}
