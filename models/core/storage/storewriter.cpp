#include "storewriter.h"

#include "candleaggregator.h"
#include "candlerowwriter.h"
#include "coarsetiers.h"
#include "coveragewriter.h"
#include "margintierwriter.h"
#include "storeerror.h"
#include "upsertbuffer.h"
#include "domain/plausibility.h"

#include <QDateTime>

#include <cmath>

namespace {

const char *selectCandleSql(bool mark)
{
    return mark ? "SELECT ts,open,high,low,close,volume,quote_volume,taker_buy FROM mark_candles "
                  "WHERE instrument=? AND tf=1 AND ts>=? AND ts<? ORDER BY ts"
                : "SELECT ts,open,high,low,close,volume,quote_volume,taker_buy FROM candles "
                  "WHERE instrument=? AND tf=1 AND ts>=? AND ts<? ORDER BY ts";
}

QString iso(qint64 ts)
{
    return QDateTime::fromMSecsSinceEpoch(ts, Qt::UTC).toString(Qt::ISODate);
}

bool isFiniteValue(double v)
{
    return std::isfinite(v);
}

QString checkCandles(const QVector<Candle> &bars, const char *what, Timeframe tf)
{
    for (const Candle &c : bars) {
        if (c.ts % Timeframes::minuteMs != 0)
            return QStringLiteral("%1 bar at %2 is not on a minute boundary").arg(QLatin1String(what), iso(c.ts));
        if (Timeframes::floor(tf, c.ts) != c.ts)
            return QStringLiteral("%1 bar at %2 does not start a %3 bar").arg(QLatin1String(what), iso(c.ts), Timeframes::name(tf));
        if (!isFiniteValue(c.open) || !isFiniteValue(c.high) || !isFiniteValue(c.low) || !isFiniteValue(c.close) || !isFiniteValue(c.volume)
            || !isFiniteValue(c.quoteVolume) || !isFiniteValue(c.takerBuyVolume))
            return QStringLiteral("%1 bar at %2 has a non-numeric value").arg(QLatin1String(what), iso(c.ts));
        if (c.low > c.high || c.open <= 0 || c.low <= 0)
            return QStringLiteral("%1 bar at %2 has impossible prices (low %3 > high %4, or not positive)")
                .arg(QLatin1String(what), iso(c.ts))
                .arg(c.low)
                .arg(c.high);
        if (c.volume < 0 || c.takerBuyVolume < 0 || c.quoteVolume < 0)
            return QStringLiteral("%1 bar at %2 has a negative volume").arg(QLatin1String(what), iso(c.ts));
        // Beyond any market (domain/plausibility.h): stored, such values become Inf in the tiers.
        if (!Plausibility::price(c.open) || !Plausibility::price(c.high) || !Plausibility::price(c.low) || !Plausibility::price(c.close))
            return QStringLiteral("%1 bar at %2 has a price outside %3 ... %4").arg(QLatin1String(what), iso(c.ts)).arg(Plausibility::minPrice).arg(Plausibility::maxPrice);
        if (!Plausibility::size(c.volume) || !Plausibility::size(c.takerBuyVolume) || !Plausibility::notional(c.quoteVolume))
            return QStringLiteral("%1 bar at %2 has a volume beyond any market").arg(QLatin1String(what), iso(c.ts));
    }
    return {};
}

} // namespace

