#pragma once

#include "domain/coverage.h"
#include "dbstatement.h"

class DbConnection;

// Records coverage spans inside the writer's transaction. A span is merged with the stored
// spans of the same instrument, kind, quality and resolution that overlap or touch it, so a
// live stream that covers a few seconds per batch keeps one row per unbroken stretch.
class CoverageWriter
{
public:
    explicit CoverageWriter(DbConnection &db);

    void add(qint64 instrument, const CoverageSpan &span);
    // Validation shared with StoreWriter::validate: empty when the span is fine.
    static QString check(const CoverageSpan &span);

private:
    DbStatement m_select;
    DbStatement m_delete;
    DbStatement m_insert;
};
