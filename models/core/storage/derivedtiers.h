#pragma once

#include "domain/liquidationbar.h"
#include "domain/linebar.h"
#include "domain/timeframe.h"

#include <QVector>

class DbConnection;
class DbStatement;

// Maintains the per-tier summaries of the sparse or irregular series, so a view of years
// reads a few thousand rows instead of millions: line_bars (open interest in coin and USD,
// predicted funding: first/max/min/last per bucket) and liq_bars (liquidation notional,
// quantity and count per side, largest print).
//
// 1m bars are rebuilt from the raw rows of each touched minute, each coarser tier from the
// finer one; the writer calls this inside its transaction, after writing the raw rows.
class DerivedTiers
{
public:
    explicit DerivedTiers(DbConnection &db);
    ~DerivedTiers();

    // touchedMinutes: ts of raw rows just written (any order, duplicates allowed).
    void rebuildLines(qint64 instrument, QVector<qint64> touchedMinutes, bool openInterest);
    void rebuildLiquidations(qint64 instrument, QVector<qint64> touchedMinutes);
    // Everything of one instrument, from its raw rows (after a migration adds the tables).
    void rebuildAll(qint64 instrument);
    // After a rollback: drops rows still waiting to be written (each rebuild writes all of
    // its rows before it returns, so only a failed one leaves any).
    void discard();

private:
    struct Statements;
    template<typename Bar, typename Fold>
    void cascade(qint64 instrument, int series, QVector<qint64> buckets, Fold fold);
    QVector<LineBar> readLineBars(qint64 instrument, int series, Timeframe tf, qint64 from, qint64 to);
    QVector<LiquidationBar> readLiqBars(qint64 instrument, Timeframe tf, qint64 from, qint64 to);
    void writeBar(qint64 instrument, int series, Timeframe tf, const LineBar &bar);
    void writeBar(qint64 instrument, int series, Timeframe tf, const LiquidationBar &bar);

    DbConnection &m_db;
    Statements *m_st;
};