struct StoreWriter::Statements
{
    explicit Statements(DbConnection &db)
        : candle(db, "candles")
        , mark(db, "mark_candles")
        , candleSelect(db.prepare(selectCandleSql(false), true))
        , markSelect(db.prepare(selectCandleSql(true), true))
        , funding(db, "funding", {"instrument", "ts", "rate", "interval_h"}, 2, 1)
        , predicted(db, "funding_predicted", {"instrument", "ts", "rate", "interval_h"}, 2, 1)
        , oi(db, "open_interest", {"instrument", "ts", "oi", "oi_usd"}, 2, 1)
        , liquidation(db, "liquidations", {"instrument", "ts", "seq", "side", "price", "qty", "in_feed"}, 3, 1)
        , groundTruth(db, "ground_truth", {"instrument", "ts", "side", "bin", "notional"}, 4, 1)
        , coverage(db)
        , tiers(db)
        , coarse(db)
        , coarseSpans(db.prepare("SELECT from_ms,to_ms,resolution_ms FROM coverage WHERE instrument=? AND kind=?", true))
    {
    }
    CandleRowWriter candle, mark;
    DbStatement candleSelect, markSelect;
    // The batch's own rows, written in groups (a round trip per group, not per row).
    UpsertBuffer funding, predicted, oi, liquidation, groundTruth;
    void flushRows(qint64 *changed)
    {
        for (UpsertBuffer *b : {&funding, &predicted, &oi, &liquidation, &groundTruth}) {
            b->flush();
            *changed += b->takeChanged();
        }
    }
    void discardRows()
    {
        for (UpsertBuffer *b : {&funding, &predicted, &oi, &liquidation, &groundTruth}) {
            b->discard();
            b->takeChanged();
        }
    }
    CoverageWriter coverage;
    MarginTierWriter tiers;
    CoarseTiers coarse;
    DbStatement coarseSpans;
};

StoreWriter::StoreWriter(std::unique_ptr<DbConnection> db)
    : m_conn(std::move(db))
    , m_db(*m_conn)
    , m_st(std::make_unique<Statements>(m_db))
    , m_derived(std::make_unique<DerivedTiers>(m_db))
{
}

StoreWriter::~StoreWriter()
{
    abortReplacement(); // an unfinished replacement leaves the old history
}

QString StoreWriter::validate(const MarketBatch &batch)
{
    if (!batch.instrument.isValid())
        return QStringLiteral("batch has no instrument");
    QString err = checkCandles(batch.candles, "candle", batch.candleTimeframe);
    if (err.isEmpty())
        err = checkCandles(batch.markCandles, "mark price", batch.candleTimeframe);
    if (!err.isEmpty())
        return err;
    for (const CoverageSpan &c : batch.coverage)
        if (const QString e = CoverageWriter::check(c); !e.isEmpty())
            return e;
    for (const auto *series : {&batch.funding, &batch.predictedFunding})
        for (const FundingSample &f : *series)
            if (!Plausibility::fundingRate(f.rate) || f.intervalHours <= 0 || f.intervalHours > Plausibility::maxFundingIntervalHours)
                return QStringLiteral("funding sample at %1 is invalid").arg(iso(f.ts));
    for (const OpenInterestSample &o : batch.openInterest)
        if (!Plausibility::size(o.openInterest) || !Plausibility::notional(o.openInterestUsd))
            return QStringLiteral("open interest at %1 is invalid").arg(iso(o.ts));
    for (const Liquidation &l : batch.liquidations)
        if (!Plausibility::price(l.price) || !Plausibility::positiveSize(l.qty))
            return QStringLiteral("liquidation at %1 has a non-positive price or quantity").arg(iso(l.ts));
    for (const GroundTruthCell &g : batch.groundTruth)
        if (!isFiniteValue(g.notional))
            return QStringLiteral("ground truth at %1 is not a number").arg(iso(g.ts));
    if (const QString e = MarginTiers::check(batch.marginTiers); !e.isEmpty())
        return e;
    for (const MarginTier &t : batch.marginTiers)
        if (!Plausibility::time(t.fetchedMs))
            return QStringLiteral("margin tier %1 was fetched at an impossible time (%2)").arg(t.tier).arg(t.fetchedMs);
    return {};
}

qint64 StoreWriter::instrumentId(const Instrument &instrument)
{
    if (auto it = m_ids.constFind(instrument); it != m_ids.constEnd())
        return *it;
    DbStatement sel = m_db.prepare("SELECT id FROM instruments WHERE exchange=? AND symbol=?");
    sel.bind(1, instrument.exchange).bind(2, instrument.symbol);
    if (!sel.step()) {
        // Only a new instrument is inserted: PostgreSQL draws an id even for an insert that
        // conflicts, and the ids stay as dense as SQLite's.
        sel.reset();
        DbStatement ins = m_db.prepare("INSERT INTO instruments(exchange,symbol) VALUES(?,?) ON CONFLICT DO NOTHING");
        ins.bind(1, instrument.exchange).bind(2, instrument.symbol).exec();
        sel.bind(1, instrument.exchange).bind(2, instrument.symbol);
        if (!sel.step())
            throw StoreError(QStringLiteral("database %1: cannot register instrument %2").arg(m_db.name(), instrument.key()));
    }
    const qint64 id = sel.int64(0);
    m_ids.insert(instrument, id);
    return id;
}

