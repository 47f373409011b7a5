#include "pgdb.h"

#include "pgschema.h"
#include "storage/storelocator.h"

#include <libpq-fe.h>

#include <QDateTime>
#include <QElapsedTimer>

#include <charconv>
#include <cstdio>
#include <map>
#include <cmath>
#include <limits>
#include <vector>

namespace {

// PERPSCOPE_PG_PROFILE=1: every statement's count and total time on stderr when the connection
// closes, slowest first (how to find which queries a feature's time goes to; off, it costs
// one test of a flag per statement).
bool profiling()
{
    static const bool on = qEnvironmentVariableIntValue("PERPSCOPE_PG_PROFILE") > 0;
    return on;
}

} // namespace

// One statement on a PgDb. Values travel as text both ways: a double as the shortest text
// that reads back to it, and PostgreSQL prints double precision the same way
// (extra_float_digits 1), so every value read back is the one written, bit for bit.
class PgDbStatement : public DbStatement::Impl
{
public:
    PgDbStatement(PgDb &db, const char *sql, bool persistent)
        : m_db(db)
        , m_sql(PgDb::numberPlaceholders(sql, &m_count))
        , m_params(size_t(m_count))
        , m_set(size_t(m_count), false)
    {
        if (persistent)
            m_name = "ps" + QByteArray::number(++db.m_nextStatement);
    }

    void bind(int index, qint64 value) override
    {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, value);
        slot(index).assign(buf, r.ptr);
    }
    void bind(int index, double value) override
    {
        std::string &s = slot(index);
        if (std::isnan(value))
            s = "NaN";
        else if (std::isinf(value))
            s = value > 0 ? "Infinity" : "-Infinity";
        else {
            char buf[32];
            const auto r = std::to_chars(buf, buf + sizeof buf, value); // shortest round trip
            s.assign(buf, r.ptr);
        }
    }
    void bind(int index, const QString &value) override { slot(index) = value.toStdString(); }
    void bindNull(int index) override
    {
        slot(index);
        m_set[size_t(index - 1)] = false;
    }

    bool step() override
    {
        if (!m_result) {
            run();
            m_row = 0;
        } else {
            ++m_row;
        }
        return m_row < m_rows;
    }

    void reset() override
    {
        m_result.reset();
        m_rows = 0;
        m_row = 0;
        std::fill(m_set.begin(), m_set.end(), false);
    }

    qint64 int64(int column) const override
    {
        const char *p = PQgetvalue(m_result.get(), m_row, column);
        qint64 v = 0;
        std::from_chars(p, p + PQgetlength(m_result.get(), m_row, column), v);
        return v;
    }
    double real(int column) const override
    {
        if (isNull(column))
            return std::numeric_limits<double>::quiet_NaN();
        const char *p = PQgetvalue(m_result.get(), m_row, column);
        const int n = PQgetlength(m_result.get(), m_row, column);
        double v = 0;
        if (std::from_chars(p, p + n, v).ec == std::errc())
            return v;
        if (qstrcmp(p, "Infinity") == 0)
            return std::numeric_limits<double>::infinity();
        if (qstrcmp(p, "-Infinity") == 0)
            return -std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    QString text(int column) const override
    {
        if (isNull(column))
            return {};
        return QString::fromUtf8(PQgetvalue(m_result.get(), m_row, column), PQgetlength(m_result.get(), m_row, column));
    }
    bool isNull(int column) const override { return PQgetisnull(m_result.get(), m_row, column) != 0; }

private:
    std::string &slot(int index)
    {
        Q_ASSERT(index >= 1 && index <= m_count);
        m_set[size_t(index - 1)] = true;
        return m_params[size_t(index - 1)];
    }

    void run()
    {
        std::vector<const char *> values(static_cast<size_t>(m_count));
        for (int i = 0; i < m_count; ++i)
            values[size_t(i)] = m_set[size_t(i)] ? m_params[size_t(i)].c_str() : nullptr;
        PgConnection &pg = m_db.m_pg;
        QElapsedTimer timer;
        if (profiling())
            timer.start();
        m_result = m_name.isEmpty() ? pg.run(m_sql, m_count, values.data()) : pg.runPrepared(m_name, m_sql, m_count, values.data());
        m_rows = PQntuples(m_result.get());
        const char *affected = PQcmdTuples(m_result.get());
        qint64 n = 0;
        std::from_chars(affected, affected + qstrlen(affected), n);
        m_db.m_changes = n;
        if (profiling()) {
            PgDb::Profile &p = m_db.m_profile[m_sql];
            ++p.count;
            p.ns += timer.nsecsElapsed();
        }
    }

    PgDb &m_db;
    int m_count = 0;
    QByteArray m_sql;
    QByteArray m_name;
    std::vector<std::string> m_params;
    std::vector<bool> m_set;
    PgConnection::RawResult m_result;
    int m_rows = 0;
    int m_row = 0;
};

