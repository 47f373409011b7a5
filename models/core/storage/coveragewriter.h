#pragma once

#include "domain/coverage.h"
#include "sqlitestatement.h"

class SqliteConnection;

// Records coverage spans inside the writer's transaction. A span is merged with the stored
// spans of the same instrument, kind, quality and resolution that overlap or touch it, so a
// live stream that covers a few seconds per batch keeps one row per unbroken stretch.
class CoverageWriter
{
public:
    explicit CoverageWriter(SqliteConnection &db);

    void add(qint64 instrument, const CoverageSpan &span);
    // Validation shared with StoreWriter::validate: empty when the span is fine.
    static QString check(const CoverageSpan &span);

private:
    SqliteStatement m_select;
    SqliteStatement m_delete;
    SqliteStatement m_insert;
};
