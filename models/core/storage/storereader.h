#pragma once

#include "domain/candle.h"
#include "domain/coverage.h"
#include "domain/datakind.h"
#include "domain/fundingsample.h"
#include "domain/groundtruthcell.h"
#include "domain/instrument.h"
#include "domain/liquidation.h"
#include "domain/liquidationbar.h"
#include "domain/linebar.h"
#include "domain/margintier.h"
#include "domain/openinterestsample.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"
#include "dbconnection.h"

#include <QHash>
#include <QList>
#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>

// Window queries on a connection of its own (one reader per thread), SQLite or PostgreSQL.
// A reader never waits for the writer and only ever sees committed batches (SQLite's WAL
// mode; PostgreSQL's read committed). Every query is a range
// scan of a clustered key, so cost follows the rows returned, not the table size.
// Only MarketStore::reader() makes one.
class AggregateReader;

// An aggregated instrument (ALL:BTC, domain/aggregates.h) is read like any other: every query
// for one goes to AggregateReader, which combines its members' rows.
class StoreReader
{
public:
    ~StoreReader();

    QList<Instrument> instruments();
    bool hasInstrument(const Instrument &instrument);

    QVector<Candle> candles(const Instrument &instrument, Timeframe tf, TimeRange range);
    QVector<Candle> markCandles(const Instrument &instrument, Timeframe tf, TimeRange range);
    QVector<FundingSample> funding(const Instrument &instrument, TimeRange range);
    QVector<FundingSample> predictedFunding(const Instrument &instrument, TimeRange range);
    QVector<OpenInterestSample> openInterest(const Instrument &instrument, TimeRange range);
    QVector<Liquidation> liquidations(const Instrument &instrument, TimeRange range);
    QVector<GroundTruthCell> groundTruth(const Instrument &instrument, TimeRange range);
    // Per-tier summaries (bars whose ts lies in range).
    QVector<LineBar> lineBars(const Instrument &instrument, LineSeries series, Timeframe tf, TimeRange range);
    QVector<LiquidationBar> liquidationBars(const Instrument &instrument, Timeframe tf, TimeRange range);
    // The newest `limit` liquidations before `before`, newest first (the tape).
    QVector<Liquidation> latestLiquidations(const Instrument &instrument, qint64 before, int limit);

    // The settlements in range, each with the open interest (USD) of the last sample at or
    // before it (none: nothing stored before it): what funding paid over a range comes to,
    // in one statement rather than a probe per settlement (thousands over years).
    struct SettlementWithOi
    {
        FundingSample settlement;
        std::optional<double> openInterestUsd;
    };
    QVector<SettlementWithOi> fundingWithOpenInterest(const Instrument &instrument, TimeRange range);

    // The last sample at or before t (for "value at the cursor" and range starts).
    std::optional<OpenInterestSample> openInterestAt(const Instrument &instrument, qint64 t);
    std::optional<FundingSample> fundingAt(const Instrument &instrument, qint64 t);
    std::optional<FundingSample> predictedFundingAt(const Instrument &instrument, qint64 t);

    // [first ts, last ts + 1) of a series, or an invalid range when it is empty.
    TimeRange extent(const Instrument &instrument, DataKind kind);
    qint64 count(const Instrument &instrument, DataKind kind);

    // Coverage: what the sources said they covered (stored spans, merged per kind, quality
    // and resolution), and what that means for one kind over one range.
    QVector<CoverageSpan> coverage(const Instrument &instrument);
    QVector<CoverageSpan> coverage(const Instrument &instrument, DataKind kind, TimeRange range);
    CoverageSummary coverageSummary(const Instrument &instrument, DataKind kind, TimeRange range,
                                    qint64 maxResolutionMs = std::numeric_limits<qint64>::max());

    // The venue's maintenance-margin schedule as last fetched, tiers 1..n (empty when the
    // store holds none), with the maintenance amounts the venue gave none for derived
    // (MarginTiers::deriveCum).
    QVector<MarginTier> marginTiers(const Instrument &instrument);

    QString liquidationFeed(const Instrument &instrument);
    QString meta(const QString &key);
    // The meta keys starting with prefix, sorted.
    QStringList metaKeys(const QString &prefix);
    // The aggregated instruments' reader (members, per-venue tape, what is missing).
    AggregateReader &aggregates();

    // Following other writers (DbConnection::writeMark and friends): a number that moves
    // when another connection commits, a socket that becomes readable when one does (-1:
    // poll writeMark), and reading the notices off it.
    qint64 writeMark() { return m_db.writeMark(); }
    int listenForWrites() { return m_db.listenForWrites(); }
    bool takeWriteNotices() { return m_db.takeWriteNotices(); }

private:
    friend class MarketStore;
    explicit StoreReader(std::unique_ptr<DbConnection> db);
    std::optional<qint64> idOf(const Instrument &instrument);
    QVector<Candle> candleQuery(const char *sql, const Instrument &instrument, Timeframe tf, TimeRange range);

    std::unique_ptr<DbConnection> m_conn;
    DbConnection &m_db;
    QHash<Instrument, qint64> m_ids;
    std::unique_ptr<AggregateReader> m_aggregates;
};
