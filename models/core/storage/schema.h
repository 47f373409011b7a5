#pragma once

class SqliteConnection;

// The store's schema as an ordered list of migrations; PRAGMA user_version records how many
// have run. Migrations only ever append: a released step is never edited.
namespace Schema {
// "PRPS": marks a file as ours, so we never adopt (and alter) someone else's SQLite file.
inline constexpr int applicationId = 0x50525053;
int latestVersion();
// Runs migrations from the file's user_version up to `target` (default: latest), each in
// its own BEGIN IMMEDIATE transaction.
void migrate(SqliteConnection &db, int target = -1);
} // namespace Schema
