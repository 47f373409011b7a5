#include "schema.h"

#include "sqliteconnection.h"

#include <array>

namespace {

// One entry per schema version. Tables are WITHOUT ROWID and keyed (instrument, ..., ts):
// a window query is one contiguous range scan of the clustered key.
constexpr std::array<const char *, 6> migrations = {
    // v1: market series.
    R"sql(
CREATE TABLE instruments(
    id INTEGER PRIMARY KEY,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    UNIQUE(exchange, symbol));
CREATE TABLE candles(
    instrument INTEGER NOT NULL, tf INTEGER NOT NULL, ts INTEGER NOT NULL,
    open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
    volume REAL NOT NULL, quote_volume REAL NOT NULL, taker_buy REAL NOT NULL,
    PRIMARY KEY(instrument, tf, ts)) WITHOUT ROWID;
CREATE TABLE mark_candles(
    instrument INTEGER NOT NULL, tf INTEGER NOT NULL, ts INTEGER NOT NULL,
    open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
    volume REAL NOT NULL, quote_volume REAL NOT NULL, taker_buy REAL NOT NULL,
    PRIMARY KEY(instrument, tf, ts)) WITHOUT ROWID;
CREATE TABLE funding(
    instrument INTEGER NOT NULL, ts INTEGER NOT NULL, rate REAL NOT NULL, interval_h INTEGER NOT NULL,
    PRIMARY KEY(instrument, ts)) WITHOUT ROWID;
CREATE TABLE funding_predicted(
    instrument INTEGER NOT NULL, ts INTEGER NOT NULL, rate REAL NOT NULL, interval_h INTEGER NOT NULL,
    PRIMARY KEY(instrument, ts)) WITHOUT ROWID;
CREATE TABLE open_interest(
    instrument INTEGER NOT NULL, ts INTEGER NOT NULL, oi REAL NOT NULL, oi_usd REAL NOT NULL,
    PRIMARY KEY(instrument, ts)) WITHOUT ROWID;
CREATE TABLE liquidations(
    instrument INTEGER NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL,
    side INTEGER NOT NULL, price REAL NOT NULL, qty REAL NOT NULL, in_feed INTEGER NOT NULL,
    PRIMARY KEY(instrument, ts, seq)) WITHOUT ROWID;
)sql",
    // v2: simulator ground truth, per-instrument facts, free-form metadata.
    R"sql(
ALTER TABLE instruments ADD COLUMN liq_feed TEXT NOT NULL DEFAULT 'unknown';
CREATE TABLE ground_truth(
    instrument INTEGER NOT NULL, ts INTEGER NOT NULL, side INTEGER NOT NULL, bin INTEGER NOT NULL,
    notional REAL NOT NULL,
    PRIMARY KEY(instrument, ts, side, bin)) WITHOUT ROWID;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql",
    // v3: per-tier summaries of open interest, predicted funding and liquidations, so a view
    // of years reads thousands of rows, not millions. Filled from the raw rows after migrating.
    R"sql(
CREATE TABLE line_bars(
    instrument INTEGER NOT NULL, series INTEGER NOT NULL, tf INTEGER NOT NULL, ts INTEGER NOT NULL,
    open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
    PRIMARY KEY(instrument, series, tf, ts)) WITHOUT ROWID;
CREATE TABLE liq_bars(
    instrument INTEGER NOT NULL, tf INTEGER NOT NULL, ts INTEGER NOT NULL,
    long_usd REAL NOT NULL, short_usd REAL NOT NULL, long_qty REAL NOT NULL, short_qty REAL NOT NULL,
    long_n INTEGER NOT NULL, short_n INTEGER NOT NULL, largest_usd REAL NOT NULL,
    PRIMARY KEY(instrument, tf, ts)) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES('store.rebuild_derived_tiers', '1');
)sql",
    // v4: coverage, what each source covered of each series and how completely (kind =
    // DataKind, quality = CoverageQuality: 1 sampled, 2 complete). No row means unknown.
    // History stored before it is unknown, except simulated history (the simulator, the
    // synthetic walk): one self-contained run, recorded completely over its 1m candles.
    R"sql(
CREATE TABLE coverage(
    instrument INTEGER NOT NULL, kind INTEGER NOT NULL, quality INTEGER NOT NULL, resolution_ms INTEGER NOT NULL,
    from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL, origin TEXT NOT NULL,
    PRIMARY KEY(instrument, kind, quality, resolution_ms, from_ms)) WITHOUT ROWID;