namespace {

Candle readCandle(const DbStatement &st)
{
    return Candle{st.int64(0), st.real(1), st.real(2), st.real(3), st.real(4), st.real(5), st.real(6), st.real(7)};
}

} // namespace

void StoreWriter::dropTailsIfOthersWrote()
{
    // When another connection committed, what this writer remembers about the newest bars
    // may be stale.
    if (m_db.othersWrote()) {
        for (CandleTail &t : m_tails)
            t.invalidate();
        m_coarse.clear();
    }
}

CandleTail &StoreWriter::tailOf(qint64 id, bool mark)
{
    CandleTail &tail = m_tails[id * 2 + (mark ? 1 : 0)];
    if (tail.isValid())
        return tail;
    DbStatement &select = mark ? m_st->markSelect : m_st->candleSelect;
    DbStatement last = m_db.prepare(mark ? "SELECT ts FROM mark_candles WHERE instrument=? AND tf=1 ORDER BY ts DESC LIMIT 1"
                                             : "SELECT ts FROM candles WHERE instrument=? AND tf=1 ORDER BY ts DESC LIMIT 1");
    last.bind(1, id);
    if (!last.step()) {
        tail.reset(std::numeric_limits<qint64>::min() / 2, std::numeric_limits<qint64>::min() / 2, {});
        return tail;
    }
    const qint64 end = last.int64(0) + Timeframes::minuteMs;
    const qint64 day = Timeframes::floor(Timeframe::D1, end - 1);
    QVector<Candle> bars;
    select.bind(1, id).bind(2, day).bind(3, day + Timeframes::ms(Timeframe::D1));
    while (select.step())
        bars.push_back(readCandle(select));
    select.reset();
    tail.reset(end, day, std::move(bars));
    return tail;
}

const QVector<StoreWriter::CoarseSpan> &StoreWriter::coarseSpans(qint64 id, bool mark)
{
    const qint64 key = id * 2 + (mark ? 1 : 0);
    if (auto it = m_coarse.constFind(key); it != m_coarse.constEnd())
        return *it;
    QVector<CoarseSpan> coarse;
    QVector<TimeRange> minutes;
    DbStatement &st = m_st->coarseSpans;
    st.bind(1, id).bind(2, int(mark ? DataKind::MarkCandles : DataKind::Candles));
    while (st.step()) {
        const TimeRange r{st.int64(0), st.int64(1)};
        if (st.int64(2) > Timeframes::minuteMs)
            coarse.push_back({r, st.int64(2)});
        else
            minutes.push_back(r);
    }
    st.reset();
    // Where 1m bars arrived later, the imported coarse bars were replaced by their minutes.
    QVector<CoarseSpan> spans;
    const QVector<TimeRange> fine = Coverages::unite(minutes);
    for (const CoarseSpan &c : std::as_const(coarse))
        for (const TimeRange &r : Coverages::holes(fine, c.range))
            spans.push_back({r, c.resolutionMs});
    return *m_coarse.insert(key, spans);
}

