#include "pgschema.h"

#include "pgconnection.h"

#include <QDateTime>

#include <array>

namespace {

// One entry per schema version. Keys as in SQLite (instrument, ..., ts): a window query is one
// range scan of the primary key's index. bigint for every integer (times are epoch ms),
// double precision for every real (SQLite's REAL is an 8-byte double too).
constexpr std::array<const char *, 3> migrations = {
    // v1: everything SQLite's schema version 4 holds.
    R"sql(
CREATE TABLE instruments(
    id bigserial PRIMARY KEY,
    exchange text NOT NULL,
    symbol text NOT NULL,
    liq_feed text NOT NULL DEFAULT 'unknown',
    UNIQUE(exchange, symbol));
CREATE TABLE candles(
    instrument bigint NOT NULL, tf bigint NOT NULL, ts bigint NOT NULL,
    open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,
    close double precision NOT NULL, volume double precision NOT NULL, quote_volume double precision NOT NULL,
    taker_buy double precision NOT NULL,
    PRIMARY KEY(instrument, tf, ts)) PARTITION BY RANGE (ts);
CREATE TABLE mark_candles(
    instrument bigint NOT NULL, tf bigint NOT NULL, ts bigint NOT NULL,
    open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,
    close double precision NOT NULL, volume double precision NOT NULL, quote_volume double precision NOT NULL,
    taker_buy double precision NOT NULL,
    PRIMARY KEY(instrument, tf, ts)) PARTITION BY RANGE (ts);
CREATE TABLE funding(
    instrument bigint NOT NULL, ts bigint NOT NULL, rate double precision NOT NULL, interval_h bigint NOT NULL,
    PRIMARY KEY(instrument, ts));
CREATE TABLE funding_predicted(
    instrument bigint NOT NULL, ts bigint NOT NULL, rate double precision NOT NULL, interval_h bigint NOT NULL,
    PRIMARY KEY(instrument, ts));
CREATE TABLE open_interest(
    instrument bigint NOT NULL, ts bigint NOT NULL, oi double precision NOT NULL, oi_usd double precision NOT NULL,
    PRIMARY KEY(instrument, ts));
CREATE TABLE liquidations(
    instrument bigint NOT NULL, ts bigint NOT NULL, seq bigint NOT NULL,
    side bigint NOT NULL, price double precision NOT NULL, qty double precision NOT NULL, in_feed bigint NOT NULL,
    PRIMARY KEY(instrument, ts, seq)) PARTITION BY RANGE (ts);
CREATE TABLE ground_truth(
    instrument bigint NOT NULL, ts bigint NOT NULL, side bigint NOT NULL, bin bigint NOT NULL,
    notional double precision NOT NULL,
    PRIMARY KEY(instrument, ts, side, bin));
CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE line_bars(
    instrument bigint NOT NULL, series bigint NOT NULL, tf bigint NOT NULL, ts bigint NOT NULL,
    open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,
    close double precision NOT NULL,
    PRIMARY KEY(instrument, series, tf, ts));
CREATE TABLE liq_bars(
    instrument bigint NOT NULL, tf bigint NOT NULL, ts bigint NOT NULL,
    long_usd double precision NOT NULL, short_usd double precision NOT NULL,
    long_qty double precision NOT NULL, short_qty double precision NOT NULL,
    long_n bigint NOT NULL, short_n bigint NOT NULL, largest_usd double precision NOT NULL,
    PRIMARY KEY(instrument, tf, ts));
CREATE TABLE coverage(
    instrument bigint NOT NULL, kind bigint NOT NULL, quality bigint NOT NULL, resolution_ms bigint NOT NULL,
    from_ms bigint NOT NULL, to_ms bigint NOT NULL, origin text NOT NULL,
    PRIMARY KEY(instrument, kind, quality, resolution_ms, from_ms));
)sql",
    // v2: the writers' lock and write counter (one row). A write transaction increments it
    // first: the row lock makes writers wait for each other, as SQLite's BEGIN IMMEDIATE does,
    // so the candle tiers are always rebuilt from every committed 1m bar; and a writer that
    // finds the counter moved on by more than its own increment knows another one wrote.
    R"sql(
CREATE TABLE perpscope_writes(seq bigint NOT NULL);
INSERT INTO perpscope_writes VALUES (0);
)sql",
    // v3: SQLite's v6, the venues' maintenance-margin tiers.
    R"sql(
