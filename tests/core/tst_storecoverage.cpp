#include "storage/candleaggregator.h"
#include "storage/marketstore.h"
#include "storage/schema.h"
#include "storage/sqliteconnection.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

// Coverage in the store: committed with its rows in one transaction, merged per kind,
// quality and resolution, migrated for old databases (simulated history complete, the rest
// unknown), removed with the series; and candles coarser than 1m in their own tier.
class TestStoreCoverage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument btc{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 hour = 3'600'000;

    QString db(const QString &name) { return m_dir.filePath(name + QStringLiteral(".db")); }

    MarketBatch batch() const
    {
        MarketBatch b;
        b.instrument = btc;
        return b;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void spansAreMergedPerKindQualityAndResolution()
    {
        const MarketStore store = MarketStore::open(db(QStringLiteral("merge")));
        auto w = store.writer();
        MarketBatch b = batch();
        b.openInterest = {{t0, 10, 1000}};
        b.cover(DataKind::OpenInterest, {t0, t0 + hour}, CoverageQuality::Complete, 300'000, QStringLiteral("import"));
        b.cover(DataKind::Liquidations, {t0, t0 + hour}, CoverageQuality::Sampled, 1000, QStringLiteral("binance stream"));
        w->commit(b);
        MarketBatch c = batch();
        c.cover(DataKind::OpenInterest, {t0 + hour, t0 + 2 * hour}, CoverageQuality::Complete, 300'000, QStringLiteral("binance rest"));
        c.cover(DataKind::OpenInterest, {t0 + 3 * hour, t0 + 4 * hour}, CoverageQuality::Complete, 300'000, QStringLiteral("import"));
        c.cover(DataKind::OpenInterest, {t0, t0 + 4 * hour}, CoverageQuality::Complete, 60'000, QStringLiteral("binance rest"));
        c.cover(DataKind::Liquidations, {t0 + 30 * minute, t0 + 2 * hour}, CoverageQuality::Sampled, 1000, QStringLiteral("binance stream"));
        w->commit(c); // a coverage-only batch commits too
        auto r = store.reader();
        const auto all = r->coverage(btc);
        QVector<CoverageSpan> oi5, liq;
        for (const CoverageSpan &s : all) {
            QCOMPARE(s.instrument, btc);
            if (s.kind == DataKind::OpenInterest && s.resolutionMs == 300'000)
                oi5 << s;
            if (s.kind == DataKind::Liquidations)
                liq << s;
        }
        QCOMPARE(oi5.size(), 2);
        QCOMPARE(oi5[0].range, (TimeRange{t0, t0 + 2 * hour})); // touching spans became one
        QCOMPARE(oi5[0].origin, QStringLiteral("import+binance rest"));
        QCOMPARE(oi5[1].range, (TimeRange{t0 + 3 * hour, t0 + 4 * hour}));
        QCOMPARE(liq.size(), 1);
        QCOMPARE(liq[0].range, (TimeRange{t0, t0 + 2 * hour}));
        QCOMPARE(liq[0].quality, CoverageQuality::Sampled);
        QCOMPARE(all.size(), 4); // the 1m OI span stays its own row
        const auto s = r->coverageSummary(btc, DataKind::OpenInterest, {t0, t0 + 5 * hour}, 300'000);
        QCOMPARE(s.covered, (QVector<TimeRange>{{t0, t0 + 4 * hour}}));
        QCOMPARE(s.finestResolutionMs, std::optional<qint64>(60'000));
        QCOMPARE(s.holes, (QVector<TimeRange>{{t0 + 4 * hour, t0 + 5 * hour}}));
    }

    void aRejectedBatchRecordsNoCoverage()
    {
        const MarketStore store = MarketStore::open(db(QStringLiteral("atomic")));
        auto w = store.writer();
        MarketBatch b = batch();
        b.candles = {{t0, 10, 12, 9, 11, 1, 11, 0.5}, {t0 + minute, 10, 9, 12, 11, 1, 11, 0.5}}; // low > high
        b.cover(DataKind::Candles, {t0, t0 + 2 * minute}, CoverageQuality::Complete, minute, QStringLiteral("import"));
        QVERIFY_THROWS_EXCEPTION(StoreError, w->commit(b));
        MarketBatch bad = batch();
        bad.coverage.push_back({btc, DataKind::Candles, {t0 + minute, t0}, CoverageQuality::Complete, minute, QStringLiteral("import")});
        try {
            w->commit(bad);
            QFAIL("an empty span was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(QLatin1String("coverage span of candles is empty")), qPrintable(e.message()));
        }
        QVERIFY(store.reader()->coverage(btc).isEmpty());
    }

    void clearSeriesRemovesCoverage()
    {
        const MarketStore store = MarketStore::open(db(QStringLiteral("clear")));
        auto w = store.writer();
        MarketBatch b = batch();
        b.candles = {{t0, 10, 12, 9, 11, 1, 11, 0.5}};
        b.cover(DataKind::Candles, {t0, t0 + minute}, CoverageQuality::Complete, minute, QStringLiteral("sim"));
        w->commit(b);
        QCOMPARE(store.reader()->coverage(btc).size(), 1);
        w->clearSeries(btc);
        QVERIFY(store.reader()->coverage(btc).isEmpty());
    }

    void migrationMarksSimulatedHistoryComplete()
    {
        const QString path = db(QStringLiteral("v3"));
        {
            SqliteConnection raw(path, SqliteConnection::Mode::ReadWriteCreate);
            Schema::migrate(raw, 3);
            raw.exec("INSERT INTO instruments(id, exchange, symbol) VALUES(1, 'SIM', 'BTCUSDT'), (2, 'BINANCE', 'BTCUSDT');"
                     "INSERT INTO candles VALUES(1, 1, 60000, 10, 12, 9, 11, 5, 55, 2), (1, 1, 120000, 11, 12, 9, 10, 5, 55, 2);"
                     "INSERT INTO candles VALUES(2, 1, 60000, 10, 12, 9, 11, 5, 55, 2);"
                     "INSERT INTO funding VALUES(1, 120000, 0.0001, 8), (2, 0, 0.0001, 8);"
                     "INSERT INTO open_interest VALUES(1, 60000, 100, 1000), (2, 60000, 100, 1000);");
        }
        const MarketStore store = MarketStore::open(path);
        auto r = store.reader();
        const Instrument sim{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
        QVERIFY(r->coverage(btc).isEmpty()); // unknown until re-imported
        QHash<DataKind, CoverageSpan> byKind;
        for (const CoverageSpan &s : r->coverage(sim))
            byKind.insert(s.kind, s);
        // candles, funding, oi, liquidations: the kinds it holds (and liquidations); v5 adds
        // taker buys with the candles
        QCOMPARE(byKind.keys().size(), 5);
        for (DataKind k : {DataKind::Candles, DataKind::Funding, DataKind::OpenInterest, DataKind::Liquidations, DataKind::TakerBuy}) {
            QVERIFY2(byKind.contains(k), qPrintable(DataKinds::name(k)));
            QCOMPARE(byKind[k].range, (TimeRange{60'000, 180'000}));
            QCOMPARE(byKind[k].quality, CoverageQuality::Complete);
        }
        QCOMPARE(byKind[DataKind::Funding].resolutionMs, 8 * hour);
        QCOMPARE(byKind[DataKind::Liquidations].resolutionMs, 0);
    }

    void coarseKlinesGoToTheirOwnTier()
    {
        const MarketStore store = MarketStore::open(db(QStringLiteral("coarse")));
        auto w = store.writer();
        auto r = store.reader();
        std::mt19937_64 rng(3);
        // Day 1 has 1m bars for its first 6 hours; 5m bars are imported for days 1 and 2.
        const QVector<Candle> minutes = TestUtil::randomBars(rng, t0, 360, 100);
        MarketBatch m = batch();
        m.candles = minutes;
        m.cover(DataKind::Candles, {t0, t0 + 360 * minute}, CoverageQuality::Complete, minute, QStringLiteral("import"));
        w->commit(m);
        QVector<Candle> fives = CandleAggregator::toTimeframe(TestUtil::randomBars(rng, t0, 2 * 1440, 100), Timeframe::M5);
        for (Candle &c : fives)
            c.volume *= 1000; // not what the minutes add up to: shows which bars a tier took
        MarketBatch f = batch();
        f.candleTimeframe = Timeframe::M5;
        f.candles = fives;
        f.cover(DataKind::Candles, {t0, t0 + 2 * 1440 * minute}, CoverageQuality::Complete, 5 * minute, QStringLiteral("import"));
        w->commit(f);

        // The first six hours keep what their minutes say; the rest is the imported 5m bars.
        const auto tier5 = r->candles(btc, Timeframe::M5, {t0, t0 + 2 * 1440 * minute});
        QCOMPARE(tier5.size(), 2 * 288);
        const auto fromMinutes = CandleAggregator::toTimeframe(minutes, Timeframe::M5);
        for (int i = 0; i < 72; ++i)
            QCOMPARE(tier5[i], fromMinutes[i]);
        for (int i = 72; i < tier5.size(); ++i)
            QCOMPARE(tier5[i], fives[i]);
        QVERIFY(r->candles(btc, Timeframe::M1, {t0 + 360 * minute, t0 + 2 * 1440 * minute}).isEmpty());
        // The coarser tiers add up the 5m tier, both halves of day 1.
        const auto days = r->candles(btc, Timeframe::D1, {t0, t0 + 2 * 1440 * minute});
        QCOMPARE(days.size(), 2);
        for (int d = 0; d < 2; ++d) {
            const Candle want = CandleAggregator::aggregate(t0 + d * 1440 * minute, std::span(tier5.constData() + 288 * d, 288));
            QCOMPARE(days[d].open, want.open);
            QCOMPARE(days[d].high, want.high);
            QCOMPARE(days[d].low, want.low);
            QCOMPARE(days[d].close, want.close);
            QVERIFY(std::abs(days[d].volume - want.volume) <= 1e-9 * want.volume); // summed per tier, not in one go
        }
        // Coverage: 1m over the first six hours, 5m where the 5m bars were taken.
        const auto atMinute = r->coverageSummary(btc, DataKind::Candles, {t0, t0 + 2 * 1440 * minute}, minute);
        QCOMPARE(atMinute.covered, (QVector<TimeRange>{{t0, t0 + 360 * minute}}));
        QCOMPARE(atMinute.coarser, (QVector<TimeRange>{{t0 + 360 * minute, t0 + 2 * 1440 * minute}}));
        QVERIFY(atMinute.holes.isEmpty());
        QCOMPARE(r->extent(btc, DataKind::Candles), (TimeRange{t0, t0 + 2 * 1440 * minute}));

        // More minutes later, inside a 5m-only day: the day bar keeps the imported rest.
        QVector<Candle> more = TestUtil::randomBars(rng, t0 + 1440 * minute + 7 * minute, 3, 100);
        MarketBatch late = batch();
        late.candles = more;
        w->commit(late);
        const auto day2 = r->candles(btc, Timeframe::D1, {t0 + 1440 * minute, t0 + 2 * 1440 * minute});
        QCOMPARE(day2.size(), 1);
        QVERIFY2(day2[0].volume > 250 * 1000, qPrintable(QString::number(day2[0].volume)));
        // The imported 5m bar under the three minutes stays (it is the more complete one).
        QCOMPARE(r->candles(btc, Timeframe::M5, {t0 + 1445 * minute, t0 + 1450 * minute}).value(0), fives[289]);

        // Re-importing the same 5m file changes nothing.
        const auto before = r->candles(btc, Timeframe::H1, {t0, t0 + 2 * 1440 * minute});
        w->commit(f);
        QCOMPARE(r->candles(btc, Timeframe::H1, {t0, t0 + 2 * 1440 * minute}), before);
    }

    void coarseBarsMustStartTheirBucket()
    {
        const MarketStore store = MarketStore::open(db(QStringLiteral("misaligned")));
        MarketBatch b = batch();
        b.candleTimeframe = Timeframe::H1;
        b.candles = {{t0 + 5 * minute, 10, 12, 9, 11, 1, 11, 0.5}};
        try {
            store.writer()->commit(b);
            QFAIL("accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(QLatin1String("does not start a 1h bar")), qPrintable(e.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreCoverage)
#include "tst_storecoverage.moc"