void StoreWriter::writeCandles(const char *table, qint64 id, const QVector<Candle> &input, TimeRange *span, qint64 *changed)
{
    const bool mark = qstrcmp(table, "mark_candles") == 0;
    CandleRowWriter &upsert = mark ? m_st->mark : m_st->candle;
    DbStatement &select = mark ? m_st->markSelect : m_st->candleSelect;
    if (input.isEmpty())
        return;

    const QVector<Candle> bars = CandleAggregator::normalized(input);
    CandleTail &tail = tailOf(id, mark);
    upsert.takeChanged(); // count the 1m bars only
    for (const Candle &c : bars) {
        if (c.ts >= tail.end())
            upsert.addNew(id, Timeframe::M1, c); // after the newest stored bar: an append
        else
            upsert.add(id, Timeframe::M1, c);
    }
    upsert.flush(); // the tier pass below may read these rows back
    *changed += upsert.takeChanged();

    // Each tier bucket the batch touched is rebuilt from all its stored 1m bars. Where the
    // batch holds every minute of the bucket, those are the batch's bars; in days after the
    // newest stored day, likewise (nothing else is there); in that newest day, the bars the
    // tail remembers overlaid with the batch; only older days are read back.
    // Where coarser bars were imported (no 1m bars under them), a bucket the batch fills only
    // in part adds up the tier below it instead of the 1m bars, so the imported part is not
    // lost; a bucket of the imported tier itself keeps its imported bar.
    const QVector<CoarseSpan> &coarse = coarseSpans(id, mark);
    QVector<Candle> stored;
    for (size_t t = 1; t < Timeframes::all.size(); ++t) {
        const Timeframe tf = Timeframes::all[t];
        const qint64 perBucket = Timeframes::minutes(tf);
        if (!coarse.isEmpty())
            upsert.flush(); // the tier below may be read back
        qsizetype i = 0;
        while (i < bars.size()) {
            const qint64 bucket = Timeframes::floor(tf, bars[i].ts);
            qsizetype j = i + 1;
            while (j < bars.size() && Timeframes::floor(tf, bars[j].ts) == bucket)
                ++j;
            const std::span<const Candle> fromBatch(bars.constData() + i, size_t(j - i));
            const qint64 day = Timeframes::floor(Timeframe::D1, bucket);
            std::span<const Candle> all = fromBatch;
            const TimeRange bucketRange{bucket, bucket + Timeframes::ms(tf)};
            qint64 coarseRes = 0; // finest imported resolution under this bucket
            if (j - i != perBucket)
                for (const CoarseSpan &c : coarse)
                    if (c.range.intersects(bucketRange) && (coarseRes == 0 || c.resolutionMs < coarseRes))
                        coarseRes = c.resolutionMs;
            if (coarseRes == Timeframes::ms(tf)) {
                i = j; // an imported bar of this very tier: more complete than the minutes under it
                continue;
            }
            if (coarseRes > 0 && coarseRes < Timeframes::ms(tf)) {
                stored = m_st->coarse.read(mark, id, *Timeframes::child(tf), bucketRange.from, bucketRange.to);
                all = stored;
            } else if (j - i != perBucket && day <= tail.day()) {
                stored.clear();
                if (day == tail.day()) {
                    const auto old = tail.bars(bucket, bucket + Timeframes::ms(tf));
                    std::merge(fromBatch.begin(), fromBatch.end(), old.begin(), old.end(), std::back_inserter(stored),
                               [](const Candle &a, const Candle &b) { return a.ts < b.ts; });
                    // a re-sent bar replaces its stored version: keep the batch's (merged first)
                    stored.erase(std::unique(stored.begin(), stored.end(), [](const Candle &a, const Candle &b) { return a.ts == b.ts; }),
                                 stored.end());
                } else {
                    select.bind(1, id).bind(2, bucket).bind(3, bucket + Timeframes::ms(tf));
                    while (select.step())
                        stored.push_back(readCandle(select));
                    select.reset();
                }
                all = stored;
            }
            upsert.add(id, tf, CandleAggregator::aggregate(bucket, all));
            i = j;
        }
    }
    upsert.flush();
    tail.merge(bars);
    *span = {bars.front().ts, bars.back().ts + Timeframes::minuteMs};
}

namespace {

template<typename T>
TimeRange spanOf(const QVector<T> &rows)
{
    TimeRange r;
    for (const T &row : rows)
        r = r.united({row.ts, row.ts + 1});
    return r;
}

} // namespace

