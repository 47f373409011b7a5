#include "marketstore.h"

#include "dbconnection.h"
#include "derivedtiers.h"
#include "postgres/pgconnection.h"
#include "postgres/pgschema.h"
#include "schema.h"
#include "sqlitedb.h"
#include "sqliteconnection.h"
#include "storeerror.h"
#include "storereader.h"
#include "storewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStringList>

namespace {

// False for an empty file (an empty database to a writer, nothing to a reader).
bool checkHeader(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        throw StoreError(QStringLiteral("database %1: not a regular file (a device, FIFO or socket)").arg(path));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw StoreError(QStringLiteral("database %1: cannot read the file (%2)").arg(path, f.errorString()));
    const QByteArray head = f.read(16);
    if (head.isEmpty())
        return false;
    if (head != QByteArray("SQLite format 3\0", 16))
        throw StoreError(QStringLiteral("database %1: not a Perpscope database (the file is not SQLite)").arg(path));
    return true;
}

QStringList tableNames(SqliteConnection &db)
{
    QStringList names;
    SqliteStatement st = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name");
    while (st.step())
        names << st.text(0);
    return names;
}

// A migration that adds summary tables leaves a flag; fill them from the raw rows with the
// same code the writer uses, so old and new data are summarised identically.
void rebuildDerivedTiersIfNeeded(SqliteConnection &db)
{
    if (db.scalar("SELECT COUNT(*) FROM meta WHERE key='store.rebuild_derived_tiers'") == 0)
        return;
    db.exec("BEGIN IMMEDIATE");
    try {
        SqliteDb conn(db);
        DerivedTiers tiers(conn);
        QVector<qint64> ids;
        SqliteStatement st = db.prepare("SELECT id FROM instruments");
        while (st.step())
            ids << st.int64(0);
        for (qint64 id : ids)
            tiers.rebuildAll(id);
        db.exec("DELETE FROM meta WHERE key='store.rebuild_derived_tiers'");
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

} // namespace

MarketStore::MarketStore(StoreLocator locator, int version, Access access)
    : m_locator(std::move(locator))
    , m_version(version)
    , m_access(access)
{
}

MarketStore MarketStore::open(const StoreLocator &locator)
{
    return openImpl(locator, true, Access::ReadWrite);
}

MarketStore MarketStore::openExisting(const StoreLocator &locator)
{
    return openImpl(locator, false, Access::ReadWrite);
}

MarketStore MarketStore::openReadOnly(const StoreLocator &locator)
{
    return openImpl(locator, false, Access::ReadOnly);
}

void MarketStore::checkBackend(const StoreLocator &locator)
{
    if (!locator.isValid())
        throw StoreError(locator.error());
}

// A PostgreSQL store: the database must exist (a server's databases are made by its
// administrator, so open() creates none); a database without tables becomes a store.
MarketStore MarketStore::openPostgreSql(const StoreLocator &locator, Access access)
{
    PgConnection db(locator.text(), locator.display());
    const int version = PgSchema::version(db);
    const int latest = PgSchema::latestVersion();
    if (access == Access::ReadWrite) {
        PgSchema::migrate(db); // refuses a foreign or newer database and leaves it alone
        return MarketStore(locator, latest, access);
    }
    if (version < 0)
        throw StoreError(QStringLiteral("database %1: a PostgreSQL database, but not a Perpscope store; it was left untouched")
                             .arg(locator.display()));
    if (version == 0)
        throw StoreError(QStringLiteral("database %1: the database is empty, not a Perpscope store yet (import or backfill into it "
                                        "first); it was left untouched")
                             .arg(locator.display()));
    if (version > latest)
        throw StoreError(QStringLiteral("database %1: schema version %2 is newer than this Perpscope understands (%3); use a newer "
                                        "Perpscope. The store was left untouched")
                             .arg(locator.display())
                             .arg(version)
                             .arg(latest));
    if (version < latest)
        throw StoreError(QStringLiteral("database %1: schema version %2 is older than this Perpscope's (%3); a command that only reads "
                                        "does not upgrade it: run perpscope import or backfill on it, or open it in Perpscope, once. "
                                        "The store was left untouched")
                             .arg(locator.display())
                             .arg(version)
                             .arg(latest));
    return MarketStore(locator, version, access);
}

MarketStore MarketStore::attach(const StoreLocator &locator, Access access)
{
    checkBackend(locator);
    return MarketStore(locator, locator.isPostgreSql() ? PgSchema::latestVersion() : Schema::latestVersion(), access);
}

bool MarketStore::holdsData(const StoreLocator &locator)
{
    if (locator.isSqlite()) {
        const QFileInfo info(locator.filePath());
        return info.exists() && info.size() > 0;
    }
    return locator.isPostgreSql();
}

MarketStore MarketStore::openImpl(const StoreLocator &locator, bool mayCreate, Access access)
{
    checkBackend(locator);
    if (locator.isPostgreSql())
        return openPostgreSql(locator, access);
    const QString path = locator.filePath();
    const QFileInfo info(path);
    const bool readOnly = access == Access::ReadOnly;
    if (info.exists()) {
        if (info.isDir())
            throw StoreError(QStringLiteral("database %1: is a folder, not a file").arg(path));
        if (!checkHeader(path) && readOnly)
            throw StoreError(QStringLiteral("database %1: the file is empty, not a Perpscope database yet (import or backfill "
                                            "into it first); it was left untouched")
                                 .arg(path));
    } else if (!mayCreate) {
        throw StoreError(QStringLiteral("database %1: no such file").arg(path));
    } else if (!QDir().mkpath(info.absolutePath())) {
        throw StoreError(QStringLiteral("database %1: cannot create folder %2").arg(path, info.absolutePath()));
    }

    SqliteConnection db(path, readOnly        ? SqliteConnection::Mode::ReadOnly
                              : info.exists() ? SqliteConnection::Mode::ReadWrite
                                              : SqliteConnection::Mode::ReadWriteCreate);
    const qint64 appId = db.scalar("PRAGMA application_id");
    const int version = int(db.scalar("PRAGMA user_version"));
    if (appId != Schema::applicationId) {
        const QStringList tables = tableNames(db);
        if (!tables.isEmpty() || appId != 0)
            throw StoreError(QStringLiteral("database %1: an SQLite file, but not a Perpscope database (tables: %2); "
                                            "it was left untouched")
                                 .arg(path, tables.isEmpty() ? QStringLiteral("none") : tables.join(QStringLiteral(", "))));
    }
    if (version > Schema::latestVersion())
        throw StoreError(QStringLiteral("database %1: schema version %2 is newer than this Perpscope understands (%3); "
                                        "use a newer Perpscope. The file was left untouched")
                             .arg(path)
                             .arg(version)
                             .arg(Schema::latestVersion()));
    if (readOnly) {
        if (version < Schema::latestVersion() || db.scalar("SELECT COUNT(*) FROM meta WHERE key='store.rebuild_derived_tiers'") > 0)
            throw StoreError(QStringLiteral("database %1: schema version %2 is older than this Perpscope's (%3); a command that only "
                                            "reads does not upgrade it: run perpscope import or backfill on it, or open it in "
                                            "Perpscope, once. The file was left untouched")
                                 .arg(path)
                                 .arg(version)
                                 .arg(Schema::latestVersion()));
        return MarketStore(locator, version, access);
    }
    // Only now, with the file known to be ours, may it change: WAL first, then migrations.
    db.enableWal();
    Schema::migrate(db);
    rebuildDerivedTiersIfNeeded(db);
    return MarketStore(locator, Schema::latestVersion(), access);
}

std::unique_ptr<StoreWriter> MarketStore::writer() const
{
    if (m_access == Access::ReadOnly)
        throw StoreError(QStringLiteral("database %1: opened read-only").arg(name()));
    return std::unique_ptr<StoreWriter>(new StoreWriter(DbConnection::connect(m_locator, DbConnection::Access::ReadWrite)));
}

std::unique_ptr<StoreReader> MarketStore::reader() const
{
    return std::unique_ptr<StoreReader>(new StoreReader(DbConnection::connect(m_locator, DbConnection::Access::ReadOnly)));
}

QString MarketStore::integrityCheck() const
{
    return DbConnection::connect(m_locator, m_access == Access::ReadOnly ? DbConnection::Access::ReadOnly : DbConnection::Access::ReadWrite)
        ->integrityCheck();
}

StoreLocator MarketStore::defaultLocator()
{
    return StoreLocator(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/perpscope.db"));
}