PgDb::PgDb(const StoreLocator &locator, Access access)
    : m_pg(locator.text(), locator.display())
{
    if (access == Access::ReadOnly)
        m_pg.exec("SET default_transaction_read_only = on");
}

PgDb::~PgDb()
{
    dropReused();
    if (m_profile.isEmpty())
        return;
    std::multimap<qint64, QByteArray, std::greater<>> slowest;
    for (auto it = m_profile.cbegin(); it != m_profile.cend(); ++it)
        slowest.emplace(it->ns, it.key());
    std::fprintf(stderr, "PERPSCOPE_PG_PROFILE %s: statements by total time\n", qPrintable(name()));
    for (const auto &[ns, sql] : slowest) {
        const Profile p = m_profile.value(sql);
        std::fprintf(stderr, "  %9.2f ms %7lld x %8.1f us  %s\n", double(ns) / 1e6, static_cast<long long>(p.count),
                     double(ns) / 1e3 / double(p.count), sql.left(160).constData());
    }
}

QByteArray PgDb::numberPlaceholders(const char *sql, int *count)
{
    QByteArray out;
    int n = 0;
    char quote = 0;
    for (const char *p = sql; *p; ++p) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?') {
            out += '$' + QByteArray::number(++n);
            continue;
        }
        out += *p;
    }
    *count = n;
    return out;
}

DbStatement PgDb::prepare(const char *sql, bool persistent)
{
    return DbStatement(std::make_unique<PgDbStatement>(*this, sql, persistent));
}

void PgDb::beginWrite()
{
    m_pg.exec("BEGIN");
    try {
        const qint64 seq = m_pg.scalar("UPDATE perpscope_writes SET seq = seq + 1 RETURNING seq");
        // Delivered to followers (LISTEN perpscope_writes) when this transaction commits,
        // and never if it rolls back.
        m_pg.exec("NOTIFY perpscope_writes");
        if (seq != m_writeSeq + 1)
            m_othersWrote = true;
        m_writeSeq = seq;
    } catch (...) {
        try {
            m_pg.exec("ROLLBACK");
        } catch (...) {
            // the original error is the one worth reporting
        }
        throw;
    }
}

qint64 PgDb::writeMark()
{
    return m_pg.scalar("SELECT seq FROM perpscope_writes");
}

int PgDb::listenForWrites()
{
    m_pg.exec("LISTEN perpscope_writes");
    return m_pg.socket();
}

bool PgDb::takeWriteNotices()
{
    return m_pg.takeNotifications() > 0;
}

bool PgDb::othersWrote()
{
    return std::exchange(m_othersWrote, false);
}

void PgDb::prepareRange(qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs)
        return;
    const QDate first = QDateTime::fromMSecsSinceEpoch(fromMs, Qt::UTC).date();
    const QDate last = QDateTime::fromMSecsSinceEpoch(toMs - 1, Qt::UTC).date();
    for (QDate m(first.year(), first.month(), 1); m <= last; m = m.addMonths(1)) {
        const qint64 start = QDateTime(m, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        if (m_months.contains(start))
            continue;
        PgSchema::ensurePartitions(m_pg, start, start + 1);
        m_months.insert(start);
    }
}

void PgDb::ensureStage(const QByteArray &stage, const QByteArray &ddl)
{
    if (m_stageSession != m_pg.session()) {
        m_stages.clear();
        m_stageSession = m_pg.session();
    }
    if (!m_stages.contains(stage)) {
        m_pg.exec(ddl);
        m_stages.insert(stage);
    }
}

qint64 PgDb::copyRows(const QByteArray &table, const QByteArray &rows)
{
    m_changes = m_pg.copyIn("COPY " + table + " FROM STDIN", rows);
    return m_changes;
}

QString PgDb::integrityCheck()
{
    // The server keeps its own files consistent; what is worth asking is whether this is
    // still a store of the version this build knows, and whether it answers.
    const int version = PgSchema::version(m_pg);
    if (version != PgSchema::latestVersion())
        return QStringLiteral("schema version %1, expected %2").arg(version).arg(PgSchema::latestVersion());
    m_pg.scalar("SELECT COUNT(*) FROM instruments");
    return QStringLiteral("ok");
}