StoreWriter::Result StoreWriter::commit(const MarketBatch &batch)
{
    if (const QString err = validate(batch); !err.isEmpty())
        throw StoreError(QStringLiteral("database %1: rejected a batch for %2: %3").arg(m_db.name(), batch.instrument.key(), err),
                         StoreError::Kind::Rejected);
    Result result;
    QVector<Span> &spans = result.spans;
    if (batch.isEmpty())
        return result;

    // Inside a replacement a batch is a savepoint: a rejected one leaves the others.
    if (m_replacing)
        m_db.exec("SAVEPOINT batch");
    else
        m_db.beginWrite();
    try {
        dropTailsIfOthersWrote();
        const qint64 id = instrumentId(batch.instrument);
        prepareRanges(batch);
        TimeRange candleSpan, markSpan;
        qint64 changed = 0;
        QVector<TimeRange> coarseWritten[2]; // candles, mark
        if (batch.candleTimeframe == Timeframe::M1) {
            writeCandles("candles", id, batch.candles, &candleSpan, &changed);
            writeCandles("mark_candles", id, batch.markCandles, &markSpan, &changed);
        } else {
            coarseWritten[0] = m_st->coarse.write(m_st->candle, false, id, batch.candleTimeframe, batch.candles, &changed);
            coarseWritten[1] = m_st->coarse.write(m_st->mark, true, id, batch.candleTimeframe, batch.markCandles, &changed);
            if (!coarseWritten[0].isEmpty())
                candleSpan = {coarseWritten[0].front().from, coarseWritten[0].back().to};
            if (!coarseWritten[1].isEmpty())
                markSpan = {coarseWritten[1].front().from, coarseWritten[1].back().to};
        }
        for (const FundingSample &f : batch.funding)
            m_st->funding.add({id, f.ts, f.rate, f.intervalHours});
        for (const FundingSample &f : batch.predictedFunding)
            m_st->predicted.add({id, f.ts, f.rate, f.intervalHours});
        for (const OpenInterestSample &o : batch.openInterest)
            m_st->oi.add({id, o.ts, o.openInterest, o.openInterestUsd});
        for (const Liquidation &l : batch.liquidations)
            m_st->liquidation.add({id, l.ts, l.seq, int(l.side), l.price, l.qty, l.inExchangeFeed ? 1 : 0});
        m_st->flushRows(&changed); // the tiers below are rebuilt from these rows, read back
        const auto times = [](const auto &rows) {
            QVector<qint64> t;
            t.reserve(rows.size());
            for (const auto &r : rows)
                t.push_back(r.ts);
            return t;
        };
        if (!batch.openInterest.isEmpty())
            m_derived->rebuildLines(id, times(batch.openInterest), true);
        if (!batch.predictedFunding.isEmpty())
            m_derived->rebuildLines(id, times(batch.predictedFunding), false);
        if (!batch.liquidations.isEmpty())
            m_derived->rebuildLiquidations(id, times(batch.liquidations));
        if (!batch.marginTiers.isEmpty())
            changed += m_st->tiers.replace(id, batch.marginTiers);
        for (const GroundTruthCell &g : batch.groundTruth)
            m_st->groundTruth.add({id, g.ts, int(g.side), g.bin, g.notional});
        m_st->flushRows(&changed);
        for (const CoverageSpan &c : batch.coverage) {
            const bool own = !c.instrument.isValid() || c.instrument == batch.instrument;
            const qint64 spanId = own ? id : instrumentId(c.instrument);
            const bool candleKind = c.kind == DataKind::Candles || c.kind == DataKind::MarkCandles;
            if (own && candleKind && batch.candleTimeframe != Timeframe::M1 && c.resolutionMs == Timeframes::ms(batch.candleTimeframe)) {
                // Coarse bars held only where no finer bars were: the rest stays at its finer resolution.
                for (const TimeRange &r : Coverages::clip(coarseWritten[c.kind == DataKind::MarkCandles ? 1 : 0], c.range)) {
                    CoverageSpan part = c;
                    part.range = r;
                    m_st->coverage.add(spanId, part);
                }
            } else {
                m_st->coverage.add(spanId, c);
            }
            const qint64 key = spanId * 2 + (c.kind == DataKind::MarkCandles ? 1 : 0);
            if (candleKind && (c.resolutionMs > Timeframes::minuteMs || !m_coarse.value(key).isEmpty()))
                m_coarse.remove(key); // reloaded with this span next time
        }
        m_db.exec(m_replacing ? "RELEASE batch" : "COMMIT");
        result.changedRows = changed;

        const auto add = [&spans](DataKind kind, TimeRange r) {
            if (r.isValid())
                spans.push_back({kind, r});
        };
        add(DataKind::Candles, candleSpan);
        add(DataKind::MarkCandles, markSpan);
        add(DataKind::Funding, spanOf(batch.funding));
        add(DataKind::PredictedFunding, spanOf(batch.predictedFunding));
        add(DataKind::OpenInterest, spanOf(batch.openInterest));
        add(DataKind::Liquidations, spanOf(batch.liquidations));
        add(DataKind::GroundTruth, spanOf(batch.groundTruth));
    } catch (...) {
        forgetCaches(); // an instrument registered in this transaction is gone again
        try {
            m_db.exec(m_replacing ? "ROLLBACK TO batch; RELEASE batch" : "ROLLBACK");
        } catch (...) {
            // the original error is the one worth reporting
        }
        throw;
    }
    return result;
}

