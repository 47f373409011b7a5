#include "sqlitedb.h"

#include <QStringList>

namespace {

class SqliteDbStatement : public DbStatement::Impl
{
public:
    explicit SqliteDbStatement(SqliteStatement st)
        : m_st(std::move(st))
    {
    }
    void bind(int index, qint64 value) override { m_st.bind(index, value); }
    void bind(int index, double value) override { m_st.bind(index, value); }
    void bind(int index, const QString &value) override { m_st.bind(index, value); }
    void bindNull(int index) override { m_st.bindNull(index); }
    bool step() override { return m_st.step(); }
    void reset() override { m_st.reset(); }
    qint64 int64(int column) const override { return m_st.int64(column); }
    double real(int column) const override { return m_st.real(column); }
    QString text(int column) const override { return m_st.text(column); }
    bool isNull(int column) const override { return m_st.isNull(column); }

private:
    SqliteStatement m_st;
};

SqliteConnection::Mode modeOf(DbConnection::Access access)
{
    return access == DbConnection::Access::ReadOnly ? SqliteConnection::Mode::ReadOnly : SqliteConnection::Mode::ReadWrite;
}

} // namespace

SqliteDb::SqliteDb(const QString &path, Access access)
    : m_owned(std::make_unique<SqliteConnection>(path, modeOf(access)))
    , m_db(*m_owned)
{
}

SqliteDb::SqliteDb(SqliteConnection &borrowed)
    : m_db(borrowed)
{
}

SqliteDb::~SqliteDb()
{
    dropReused(); // finalized before the connection closes
}

DbStatement SqliteDb::prepare(const char *sql, bool persistent)
{
    return DbStatement(std::make_unique<SqliteDbStatement>(m_db.prepare(sql, persistent)));
}

bool SqliteDb::othersWrote()
{
    // data_version changes only when another connection commits.
    const qint64 version = m_db.scalar("PRAGMA data_version");
    const bool changed = version != m_dataVersion;
    m_dataVersion = version;
    return changed;
}

QString SqliteDb::integrityCheck()
{
    SqliteStatement st = m_db.prepare("PRAGMA integrity_check");
    QStringList problems;
    while (st.step())
        problems << st.text(0);
    return problems.join(QLatin1Char('\n'));
}
