#include "sources/coveragetracker.h"
#include "sources/sim/simulator.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

// Every source says what it covered: the simulator and the synthetic walk everything they
// produce, completely; CoverageTracker turns received rows into spans with holes.
class TestSourceCoverage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    static constexpr qint64 day = 86'400'000;
    static constexpr qint64 end = 1'767'225'600'000; // 2026-01-01

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void trackerSplitsAtHolesAndContinuesAcrossBatches()
    {
        CoverageTracker t(DataKind::OpenInterest, 300'000, 3, CoverageQuality::Complete, QStringLiteral("import"));
        MarketBatch a, b;
        for (qint64 ts : {0LL, 300'000LL, 900'000LL /* one sample missing: no hole */, 1'200'000LL})
            t.add(ts);
        t.add(300'000); // out of order: ignored
        t.takeInto(a);
        QCOMPARE(a.coverage.size(), 1);
        QCOMPARE(a.coverage[0].range, (TimeRange{0, 1'500'000}));
        QCOMPARE(a.coverage[0].resolutionMs, 300'000);
        t.add(1'500'000);
        t.add(5'000'000); // 3.5 M ms later: a hole
        t.add(5'300'000);
        t.takeInto(b);
        QCOMPARE(b.coverage.size(), 2);
        QCOMPARE(b.coverage[0].range, (TimeRange{1'500'000, 1'800'000}));
        QCOMPARE(b.coverage[1].range, (TimeRange{5'000'000, 5'600'000}));

        CoverageTracker learn(DataKind::Candles, 0, 1, CoverageQuality::Complete, QStringLiteral("import"));
        for (int i = 0; i < 10; ++i)
            learn.add(i * 3'600'000LL + (i >= 5 ? 3'600'000LL : 0));
        MarketBatch c;
        learn.takeInto(c);
        QCOMPARE(learn.resolutionMs(), 3'600'000);
        QCOMPARE(c.coverage.size(), 2);
        QCOMPARE(c.coverage[1].range, (TimeRange{6 * 3'600'000LL, 11 * 3'600'000LL}));
    }

    void syntheticCoversEverythingItGenerates()
    {
        const QString path = m_dir.filePath(QStringLiteral("synth.db"));
        SyntheticSource::Params p;
        p.startMs = end - 2 * day;
        p.minutes = 2 * 1440;
        SyntheticSource source(p);
        auto w = MarketStore::open(path).writer();
        w->commit(source.generate(1000));
        w->commit(source.generate(5000));
        auto r = MarketStore::openExisting(path).reader();
        for (DataKind k : {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding, DataKind::OpenInterest,
                           DataKind::Liquidations}) {
            const auto s = r->coverageSummary(p.instrument, k, {p.startMs, end});
            QVERIFY2(s.isFull(), qPrintable(DataKinds::name(k)));
            QCOMPARE(s.quality, std::optional(CoverageQuality::Complete));
        }
    }

    void simulatorCoversItsHistoryAndItsLiveMinutes()
    {
        const QString path = m_dir.filePath(QStringLiteral("sim.db"));
        Simulator::Options o;
        o.startMs = end - day / 2;
        o.endMs = end;
        o.warmupSeconds = 3600;
        o.live = true;
        o.speed = 3600; // an hour per second of live running
        Simulator sim(o);
        auto writer = MarketStore::open(path).writer();
        connect(&sim, &DataSource::batchReady, &sim, [&](const MarketBatch &b) { writer->commit(b); });
        sim.start();
        auto r = MarketStore::openExisting(path).reader();
        QVERIFY(QTest::qWaitFor([&] { return r->extent(o.instrument, DataKind::Candles).to > end + 3600'000; }, 60'000));
        sim.stop();
        const TimeRange candles = r->extent(o.instrument, DataKind::Candles);
        for (DataKind k : {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding, DataKind::OpenInterest,
                           DataKind::Liquidations, DataKind::GroundTruth}) {
            const auto spans = r->coverage(o.instrument, k, {0, end * 2});
            QCOMPARE(spans.size(), 1); // one unbroken span, backfill and live merged
            QCOMPARE(spans[0].range.from, o.startMs);
            QVERIFY(spans[0].range.to >= candles.to - 60'000);
            QCOMPARE(spans[0].quality, CoverageQuality::Complete);
            QCOMPARE(spans[0].origin, QStringLiteral("sim"));
        }
        QCOMPARE(r->coverage(o.instrument, DataKind::Funding, {0, end * 2})[0].resolutionMs, 8 * 3'600'000LL);
        QCOMPARE(sim.liquidationCoverage(), std::optional(CoverageQuality::Complete));
        QCOMPARE(sim.liquidationFeed(), QStringLiteral("full"));
    }
};

QTEST_GUILESS_MAIN(TestSourceCoverage)
#include "tst_sourcecoverage.moc"