void StoreWriter::prepareRanges(const MarketBatch &batch)
{
    // The month partitions (PostgreSQL) of every row the batch may write: tier buckets up
    // to a day start in the month of their first bar.
    TimeRange candles, liquidations;
    for (const auto *bars : {&batch.candles, &batch.markCandles})
        for (const Candle &c : *bars)
            candles = candles.united({c.ts, c.ts + 1});
    for (const Liquidation &l : batch.liquidations)
        liquidations = liquidations.united({l.ts, l.ts + 1});
    if (candles.isValid())
        m_db.prepareRange(candles.from, candles.to);
    if (liquidations.isValid())
        m_db.prepareRange(liquidations.from, liquidations.to);
}

void StoreWriter::forgetCaches()
{
    m_st->discardRows(); // rows of the failed batch must not join the next one
    m_derived->discard();
    m_db.forgetPrepared(); // partitions made in a rolled-back transaction are gone
    m_ids.clear();
    for (CandleTail &t : m_tails)
        t.invalidate();
    m_coarse.clear();
}

template<typename F>
void StoreWriter::transaction(F &&f)
{
    if (m_replacing) {
        f();
        return;
    }
    m_db.beginWrite();
    try {
        f();
        m_db.exec("COMMIT");
    } catch (...) {
        forgetCaches();
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // the original error is the one worth reporting
        }
        throw;
    }
}

void StoreWriter::setLiquidationFeed(const Instrument &instrument, const QString &feed)
{
    const qint64 id = instrumentId(instrument);
    DbStatement st = m_db.prepare("UPDATE instruments SET liq_feed=? WHERE id=?");
    st.bind(1, feed).bind(2, id).exec();
}

void StoreWriter::setMeta(const QString &key, const QString &value)
{
    DbStatement st = m_db.prepare("INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    st.bind(1, key).bind(2, value).exec();
}

void StoreWriter::clearSeries(const Instrument &instrument)
{
    transaction([&] {
        const qint64 id = instrumentId(instrument);
        // Every table keyed by instrument, as the schema has it now (the instruments table
        // itself keys by id and keeps the row, so the id readers know stays valid).
        for (const QString &table : m_db.tablesWithColumn(QStringLiteral("instrument"))) {
            const QByteArray sql = "DELETE FROM \"" + table.toUtf8() + "\" WHERE instrument=?";
            DbStatement st = m_db.prepare(sql.constData());
            st.bind(1, id).exec();
        }
        m_tails.remove(id * 2);
        m_tails.remove(id * 2 + 1);
        m_coarse.remove(id * 2);
        m_coarse.remove(id * 2 + 1);
    });
}

void StoreWriter::beginReplacement(const QList<Instrument> &instruments)
{
    if (m_replacing)
        throw StoreError(QStringLiteral("database %1: a replacement is already running").arg(m_db.name()));
    m_db.beginWrite();
    m_replacing = true;
    try {
        for (const Instrument &i : instruments)
            clearSeries(i);
    } catch (...) {
        abortReplacement();
        throw;
    }
}

void StoreWriter::finishReplacement()
{
    if (!m_replacing)
        return;
    try {
        m_db.exec("COMMIT");
    } catch (...) {
        abortReplacement();
        throw;
    }
    m_replacing = false;
}

void StoreWriter::abortReplacement()
{
    if (!m_replacing)
        return;
    m_replacing = false;
    forgetCaches();
    try {
        m_db.exec("ROLLBACK");
    } catch (...) {
        // nothing more to undo: SQLite rolls back an interrupted transaction itself
    }
}
