#include "sqliteconnection.h"

#include "storeerror.h"

#include <sqlite3.h>

#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <fcntl.h>
#include <unistd.h>

SqliteConnection::SqliteConnection(const QString &path, Mode mode)
    : m_path(path)
    , m_readOnly(mode == Mode::ReadOnly)
{
    int flags = SQLITE_OPEN_NOMUTEX; // one connection per thread, never shared
    switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    open(path.toUtf8(), flags);
    if (mode == Mode::ReadOnly) {
        // Reading a WAL database needs its -shm file; in a read-only folder it cannot be
        // made. The first read says so; then read the file as immutable instead. (Any other
        // failure is left for the caller's first query to report.)
        const int rc = sqlite3_exec(m_db, "SELECT COUNT(*) FROM sqlite_master", nullptr, nullptr, nullptr);
        const QFileInfo info(path);
        const bool folderWritable = ::faccessat(AT_FDCWD, QFile::encodeName(info.absolutePath()).constData(), W_OK, AT_EACCESS) == 0;
        if (rc != SQLITE_OK && ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) && !folderWritable) {
            sqlite3_close_v2(m_db);
            m_db = nullptr;
            open(QUrl::fromLocalFile(info.absoluteFilePath()).toEncoded() + "?immutable=1", flags | SQLITE_OPEN_URI);
        }
    }
    configure();
}

void SqliteConnection::open(const QByteArray &name, int flags)
{
    const int rc = sqlite3_open_v2(name.constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const StoreError e = error(m_db, rc, m_path, QStringLiteral("open"));
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw e;
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
}

void SqliteConnection::configure()
{
    try {
        if (!m_readOnly) // a reader has nothing to sync (and may not even set it)
            exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA temp_store=MEMORY");
        exec("PRAGMA cache_size=-32768");
    } catch (...) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw;
    }
}

void SqliteConnection::enableWal()
{
    exec("PRAGMA journal_mode=WAL");
}

SqliteConnection::~SqliteConnection()
{
    m_reused.clear(); // finalize before closing
    sqlite3_close_v2(m_db);
}

SqliteConnection::Reused SqliteConnection::reuse(const char *sql)
{
    auto &slot = m_reused[sql];
    if (!slot)
        slot = std::make_unique<SqliteStatement>(m_db, sql, true, m_path);
    return Reused(*slot);
}

void SqliteConnection::exec(const char *sql)
{
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK)
        throw error(m_db, rc, m_path, QString::fromUtf8(sql).section(QLatin1Char(' '), 0, 2));
}

SqliteStatement SqliteConnection::prepare(const char *sql, bool persistent)
{
    return SqliteStatement(m_db, sql, persistent, m_path);
}

qint64 SqliteConnection::scalar(const char *sql)
{
    SqliteStatement st = prepare(sql);
    return st.step() ? st.int64(0) : 0;
}

qint64 SqliteConnection::changes() const
{
    return sqlite3_changes64(m_db);
}

StoreError SqliteConnection::error(sqlite3 *db, int rc, const QString &path, const QString &what)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM: return StoreError(describe(db, rc, path, what), StoreError::Kind::Unavailable);
    default: return StoreError(describe(db, rc, path, what));
    }
}

QString SqliteConnection::describe(sqlite3 *db, int rc, const QString &path, const QString &what)
{
    QString reason;
    switch (rc & 0xff) {
    case SQLITE_NOTADB: reason = QStringLiteral("not an SQLite database (or it is encrypted)"); break;
    case SQLITE_CORRUPT: reason = QStringLiteral("the database file is corrupt"); break;
    case SQLITE_CANTOPEN: reason = QStringLiteral("cannot open the file (missing folder or no permission)"); break;
    case SQLITE_READONLY: reason = QStringLiteral("the database is read-only"); break;
    case SQLITE_FULL: reason = QStringLiteral("the disk is full"); break;
    case SQLITE_IOERR: reason = QStringLiteral("a disk read or write failed"); break;
    case SQLITE_BUSY: reason = QStringLiteral("the database is locked by another writer"); break;
    default: break;
    }
    const QString detail = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
    if (reason.isEmpty())
        reason = detail;
    else if (!detail.isEmpty() && detail != reason)
        reason += QStringLiteral(" (") + detail + QLatin1Char(')');
    return QStringLiteral("database %1: %2 [while %3]").arg(path, reason, what);
}
