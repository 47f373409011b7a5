#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "domain/timerange.h"
#include "sources/marketbatch.h"
#include "candletail.h"
#include "derivedtiers.h"
#include "dbconnection.h"

#include <QHash>
#include <QVector>
#include <memory>

// The single writer of a store (one per process, used from one thread), SQLite or
// PostgreSQL. commit() writes a whole batch in one write transaction (which excludes other
// writers: DbConnection::beginWrite) as an upsert and maintains the candle tiers
// (5m ... 1d) so they always equal the aggregate of the stored 1m bars. Only
// MarketStore::writer() makes one.
class StoreWriter
{
public:
    struct Span
    {
        DataKind kind;
        TimeRange range; // [first ts, last ts + 1) touched by the batch
    };

    struct Result
    {
        QVector<Span> spans; // what the batch touched, for appended()
        // The batch's own rows (1m bars, or the imported tier's bars; samples, prints, cells)
        // that were new or held other values: a replayed batch changes 0. Derived tiers and
        // coverage are not counted.
        qint64 changedRows = 0;
    };

    ~StoreWriter();

    // Throws StoreError (nothing is written then).
    Result commit(const MarketBatch &batch);

    // Per-instrument facts the UI shows: "full" (complete tape) or "throttled" (exchange
    // feed, at most one print per second).
    void setLiquidationFeed(const Instrument &instrument, const QString &feed);
    void setMeta(const QString &key, const QString &value);
    // Deletes everything the store holds for the instrument: every row of every table whose
    // schema has an `instrument` column (read from the schema, so a table a later migration
    // adds is included: raw series, derived tiers, coverage, ground truth), and what this
    // writer caches about it. One transaction, or part of a running replacement.
    void clearSeries(const Instrument &instrument);

    // Replaces instruments' history atomically for readers: beginReplacement() opens a
    // transaction and clears them in it; every commit(), setMeta() and setLiquidationFeed()
    // until finishReplacement() joins it (each commit as a savepoint, so a rejected batch
    // leaves the rest), and readers keep seeing the old history until the new one is
    // committed whole. abortReplacement() - or a failure, or the writer's destruction - rolls
    // it back: the old history stays as it was.
    void beginReplacement(const QList<Instrument> &instruments);
    void finishReplacement();
    void abortReplacement();
    bool isReplacing() const { return m_replacing; }

    // Rejects rows no source should produce (misaligned bars, NaN, negative sizes). Returns
    // an empty string when the batch is fine.
    static QString validate(const MarketBatch &batch);

private:
    friend class MarketStore;
    explicit StoreWriter(std::unique_ptr<DbConnection> db);
    struct Statements;
    qint64 instrumentId(const Instrument &instrument);
    void writeCandles(const char *table, qint64 id, const QVector<Candle> &bars, TimeRange *span, qint64 *changed);
    CandleTail &tailOf(qint64 id, bool mark);
    struct CoarseSpan
    {
        TimeRange range;
        qint64 resolutionMs;
    };
    // Spans of imported candles coarser than 1m (from the coverage table).
    const QVector<CoarseSpan> &coarseSpans(qint64 id, bool mark);
    void dropTailsIfOthersWrote();
    void prepareRanges(const MarketBatch &batch);
    void forgetCaches();
    // Runs f inside a transaction of its own, or inside the running replacement.
    template<typename F>
    void transaction(F &&f);

    std::unique_ptr<DbConnection> m_conn;
    DbConnection &m_db;
    std::unique_ptr<Statements> m_st;
    std::unique_ptr<DerivedTiers> m_derived;
    QHash<Instrument, qint64> m_ids;
    QHash<qint64, CandleTail> m_tails; // key: instrument id * 2 + (mark ? 1 : 0)
    QHash<qint64, QVector<CoarseSpan>> m_coarse; // same key
    bool m_replacing = false;
};
