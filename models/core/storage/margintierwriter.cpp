#include "margintierwriter.h"

#include "dbconnection.h"
#include "margintierrows.h"

#include <QHash>

MarginTierWriter::MarginTierWriter(DbConnection &db)
    : m_select(db.prepare("SELECT " PERPSCOPE_MARGIN_TIER_COLUMNS " FROM margin_tiers WHERE instrument=?", true))
    , m_delete(db.prepare("DELETE FROM margin_tiers WHERE instrument=?", true))
    , m_insert(db.prepare("INSERT INTO margin_tiers(instrument,tier,floor,cap,mmr,cum,max_leverage,fetched_ms,reference_price) "
                          "VALUES(?,?,?,?,?,?,?,?,?)",
                          true))
{
}

qint64 MarginTierWriter::replace(qint64 instrument, const QVector<MarginTier> &tiers)
{
    QHash<int, MarginTier> old;
    m_select.bind(1, instrument);
    while (m_select.step()) {
        const MarginTier t = MarginTierRows::read(m_select);
        old.insert(t.tier, t);
    }
    m_select.reset();
    qint64 changed = 0;
    for (const MarginTier &t : tiers) {
        MarginTier was = old.value(t.tier, MarginTier{-1});
        was.fetchedMs = t.fetchedMs;
        if (!(was == t))
            ++changed;
    }
    changed += std::max<qint64>(0, old.size() - tiers.size()); // tiers the venue no longer lists
    m_delete.bind(1, instrument).exec();
    for (const MarginTier &t : tiers) {
        m_insert.bind(1, instrument).bind(2, t.tier).bind(3, t.floor).bind(4, t.cap).bind(5, t.mmr);
        if (t.hasCum())
            m_insert.bind(6, t.cum);
        else
            m_insert.bindNull(6);
        m_insert.bind(7, t.maxLeverage).bind(8, t.fetchedMs).bind(9, t.referencePrice).exec();
    }
    return changed;
}