CREATE TABLE margin_tiers(
    instrument bigint NOT NULL, tier bigint NOT NULL,
    floor double precision NOT NULL, cap double precision NOT NULL, mmr double precision NOT NULL, cum double precision,
    max_leverage double precision NOT NULL, fetched_ms bigint NOT NULL, reference_price double precision NOT NULL,
    PRIMARY KEY(instrument, tier));
)sql",
};

// Serialises schema changes between processes (an arbitrary constant: "PRPS").
constexpr qint64 migrationLock = 0x50525053;

QByteArray partitionName(const char *table, const QDate &month)
{
    return QByteArray(table) + '_' + month.toString(QStringLiteral("yyyyMM")).toLatin1();
}

qint64 monthStartMs(const QDate &month)
{
    return QDateTime(month, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

namespace PgSchema {

int latestVersion()
{
    return int(migrations.size());
}

int version(PgConnection &db)
{
    const bool ours = db.scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'perpscope_schema'") > 0;
    if (ours)
        return int(db.scalar("SELECT version FROM perpscope_schema"));
    const qint64 tables = db.scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()");
    return tables > 0 ? -1 : 0;
}

void migrate(PgConnection &db, int target)
{
    if (target < 0)
        target = latestVersion();
    db.exec("BEGIN");
    try {
        db.query("SELECT pg_advisory_xact_lock($1)", {PgConnection::param(migrationLock)});
        const int from = version(db);
        if (from < 0) {
            const PgConnection::Result names = db.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1 LIMIT 8");
            QStringList list;
            for (int i = 0; i < names.rows(); ++i)
                list << names.string(i, 0);
            throw StoreError(QStringLiteral("database %1: a PostgreSQL database, but not a Perpscope store (tables: %2); it was left "
                                            "untouched")
                                 .arg(db.display(), list.join(QStringLiteral(", "))));
        }
        if (from > latestVersion())
            throw StoreError(QStringLiteral("database %1: schema version %2 is newer than this Perpscope understands (%3); use a "
                                            "newer Perpscope. The store was left untouched")
                                 .arg(db.display())
                                 .arg(from)
                                 .arg(latestVersion()));
        if (from == 0)
            db.exec("CREATE TABLE perpscope_schema(version bigint NOT NULL); INSERT INTO perpscope_schema VALUES (0)");
        for (int v = from; v < target; ++v) {
            db.exec(migrations[size_t(v)]);
            db.query("UPDATE perpscope_schema SET version = $1", {PgConnection::param(v + 1)});
        }
        db.exec("COMMIT");
    } catch (...) {
        try {
            db.exec("ROLLBACK");
        } catch (...) {
            // the original error is the one worth reporting
        }
        throw;
    }
}

void ensurePartitions(PgConnection &db, qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs)
        return;
    const QDate first = QDateTime::fromMSecsSinceEpoch(fromMs, Qt::UTC).date();
    const QDate last = QDateTime::fromMSecsSinceEpoch(toMs - 1, Qt::UTC).date();
    for (QDate m(first.year(), first.month(), 1); m <= last; m = m.addMonths(1)) {
        const QDate next = m.addMonths(1);
        for (const char *table : partitioned) {
            // IF NOT EXISTS: another writer (or an earlier batch) may have made it.
            const QByteArray sql = "CREATE TABLE IF NOT EXISTS " + partitionName(table, m) + " PARTITION OF " + table
                                   + " FOR VALUES FROM (" + QByteArray::number(monthStartMs(m)) + ") TO ("
                                   + QByteArray::number(monthStartMs(next)) + ')';
            db.exec(sql);
        }
    }
}

} // namespace PgSchema
