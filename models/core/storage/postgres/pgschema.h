#pragma once

#include <QtGlobal>

class PgConnection;

// The PostgreSQL store's schema: the same concepts as the SQLite one (instruments, candles
// with their tiers, mark price candles, funding, predicted funding, open interest,
// liquidations, ground truth, per-tier summaries, coverage, meta), as an ordered list of
// migrations that only ever append. The version lives in the table perpscope_schema, which
// also marks a database as ours: a database with tables but without it is someone else's and
// is left untouched. The large tables (candles, mark_candles, liquidations) are range
// partitioned by month of ts; partitions are made as rows arrive (ensurePartitions).
namespace PgSchema {
int latestVersion();
// 0 for an empty database; -1 for a database that holds tables but is not ours.
int version(PgConnection &db);
// Runs migrations up to `target` (default: latest), each in one transaction, under an
// advisory lock so two processes opening a new store at once do not both create it.
// Throws StoreError for a foreign database or one newer than this build.
void migrate(PgConnection &db, int target = -1);

// The month partitions of the partitioned tables that hold [fromMs, toMs], created where
// missing (inside the caller's transaction: a rolled-back batch leaves none behind).
void ensurePartitions(PgConnection &db, qint64 fromMs, qint64 toMs);
// Names of the partitioned tables.
inline constexpr const char *partitioned[] = {"candles", "mark_candles", "liquidations"};
} // namespace PgSchema