CREATE TEMP TABLE migrated_runs AS
    SELECT i.id AS id, i.exchange AS exchange,
           (SELECT ts FROM candles c WHERE c.instrument = i.id AND c.tf = 1 ORDER BY ts ASC LIMIT 1) AS a,
           (SELECT ts FROM candles c WHERE c.instrument = i.id AND c.tf = 1 ORDER BY ts DESC LIMIT 1) + 60000 AS b
    FROM instruments i WHERE i.exchange IN ('SIM', 'SYNTH');
DELETE FROM migrated_runs WHERE a IS NULL;
INSERT INTO coverage SELECT id, 0, 2, 60000, a, b, 'sim' FROM migrated_runs;
INSERT INTO coverage SELECT id, 1, 2, 60000, a, b, 'sim' FROM migrated_runs r
    WHERE EXISTS (SELECT 1 FROM mark_candles m WHERE m.instrument = r.id AND m.tf = 1);
INSERT INTO coverage SELECT id, 2, 2, 3600000 * (SELECT interval_h FROM funding f WHERE f.instrument = r.id LIMIT 1), a, b, 'sim'
    FROM migrated_runs r WHERE EXISTS (SELECT 1 FROM funding f WHERE f.instrument = r.id);
INSERT INTO coverage SELECT id, 3, 2, CASE exchange WHEN 'SYNTH' THEN 300000 ELSE 60000 END, a, b, 'sim' FROM migrated_runs r
    WHERE EXISTS (SELECT 1 FROM funding_predicted f WHERE f.instrument = r.id);
INSERT INTO coverage SELECT id, 4, 2, 60000, a, b, 'sim' FROM migrated_runs r
    WHERE EXISTS (SELECT 1 FROM open_interest o WHERE o.instrument = r.id);
INSERT INTO coverage SELECT id, 5, 2, 0, a, b, 'sim' FROM migrated_runs;
INSERT INTO coverage SELECT id, 6, 2, 3600000, a, b, 'sim' FROM migrated_runs r
    WHERE EXISTS (SELECT 1 FROM ground_truth g WHERE g.instrument = r.id);
DROP TABLE migrated_runs;
)sql",
    // v5: coverage of taker-buy volume (kind 7, DataKind::TakerBuy; no table of its own: the
    // candles' taker_buy column). Spans stored before it took taker buys from their source,
    // except for instruments whose venue said its klines have none (the taker_buy_note the
    // Bybit and OKX sources write: 0 stored, unknown): their candle spans are not copied.
    R"sql(
INSERT OR IGNORE INTO coverage SELECT c.instrument, 7, c.quality, c.resolution_ms, c.from_ms, c.to_ms, c.origin
    FROM coverage c JOIN instruments i ON i.id = c.instrument
    WHERE c.kind = 0 AND NOT EXISTS (SELECT 1 FROM meta m WHERE m.key = 'taker_buy_note.' || i.exchange || ':' || i.symbol);
)sql",
    // v6: each venue's maintenance-margin schedule per instrument, as last fetched (tier 1..n;
    // floor and cap in USD notional; cum NULL where the venue gives no maintenance amount, the
    // reader derives it; reference_price: what coin-sized tiers were valued at, 0 for USD ones).
    R"sql(
CREATE TABLE margin_tiers(
    instrument INTEGER NOT NULL, tier INTEGER NOT NULL,
    floor REAL NOT NULL, cap REAL NOT NULL, mmr REAL NOT NULL, cum REAL, max_leverage REAL NOT NULL,
    fetched_ms INTEGER NOT NULL, reference_price REAL NOT NULL,
    PRIMARY KEY(instrument, tier)) WITHOUT ROWID;
)sql",
};

} // namespace

namespace Schema {

int latestVersion()
{
    return int(migrations.size());
}

void migrate(SqliteConnection &db, int target)
{
    if (target < 0)
        target = latestVersion();
    for (int v = int(db.scalar("PRAGMA user_version")); v < target; ++v) {
        db.exec("BEGIN IMMEDIATE");
        try {
            db.exec(migrations[size_t(v)]);
            db.exec(QStringLiteral("PRAGMA user_version=%1").arg(v + 1).toUtf8().constData());
            if (v == 0)
                db.exec(QStringLiteral("PRAGMA application_id=%1").arg(applicationId).toUtf8().constData());
            db.exec("COMMIT");
        } catch (...) {
            db.exec("ROLLBACK");
            throw;
        }
    }
}

} // namespace Schema
