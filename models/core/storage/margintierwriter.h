#pragma once

#include "domain/margintier.h"
#include "dbstatement.h"

class DbConnection;

// Replaces an instrument's stored maintenance-margin schedule inside the writer's
// transaction: the rows of the new schedule, none of the old one's beyond it. A schedule
// fetched again with the same tiers changes only the fetch time and counts no row.
class MarginTierWriter
{
public:
    explicit MarginTierWriter(DbConnection &db);

    // Returns the number of tiers that were new or held other values.
    qint64 replace(qint64 instrument, const QVector<MarginTier> &tiers);

private:
    DbStatement m_select;
    DbStatement m_delete;
    DbStatement m_insert;
};
