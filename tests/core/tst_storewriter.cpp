#include "pgcluster.h"
#include "storage/candleaggregator.h"
#include "storage/csvexporter.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/postgres/pgconnection.h"
#include "storage/sqliteconnection.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QBuffer>
#include <QMap>

#include <atomic>
#include <thread>

// Every case runs twice: on SQLite files (TestStoreWriter) and on PostgreSQL databases of a
// throwaway cluster (TestStoreWriterPg, which fails saying why when the cluster cannot start).
class TestStoreWriter : public QObject
{
    Q_OBJECT

public:
    explicit TestStoreWriter(bool postgreSql = false)
        : m_pg(postgreSql)
    {
    }

private:
    const bool m_pg;
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    const Instrument m_btc{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z

    // A store of its own for each case: a file, or a database of the cluster.
    QString freshDb(const QString &name)
    {
        if (!m_pg)
            return m_dir.filePath(name);
        QString db = name.section(QLatin1Char('.'), 0, 0).toLower();
        db.replace(QLatin1Char('-'), QLatin1Char('_'));
        QString why;
        if (!m_cluster.createDatabase(db, &why))
            qFatal("%s", qPrintable(why));
        return m_cluster.uri(db);
    }

    // Direct SQL on a store, for what no reader shows (a table a later migration might add,
    // one read transaction over several queries).
    class Raw
    {
    public:
        Raw(const QString &store, bool pg)
        {
            if (pg)
                m_pgdb = std::make_unique<PgConnection>(store, store);
            else
                m_lite = std::make_unique<SqliteConnection>(store, SqliteConnection::Mode::ReadWrite);
        }
        void exec(const char *sql) { m_pgdb ? m_pgdb->exec(sql) : m_lite->exec(sql); }
        qint64 scalar(const char *sql) { return m_pgdb ? m_pgdb->scalar(sql) : m_lite->scalar(sql); }
        double real(const char *sql)
        {
            if (m_pgdb) {
                const PgConnection::Result r = m_pgdb->query(sql);
                return r.rows() ? r.real(0, 0) : std::numeric_limits<double>::quiet_NaN();
            }
            SqliteStatement st = m_lite->prepare(sql);
            return st.step() ? st.real(0) : std::numeric_limits<double>::quiet_NaN();
        }
        // A transaction whose queries all see one snapshot.
        void beginSnapshot() { exec(m_pgdb ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN"); }

    private:
        std::unique_ptr<SqliteConnection> m_lite;
        std::unique_ptr<PgConnection> m_pgdb;
    };

    MarketBatch fullBatch()
    {
        std::mt19937_64 rng(7);
        MarketBatch b;
        b.instrument = m_btc;
        b.candles = TestUtil::randomBars(rng, t0, 300, 90'000);
        b.markCandles = TestUtil::randomBars(rng, t0, 300, 90'010);
        b.funding = {{t0, 0.0001, 8}, {t0 + 8 * 3600'000, -0.00025, 8}};
        b.predictedFunding = {{t0 + 60'000, 0.00012, 8}, {t0 + 120'000, 0.00013, 4}};
        b.openInterest = {{t0, 80'000.5, 7.2e9}, {t0 + 60'000, 80'010.25, 7.21e9}};
        b.liquidations = {{t0 + 1234, 0, Liquidation::Side::Long, 89'900.5, 0.25, true},
                          {t0 + 1234, 1, Liquidation::Side::Short, 90'100, 1.5, false},
                          {t0 + 5000, 0, Liquidation::Side::Long, 89'000, 3, true}};
        b.groundTruth = {{t0, Liquidation::Side::Long, 11'400, 1.5e6}, {t0, Liquidation::Side::Short, 11'420, 2.5e5}};
        return b;
    }


    // Everything a reader can ask about one instrument: every kind, every tier, the
    // derived summaries, ground truth, coverage and the per-instrument facts.
    struct Everything
    {
        QVector<QVector<Candle>> candles, marks;
        QVector<FundingSample> funding, predicted;
        QVector<OpenInterestSample> oi;
        QVector<Liquidation> liquidations;
        QVector<GroundTruthCell> truth;
        QVector<QVector<LineBar>> lines;
        QVector<QVector<LiquidationBar>> liqBars;
        QVector<CoverageSpan> coverage;
        QMap<DataKind, qint64> counts;
        friend bool operator==(const Everything &, const Everything &) = default;
        qsizetype rows() const
        {
            qsizetype n = funding.size() + predicted.size() + oi.size() + liquidations.size() + truth.size() + coverage.size();
            for (const auto &v : candles)
                n += v.size();
            for (const auto &v : marks)
                n += v.size();
            for (const auto &v : lines)
                n += v.size();
            for (const auto &v : liqBars)
                n += v.size();
            return n;
        }
    };
    static constexpr DataKind allKinds[] = {DataKind::Candles,      DataKind::MarkCandles,  DataKind::Funding,    DataKind::PredictedFunding,
                                            DataKind::OpenInterest, DataKind::Liquidations, DataKind::GroundTruth};

    Everything everything(StoreReader &r, const Instrument &i)
    {
        Everything e;
        const TimeRange all{0, t0 * 2};
        for (Timeframe tf : Timeframes::all) {
            e.candles.push_back(r.candles(i, tf, all));
            e.marks.push_back(r.markCandles(i, tf, all));
            for (LineSeries series : {LineSeries::OpenInterest, LineSeries::OpenInterestUsd, LineSeries::PredictedFunding})
                e.lines.push_back(r.lineBars(i, series, tf, all));
            e.liqBars.push_back(r.liquidationBars(i, tf, all));
        }
        e.funding = r.funding(i, all);
        e.predicted = r.predictedFunding(i, all);
        e.oi = r.openInterest(i, all);
        e.liquidations = r.liquidations(i, all);
        e.truth = r.groundTruth(i, all);
        e.coverage = r.coverage(i);
        for (DataKind kind : allKinds)
            e.counts[kind] = r.count(i, kind);
        return e;
    }

    // A second history of the same instrument, different everywhere, inside the first day.
    MarketBatch otherBatch()
    {
        std::mt19937_64 rng(11);
        MarketBatch b;
        b.instrument = m_btc;
        b.candles = TestUtil::randomBars(rng, t0 + 7 * 60'000, 50, 70'000);
        b.markCandles = TestUtil::randomBars(rng, t0 + 7 * 60'000, 50, 70'005);
        b.funding = {{t0 + 8 * 3600'000, 0.00004, 8}};
        b.predictedFunding = {{t0 + 9 * 60'000, -0.00002, 8}};
        b.openInterest = {{t0 + 9 * 60'000, 50'000, 3.5e9}};
        b.liquidations = {{t0 + 9 * 60'000 + 17, 0, Liquidation::Side::Short, 70'100, 0.5, true}};
        b.groundTruth = {{t0 + 3600'000, Liquidation::Side::Long, 11'100, 7.5e5}};
        b.cover(DataKind::Candles, {t0 + 7 * 60'000, t0 + 57 * 60'000}, CoverageQuality::Complete, 60'000, QStringLiteral("sim"));
        return b;
    }

    QByteArray exportAll(const QString &path)
    {
        auto reader = MarketStore::openExisting(path).reader();
        QByteArray all;
        for (const QString &kind : CsvExporter::kinds()) {
            if (kind == QLatin1String("heatmap"))
                continue;
            for (Timeframe tf : Timeframes::all) {
                QBuffer buf;
                buf.open(QIODevice::WriteOnly);
                CsvExporter(*reader).write({kind, m_btc, {0, t0 * 2}, tf}, buf);
                all += buf.data();
                if (kind != QLatin1String("candles") && kind != QLatin1String("mark"))
                    break;
            }
        }
        return all;
    }

    // Brute force: aggregate the stored 1m bars of each bucket, summing in time order.
    void verifyTiers(StoreReader &reader, const char *table)
    {
        const bool mark = qstrcmp(table, "mark") == 0;
        const auto ones = mark ? reader.markCandles(m_btc, Timeframe::M1, {0, t0 * 2}) : reader.candles(m_btc, Timeframe::M1, {0, t0 * 2});
        for (Timeframe tf : Timeframes::all) {
            if (tf == Timeframe::M1)
                continue;
            QMap<qint64, QVector<Candle>> buckets;
            for (const Candle &c : ones)
                buckets[Timeframes::floor(tf, c.ts)].push_back(c);
            const auto stored = mark ? reader.markCandles(m_btc, tf, {0, t0 * 2}) : reader.candles(m_btc, tf, {0, t0 * 2});
            QCOMPARE(stored.size(), buckets.size());
            int i = 0;
            for (auto it = buckets.cbegin(); it != buckets.cend(); ++it, ++i) {
                Candle expect;
                expect.ts = it.key();
                expect.open = it->front().open;
                expect.close = it->back().close;
                expect.high = it->front().high;
                expect.low = it->front().low;
                for (const Candle &c : *it) {
                    expect.high = std::max(expect.high, c.high);
                    expect.low = std::min(expect.low, c.low);
                    expect.volume += c.volume;
                    expect.quoteVolume += c.quoteVolume;
                    expect.takerBuyVolume += c.takerBuyVolume;
                }
                if (!(stored[i] == expect))
                    QFAIL(qPrintable(QStringLiteral("%1 tier bucket %2 differs from the aggregate of its 1m bars")
                                         .arg(Timeframes::name(tf))
                                         .arg(it.key())));
            }
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString why;
        if (m_pg)
            QVERIFY2(m_cluster.start(&why), qPrintable(why));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void roundTripEveryKind()
    {
        const QString path = freshDb(QStringLiteral("roundtrip.db"));
        const MarketBatch b = fullBatch();
        {
            auto w = MarketStore::open(path).writer();
            const auto result = w->commit(b);
            QCOMPARE(result.spans.size(), 7);
            QCOMPARE(result.changedRows, b.rowCount());
        }
        auto r = MarketStore::openExisting(path).reader();
        QCOMPARE(r->instruments(), QList<Instrument>{m_btc});
        QCOMPARE(r->candles(m_btc, Timeframe::M1, {t0, t0 + 300 * 60'000}), b.candles);
        QCOMPARE(r->markCandles(m_btc, Timeframe::M1, {t0, t0 + 300 * 60'000}), b.markCandles);
        QCOMPARE(r->funding(m_btc, {t0, t0 + 86'400'000}), b.funding);
        QCOMPARE(r->predictedFunding(m_btc, {t0, t0 + 86'400'000}), b.predictedFunding);
        QCOMPARE(r->openInterest(m_btc, {t0, t0 + 86'400'000}), b.openInterest);
        QCOMPARE(r->liquidations(m_btc, {t0, t0 + 86'400'000}), b.liquidations);
        QCOMPARE(r->groundTruth(m_btc, {t0, t0 + 1}), b.groundTruth);
        QCOMPARE(r->extent(m_btc, DataKind::Candles), (TimeRange{t0, t0 + 300 * 60'000}));
        QCOMPARE(r->openInterestAt(m_btc, t0 + 90'000)->openInterest, 80'010.25);
        QCOMPARE(r->fundingAt(m_btc, t0 + 9 * 3600'000)->rate, -0.00025);
        QVERIFY(!r->fundingAt(m_btc, t0 - 1));
        // Settlements with the open interest in force: what openInterestAt says at each one.
        const auto paidOn = r->fundingWithOpenInterest(m_btc, {t0 - 86'400'000, t0 + 86'400'000});
        QCOMPARE(paidOn.size(), b.funding.size());
        for (const StoreReader::SettlementWithOi &s : paidOn) {
            const auto oi = r->openInterestAt(m_btc, s.settlement.ts);
            QCOMPARE(s.openInterestUsd.has_value(), oi.has_value());
            if (oi)
                QCOMPARE(*s.openInterestUsd, oi->openInterestUsd);
        }
        // Window queries are half-open and only return the asked tier.
        QCOMPARE(r->candles(m_btc, Timeframe::M5, {t0, t0 + 10 * 60'000}).size(), 2);
        QCOMPARE(r->candles(m_btc, Timeframe::M1, {t0 + 60'000, t0 + 120'000}).size(), 1);
    }

    void marginTiersRoundTripAndReplace()
    {
        const QString path = freshDb(QStringLiteral("tiers.db"));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        MarketBatch b;
        b.instrument = m_btc;
        b.marginTiers = {{1, 0, 2e6, 0.005, nan, 100, t0, 0}, {2, 2e6, 3e6, 0.0075, 5000, 50, t0, 0}, {3, 3e6, 5e6, 0.01, nan, 25.5, t0, 0}};
        auto w = MarketStore::open(path).writer();
        const auto result = w->commit(b);
        QCOMPARE(result.changedRows, 3);
        QVERIFY(result.spans.isEmpty()); // a schedule has no time span of rows
        auto r = MarketStore::openExisting(path).reader();
        QVector<MarginTier> stored = r->marginTiers(m_btc);
        QCOMPARE(stored.size(), 3);
        // What the venue gave comes back as given; the missing amounts are derived so the
        // maintenance margin is continuous at each boundary.
        QCOMPARE(stored[0].cum, 0.0);
        QCOMPARE(stored[1].cum, 5000.0);
        QCOMPARE(stored[2].cum, 3e6 * (0.01 - 0.0075) + 5000);
        for (int k = 0; k < 3; ++k) {
            MarginTier want = b.marginTiers[k];
            want.cum = stored[k].cum;
            QCOMPARE(stored[k], want);
        }
        QVERIFY(r->marginTiers({QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")}).isEmpty());

        // Fetched again with the same tiers: only the time moves, no row counts as changed.
        MarketBatch again = b;
        for (MarginTier &t : again.marginTiers)
            t.fetchedMs = t0 + 86'400'000;
        QCOMPARE(w->commit(again).changedRows, 0);
        QCOMPARE(r->marginTiers(m_btc).value(2).fetchedMs, t0 + 86'400'000);
        // A shorter schedule replaces the whole one (the venue dropped a tier).
        MarketBatch shorter = again;
        shorter.marginTiers.removeLast();
        QCOMPARE(w->commit(shorter).changedRows, 1);
        QCOMPARE(r->marginTiers(m_btc).size(), 2);
        // A batch without tiers leaves them.
        MarketBatch rows;
        rows.instrument = m_btc;
        rows.funding = {{t0, 0.0001, 8}};
        w->commit(rows);
        QCOMPARE(r->marginTiers(m_btc).size(), 2);
        // A schedule with a gap, or a rate that is no fraction, is refused whole.
        for (int which = 0; which < 3; ++which) {
            MarketBatch bad = b;
            if (which == 0)
                bad.marginTiers[1].floor = 2.5e6;
            else if (which == 1)
                bad.marginTiers[2].mmr = 1.5;
            else
                bad.marginTiers[0].fetchedMs = 0;
            try {
                w->commit(bad);
                QFAIL("a bad schedule was stored");
            } catch (const StoreError &e) {
                QCOMPARE(e.kind(), StoreError::Kind::Rejected);
                QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("margin tier")), e.what());
            }
        }
        QCOMPARE(r->marginTiers(m_btc).size(), 2);
        // clearSeries finds the table in the schema.
        w->clearSeries(m_btc);
        QVERIFY(r->marginTiers(m_btc).isEmpty());
    }

    void replayChangesNothing()
    {
        const QString path = freshDb(QStringLiteral("replay.db"));
        const MarketBatch b = fullBatch();
        auto w = MarketStore::open(path).writer();
        QCOMPARE(w->commit(b).changedRows, b.rowCount());
        const QByteArray before = exportAll(path);
        // A replay writes nothing and says so (a re-import reports "nothing new").
        QCOMPARE(w->commit(b).changedRows, 0);
        QCOMPARE(w->commit(b).changedRows, 0);
        QCOMPARE(exportAll(path), before);
        auto r = MarketStore::openExisting(path).reader();
        QCOMPARE(r->count(m_btc, DataKind::Candles), 300);
        QCOMPARE(r->count(m_btc, DataKind::Liquidations), 3);

        // Only what differs counts: one bar with another volume, one OI value, one new print.
        MarketBatch changed = b;
        changed.candles[17].volume += 1.5;
        changed.openInterest[1].openInterestUsd += 1;
        changed.liquidations.push_back({t0 + 9000, 0, Liquidation::Side::Short, 90'500, 0.5, true});
        QCOMPARE(w->commit(changed).changedRows, 3);
        QCOMPARE(r->candles(m_btc, Timeframe::M1, {changed.candles[17].ts, changed.candles[17].ts + 1}).value(0), changed.candles[17]);
        QCOMPARE(r->count(m_btc, DataKind::Liquidations), 4);
        verifyTiers(*r, "candles");

        // Imported coarse bars count at their own tier, not the tiers rebuilt above them.
        MarketBatch hourly;
        hourly.instrument = m_btc;
        hourly.candleTimeframe = Timeframe::H1;
        std::mt19937_64 rng(3);
        hourly.candles = TestUtil::randomBars(rng, t0 + 86'400'000, 1, 90'000);
        hourly.candles[0].ts = t0 + 86'400'000;
        for (int h = 1; h < 24; ++h) {
            Candle c = hourly.candles[0];
            c.ts += h * 3'600'000;
            hourly.candles.push_back(c);
        }
        QCOMPARE(w->commit(hourly).changedRows, 24);
        QCOMPARE(w->commit(hourly).changedRows, 0);
    }

    // The batch's rows go in groups (UpsertBuffer: multi-row statements, COPY on PostgreSQL):
    // a key repeated inside one batch still acts as rows written one after the other (the
    // later one stays, each that differs from the one before counts), across full groups and
    // the rest, and the derived tiers are built from what stays.
    void aKeyRepeatedInOneBatchActsAsRowsInOrder()
    {
        const QString path = freshDb(QStringLiteral("repeat.db"));
        MarketBatch b;
        b.instrument = m_btc;
        for (int k = 0; k < 150; ++k)
            b.openInterest.push_back({t0 + k * 60'000, 1000.0 + k, 5e7 + k});
        b.openInterest.push_back({t0 + 70 * 60'000, 1.5, 2.5}); // again, other values
        b.openInterest.push_back({t0 + 70 * 60'000, 1.5, 2.5}); // and once more the same: no change
        b.funding = {{t0, 0.0001, 8}, {t0, 0.0002, 8}};
        b.liquidations = {{t0 + 5, 0, Liquidation::Side::Long, 100, 1, true}, {t0 + 5, 0, Liquidation::Side::Long, 101, 1, true}};
        auto w = MarketStore::open(path).writer();
        QCOMPARE(w->commit(b).changedRows, b.rowCount() - 1);
        auto r = MarketStore::openExisting(path).reader();
        const TimeRange all{0, t0 * 2};
        const auto oi = r->openInterest(m_btc, all);
        QCOMPARE(oi.size(), 150);
        QCOMPARE(oi[70], (OpenInterestSample{t0 + 70 * 60'000, 1.5, 2.5}));
        QCOMPARE(oi[71].openInterest, 1071.0);
        QCOMPARE(r->funding(m_btc, all), (QVector<FundingSample>{{t0, 0.0002, 8}}));
        QCOMPARE(r->liquidations(m_btc, all).size(), 1);
        QCOMPARE(r->liquidations(m_btc, all)[0].price, 101.0);
        const auto minute = r->lineBars(m_btc, LineSeries::OpenInterest, Timeframe::M1, {t0 + 70 * 60'000, t0 + 71 * 60'000});
        QCOMPARE(minute.size(), 1);
        QCOMPARE(minute[0].close, 1.5);
        const auto fiveMinutes = r->lineBars(m_btc, LineSeries::OpenInterest, Timeframe::M5, {t0 + 70 * 60'000, t0 + 71 * 60'000});
        QCOMPARE(fiveMinutes.size(), 1);
        QCOMPARE(fiveMinutes[0].low, 1.5);
        QCOMPARE(fiveMinutes[0].high, 1074.0);
        QCOMPARE(r->liquidationBars(m_btc, Timeframe::H1, all).value(0).longUsd, 101.0);
        // Replayed: minute 70 goes 1.5 -> 1070 -> 1.5, the funding and the print there and back.
        QCOMPARE(w->commit(b).changedRows, 6);
        QCOMPARE(r->openInterest(m_btc, all)[70].openInterest, 1.5);
    }

    void tiersEqualBruteForceOnRandomData_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 s : {1u, 2u, 3u, 4u})
            QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(s))) << quint64(s);
    }

    void tiersEqualBruteForceOnRandomData()
    {
        QFETCH(quint64, seed);
        const QString path = freshDb(QStringLiteral("tiers%1.db").arg(seed));
        auto w = MarketStore::open(path).writer();
        std::mt19937_64 rng(seed);
        // Three days with gaps, cut into random batches, committed in shuffled order, with a
        // share of bars re-sent later with different values (updated/partial bars).
        QVector<Candle> bars = TestUtil::randomBars(rng, t0 + 17 * 60'000, 3 * 1440, 50'000);
        std::uniform_real_distribution<double> u(0, 1);
        bars.erase(std::remove_if(bars.begin(), bars.end(), [&](const Candle &) { return u(rng) < 0.05; }), bars.end());
        QVector<QVector<Candle>> batches;
        for (qsizetype i = 0; i < bars.size();) {
            const qsizetype n = 1 + qsizetype(u(rng) * 700);
            batches.push_back(bars.mid(i, n));
            i += n;
        }
        std::shuffle(batches.begin(), batches.end(), rng);
        for (const auto &chunk : batches) {
            MarketBatch b;
            b.instrument = m_btc;
            b.candles = chunk;
            b.markCandles = chunk;
            w->commit(b);
        }
        for (int k = 0; k < 200; ++k) {
            Candle c = bars[qsizetype(u(rng) * bars.size())];
            c.close *= 1.01;
            c.high = std::max(c.high, c.close) * 1.001;
            c.low *= 0.995;
            c.volume += 3.25;
            c.quoteVolume += 3.25 * c.close;
            MarketBatch b;
            b.instrument = m_btc;
            b.candles = {c};
            w->commit(b);
        }
        auto r = MarketStore::openExisting(path).reader();
        verifyTiers(*r, "candles");
        verifyTiers(*r, "mark");
    }

    void subMinuteSnapshotsUpdateTheOpenBarAndTiers()
    {
        const QString path = freshDb(QStringLiteral("live.db"));
        auto w = MarketStore::open(path).writer();
        std::mt19937_64 rng(11);
        MarketBatch history;
        history.instrument = m_btc;
        history.candles = TestUtil::randomBars(rng, t0, 1439, 40'000); // all but the day's last minute
        w->commit(history);
        // The live minute arrives as growing snapshots (as Binance kline_1m does every 250 ms).
        const qint64 live = t0 + 1439 * 60'000;
        Candle c{live, 40'000, 40'000, 40'000, 40'000, 0, 0, 0};
        auto r = MarketStore::openExisting(path).reader();
        for (int tick = 0; tick < 30; ++tick) {
            const double p = 40'000 + (tick % 7) * 25.0 - (tick % 3) * 40.0;
            c.high = std::max(c.high, p);
            c.low = std::min(c.low, p);
            c.close = p;
            c.volume += 0.5;
            c.quoteVolume += 0.5 * p;
            MarketBatch b;
            b.instrument = m_btc;
            b.candles = {c};
            w->commit(b);
            QCOMPARE(r->candles(m_btc, Timeframe::M1, {live, live + 60'000}).value(0), c);
            const Candle day = r->candles(m_btc, Timeframe::D1, {t0, t0 + 1}).value(0);
            QCOMPARE(day.close, p);
            QVERIFY(day.high >= c.high && day.low <= c.low);
        }
        verifyTiers(*r, "candles");
    }

    void anotherWritersCommitsAreSeen()
    {
        // Two connections write the same day (e.g. a CLI import while the GUI streams): the
        // tiers must include both, so neither may trust what it remembers.
        const QString path = freshDb(QStringLiteral("two-writers.db"));
        auto a = MarketStore::open(path).writer();
        auto b = MarketStore::open(path).writer();
        std::mt19937_64 rng(17);
        const QVector<Candle> day = TestUtil::randomBars(rng, t0, 1440, 70'000);
        const auto commit = [this](StoreWriter &w, const QVector<Candle> &bars) {
            MarketBatch batch;
            batch.instrument = m_btc;
            batch.candles = bars;
            w.commit(batch);
        };
        commit(*a, day.mid(0, 100));
        commit(*b, day.mid(100, 100));
        commit(*a, day.mid(200, 100));
        commit(*b, day.mid(300, 1140));
        commit(*a, day.mid(50, 100)); // overlap both writers' rows
        auto r = MarketStore::openExisting(path).reader();
        verifyTiers(*r, "candles");
        QCOMPARE(r->candles(m_btc, Timeframe::D1, {t0, t0 + 1}).value(0), CandleAggregator::aggregate(t0, day));
    }

    void invalidBatchIsRejectedAndLosesNothing()
    {
        const QString path = freshDb(QStringLiteral("invalid.db"));
        auto w = MarketStore::open(path).writer();
        w->commit(fullBatch());
        const QByteArray before = exportAll(path);

        MarketBatch bad = fullBatch();
        bad.candles[5].ts += 30'000; // not on a minute boundary
        try {
            w->commit(bad);
            QFAIL("a misaligned bar was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(QLatin1String("minute boundary")), qPrintable(e.message()));
            QVERIFY(e.message().contains(path));
        }
        MarketBatch nan = fullBatch();
        nan.openInterest[0].openInterest = std::numeric_limits<double>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(StoreError, w->commit(nan));
        MarketBatch noInstrument = fullBatch();
        noInstrument.instrument = {};
        QVERIFY_THROWS_EXCEPTION(StoreError, w->commit(noInstrument));
        QCOMPARE(exportAll(path), before);
    }

    void instrumentsAreKeptApart()
    {
        const QString path = freshDb(QStringLiteral("two.db"));
        auto w = MarketStore::open(path).writer();
        MarketBatch a = fullBatch();
        MarketBatch b = fullBatch();
        b.instrument = {QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};
        for (Candle &c : b.candles)
            c.close = c.open;
        w->commit(a);
        w->commit(b);
        w->setLiquidationFeed(b.instrument, QStringLiteral("throttled"));
        w->setMeta(QStringLiteral("sim.seed"), QStringLiteral("42"));
        auto r = MarketStore::openExisting(path).reader();
        QCOMPARE(r->instruments().size(), 2);
        QCOMPARE(r->candles(m_btc, Timeframe::M1, {t0, t0 + 60'000}).value(0), a.candles[0]);
        QCOMPARE(r->candles(b.instrument, Timeframe::M1, {t0, t0 + 60'000}).value(0), b.candles[0]);
        QCOMPARE(r->liquidationFeed(b.instrument), QStringLiteral("throttled"));
        QCOMPARE(r->liquidationFeed(m_btc), QStringLiteral("unknown"));
        QCOMPARE(r->meta(QStringLiteral("sim.seed")), QStringLiteral("42"));
        QVERIFY(r->candles({QStringLiteral("X"), QStringLiteral("Y")}, Timeframe::M1, {0, t0 * 2}).isEmpty());
    }

    void clearSeriesEmptiesOneInstrumentOnly()
    {
        const QString path = freshDb(QStringLiteral("clear.db"));
        auto w = MarketStore::open(path).writer();
        MarketBatch a = fullBatch();
        MarketBatch b = fullBatch();
        b.instrument = {QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};
        w->commit(a);
        w->commit(b);
        w->clearSeries(m_btc);
        auto r = MarketStore::openExisting(path).reader();
        for (DataKind kind : {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding, DataKind::OpenInterest,
                              DataKind::Liquidations, DataKind::GroundTruth}) {
            QCOMPARE(r->count(m_btc, kind), 0);
            QVERIFY(r->count(b.instrument, kind) > 0);
        }
        QVERIFY(r->candles(m_btc, Timeframe::H1, {0, t0 * 2}).isEmpty()); // the tiers too
        QCOMPARE(r->candles(b.instrument, Timeframe::M1, {t0, t0 + 60'000}).value(0), b.candles[0]);
        w->commit(a); // and it fills again as before
        QCOMPARE(r->count(m_btc, DataKind::Candles), 300);
    }

    void clearSeriesRemovesEveryTableKeyedByInstrument()
    {
        const QString path = freshDb(QStringLiteral("clearall.db"));
        auto w = MarketStore::open(path).writer();
        MarketBatch a = fullBatch();
        a.cover(DataKind::Candles, {t0, t0 + 300 * 60'000}, CoverageQuality::Complete, 60'000, QStringLiteral("sim"));
        MarketBatch b = a;
        b.instrument = {QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};
        b.coverage.clear();
        b.cover(DataKind::Candles, {t0, t0 + 300 * 60'000}, CoverageQuality::Complete, 60'000, QStringLiteral("import"));
        w->commit(a);
        w->commit(b);
        // A table a later migration might add: clearSeries finds it in the schema.
        Raw(path, m_pg).exec("CREATE TABLE future_series(instrument INTEGER NOT NULL, ts INTEGER NOT NULL, v REAL, PRIMARY KEY(instrument, ts));"
                             "INSERT INTO future_series SELECT id, 1, 2.5 FROM instruments;");
        auto r = MarketStore::openExisting(path).reader();
        const Everything before = everything(*r, b.instrument);
        QVERIFY(everything(*r, m_btc).rows() > 500);
        w->clearSeries(m_btc);
        const Everything cleared = everything(*r, m_btc);
        QCOMPARE(cleared.rows(), 0);
        for (DataKind kind : allKinds)
            QCOMPARE(cleared.counts.value(kind), 0);
        QVERIFY(r->hasInstrument(m_btc)); // the id stays, so readers that know it still find it
        QCOMPARE(everything(*r, b.instrument), before);
        Raw raw(path, m_pg);
        QCOMPARE(raw.scalar("SELECT count(*) FROM future_series"), 1);
        QCOMPARE(raw.scalar("SELECT count(*) FROM line_bars l JOIN instruments i ON i.id = l.instrument WHERE i.exchange = 'SIM'"), 0);
        QCOMPARE(raw.scalar("SELECT count(*) FROM liq_bars l JOIN instruments i ON i.id = l.instrument WHERE i.exchange = 'SIM'"), 0);
    }

    void refillAfterClearIsWhatAFreshStoreHolds()
    {
        // The writer remembered the newest day's bars (its tail): after a clear, a refill
        // that touches part of that day must build the tiers from the new bars alone.
        const QString path = freshDb(QStringLiteral("refill.db")), fresh = freshDb(QStringLiteral("refill-fresh.db"));
        auto w = MarketStore::open(path).writer();
        w->commit(fullBatch());
        w->clearSeries(m_btc);
        w->commit(otherBatch());
        MarketStore::open(fresh).writer()->commit(otherBatch());
        auto r = MarketStore::openExisting(path).reader();
        const Everything got = everything(*r, m_btc), expected = everything(*MarketStore::openExisting(fresh).reader(), m_btc);
        QVERIFY(expected.rows() > 100);
        for (qsizetype t = 0; t < got.candles.size(); ++t) {
            QCOMPARE(got.candles[t], expected.candles[t]);
            QCOMPARE(got.marks[t], expected.marks[t]);
            QCOMPARE(got.lines[t * 3], expected.lines[t * 3]);
            QCOMPARE(got.liqBars[t], expected.liqBars[t]);
        }
        QVERIFY(got == expected);
        QCOMPARE(exportAll(path), exportAll(fresh));
    }

    void aReplacementIsAtomicForReaders()
    {
        // Issue 15 item 9: while one history replaces another, a reader in another thread
        // sees the old one whole or the new one whole, never an empty or half-written store.
        const QString path = freshDb(QStringLiteral("replace.db"));
        auto w = MarketStore::open(path).writer();
        w->setMeta(QStringLiteral("sim.seed"), QStringLiteral("1"));
        w->commit(fullBatch());
        const qint64 oldCount = MarketStore::openExisting(path).reader()->count(m_btc, DataKind::Candles);
        std::mt19937_64 rng(3);
        const QVector<Candle> bars = TestUtil::randomBars(rng, t0, 2000, 50'000);

        std::atomic<bool> done{false};
        std::atomic<int> reads{0}, oldSeen{0}, newSeen{0}, bad{0};
        QString badWhat;
        std::thread reader([&] {
            // One read transaction per look, so the count, the meta row and the first bar
            // come from the same snapshot.
            Raw db(path, m_pg);
            while (!done.load()) {
                db.beginSnapshot();
                const qint64 n = db.scalar("SELECT count(*) FROM candles WHERE tf = 1");
                const qint64 seed = db.scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sim.seed'");
                const double high = db.real("SELECT high FROM candles WHERE tf = 1 ORDER BY ts LIMIT 1");
                db.exec("COMMIT");
                const bool isOld = n == oldCount && seed == 1;
                const bool isNew = n == bars.size() && seed == 2 && high == bars[0].high;
                if (isOld)
                    ++oldSeen;
                else if (isNew)
                    ++newSeen;
                else if (bad++ == 0)
                    badWhat = QStringLiteral("%1 candles, seed %2").arg(n).arg(seed);
                ++reads;
            }
        });
        w->beginReplacement({m_btc});
        QVERIFY(w->isReplacing());
        w->setMeta(QStringLiteral("sim.seed"), QStringLiteral("2"));
        for (qsizetype i = 0; i < bars.size(); i += 100) {
            MarketBatch b;
            b.instrument = m_btc;
            b.candles = bars.mid(i, 100);
            w->commit(b);
            QTest::qWait(5); // give the reader time to look at every stage
        }
        // A rejected batch inside the replacement leaves the rest of it.
        MarketBatch broken;
        broken.instrument = m_btc;
        broken.openInterest = {{t0, -1, 0}};
        QVERIFY_THROWS_EXCEPTION(StoreError, w->commit(broken));
        QTest::qWait(20);
        w->finishReplacement();
        QVERIFY(!w->isReplacing());
        QTRY_VERIFY(newSeen.load() > 0);
        done = true;
        reader.join();
        qInfo("%d reads: %d saw the old history, %d the new one, %d anything else", reads.load(), oldSeen.load(), newSeen.load(), bad.load());
        QVERIFY2(bad.load() == 0, qPrintable(badWhat));
        QVERIFY(oldSeen.load() > 10);
        QCOMPARE(MarketStore::openExisting(path).reader()->count(m_btc, DataKind::Candles), bars.size());
    }

    void anAbortedReplacementLeavesTheOldHistory()
    {
        const QString path = freshDb(QStringLiteral("abort.db"));
        auto r = MarketStore::open(path).reader();
        {
            auto w = MarketStore::openExisting(path).writer();
            w->setMeta(QStringLiteral("sim.seed"), QStringLiteral("1"));
            w->commit(fullBatch());
        }
        const Everything before = everything(*r, m_btc);
        {
            auto w = MarketStore::openExisting(path).writer();
            w->beginReplacement({m_btc});
            w->setMeta(QStringLiteral("sim.seed"), QStringLiteral("2"));
            w->commit(otherBatch());
            w->abortReplacement();
            QCOMPARE(everything(*r, m_btc), before);
            w->commit(otherBatch()); // the writer goes on as a plain writer (an upsert now)
            QVERIFY(!(everything(*r, m_btc) == before));
        }
        {
            auto w = MarketStore::openExisting(path).writer();
            w->clearSeries(m_btc);
            w->commit(fullBatch());
        }
        const Everything again = everything(*r, m_btc);
        {
            // Destroyed mid-replacement (a source stopped, the program quitting): rolled back.
            auto w = MarketStore::openExisting(path).writer();
            w->beginReplacement({m_btc});
            w->commit(otherBatch());
        }
        QCOMPARE(everything(*r, m_btc), again);
        QCOMPARE(r->meta(QStringLiteral("sim.seed")), QStringLiteral("1"));
    }
};

class TestStoreWriterPg : public TestStoreWriter
{
    Q_OBJECT

public:
    TestStoreWriterPg()
        : TestStoreWriter(true)
    {
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TestStoreWriter sqlite;
    TestStoreWriterPg postgreSql;
    const int failed = QTest::qExec(&sqlite, argc, argv);
    return failed + QTest::qExec(&postgreSql, argc, argv);
}

#include "tst_storewriter.moc"
