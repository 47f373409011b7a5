#include "analysis/heatmapengine.h"
#include "analysis/heatmapfeed.h"
#include "analysis/heatmapscorer.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

namespace {

constexpr qint64 t0 = 1'767'225'600'000;
constexpr qint64 hour = 3'600'000;

// A synthetic market whose "ground truth" is the model's own map, shifted by `shiftBins`: the
// scorer must find a perfect (or a known, shifted) agreement.
QString makeStore(const QString &path, const HeatmapParams &params, int shiftBins, bool withTruth = true)
{
    SyntheticSource::Params sp;
    sp.startMs = t0;
    sp.minutes = 2 * 1440;
    SyntheticSource source(sp);
    MarketBatch batch = source.generate(sp.minutes);
    batch.liquidations.clear(); // replaced by the model's own consumption below
    auto writer = MarketStore::open(path).writer();
    writer->commit(batch);
    writer->setMeta(QStringLiteral("seed"), QStringLiteral("1"));
    writer->setMeta(QStringLiteral("preset"), QStringLiteral("crafted"));

    QVector<HeatmapBar> bars;
    HeatmapFeed::join(batch.candles, batch.markCandles, batch.openInterest, batch.funding, batch.liquidations, true, 60'000, bars);
    HeatmapEngine e(params);
    MarketBatch truth;
    truth.instrument = batch.instrument;
    for (const HeatmapBar &b : bars) {
        // The realised tape is the model's own consumption, printed at the level.
        QVector<PredictedLiquidation> consumed;
        e.step(b, &consumed);
        int seq = 0;
        for (const PredictedLiquidation &p : consumed)
            truth.liquidations.push_back({b.ts + 30'000, seq++, p.side, p.price * std::exp(shiftBins * std::log1p(params.binStep)), p.qty, true});
        if (!withTruth || e.time() % hour != 0)
            continue;
        for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short}) {
            const auto [lo, hi] = e.book(side).binRange();
            e.book(side).forEachBin(lo, hi, [&](int bin, double usd) { truth.groundTruth.push_back({e.time(), side, bin + shiftBins, usd}); });
        }
    }
    writer->commit(truth);
    return path;
}

} // namespace

class TestHeatmapScorer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_synth{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};

private slots:
    void theModelAgainstItselfIsPerfect()
    {
        HeatmapParams params;
        params.liquidationAdjust = HeatmapParams::LiquidationAdjust::Model; // the tape is made from the model
        const QString path = makeStore(m_dir.filePath(QStringLiteral("self.db")), params, 0);
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        const auto r = HeatmapScorer::score(reader, path, m_synth, params, HeatmapScorer::Options());
        QVERIFY(r);
        QCOMPARE(r->snapshots, 48);
        QCOMPARE(r->range, (TimeRange{t0 + hour, t0 + 48 * hour}));
        QCOMPARE(r->seed, QStringLiteral("1"));
        QCOMPARE(r->simPreset, QStringLiteral("crafted"));
        QVERIFY(std::abs(r->model.spearman - 1) < 1e-9);
        QVERIFY(r->model.emdPercent < 1e-6);
        QCOMPARE(r->model.precision, 1.0);
        QCOMPARE(r->model.recall, 1.0);
        QVERIFY(std::abs(r->model.massRatio - 1) < 1e-9);
        // The uniform baseline is clearly worse on every snapshot metric.
        QVERIFY(r->baseline.spearman < 0.9);
        QVERIFY(r->baseline.emdPercent > 0.5);
        QVERIFY(r->baseline.precision < 0.9);
        // Realised liquidations happen where the map had its levels: correlated, and hot zones
        // catch more of them than their share of the traversed range.
        QVERIFY2(r->model.realizedSpearman > 0.5, qPrintable(QString::number(r->model.realizedSpearman)));
        QVERIFY(!(r->baseline.realizedSpearman > 0.5)); // flat inside ±10 %: no ranking (often undefined)
        QVERIFY(r->model.captureLift > 1.1);
        QVERIFY(!(r->baseline.captureLift > 1.1));
    }

    void aShiftedTruthCostsItsDistance()
    {
        // Truth three bins higher than the model: EMD ≈ 3 × ln(1.001) ≈ 0.3 % of price (a little
        // less where mass leaves the band); hot zones three bins apart miss a ±2-bin tolerance.
        HeatmapParams params;
        params.liquidationAdjust = HeatmapParams::LiquidationAdjust::Model;
        // models.md's reference mix: no tier near the band's edge (the default 7x levels sit at
        // -14 %, where a shift carries mass out of the ±15 % window and the EMD shrinks).
        params.tiers = {{5, 0.15}, {10, 0.30}, {25, 0.25}, {50, 0.20}, {100, 0.10}};
        const QString path = makeStore(m_dir.filePath(QStringLiteral("shift.db")), params, 3);
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        const auto r = HeatmapScorer::score(reader, path, m_synth, params, HeatmapScorer::Options());
        QVERIFY(r);
        QVERIFY2(r->model.emdPercent > 0.2 && r->model.emdPercent < 0.31, qPrintable(QString::number(r->model.emdPercent)));
        QVERIFY(r->model.spearman < 0.999);
        HeatmapScorer::Options wide;
        wide.toleranceBins = 3;
        const auto w = HeatmapScorer::score(reader, path, m_synth, params, wide);
        QVERIFY(w->model.recall > r->model.recall);
    }

    void aDatabaseWithoutGroundTruthOrCompleteTapeIsRefused()
    {
        // Liquidations sampled (as Binance's stream is): nothing can be scored.
        const QString path = m_dir.filePath(QStringLiteral("plain.db"));
        SyntheticSource::Params sp;
        sp.startMs = t0;
        sp.minutes = 120;
        SyntheticSource source(sp);
        MarketBatch batch = source.generate(120);
        for (CoverageSpan &c : batch.coverage)
            if (c.kind == DataKind::Liquidations) {
                c.quality = CoverageQuality::Sampled;
                c.resolutionMs = 1000;
            }
        MarketStore::open(path).writer()->commit(batch);
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        try {
            HeatmapScorer::score(reader, path, m_synth, HeatmapParams(), HeatmapScorer::Options());
            QFAIL("expected an error");
        } catch (const std::runtime_error &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY(what.contains(path));
            QVERIFY2(what.contains(QLatin1String("neither simulator ground truth nor a complete liquidation tape")), qPrintable(what));
            QVERIFY2(what.contains(QLatin1String("liquidations are sampled")), qPrintable(what));
            QVERIFY(!what.contains(QLatin1Char('\n')));
        }
    }

    void aCompleteTapeAloneGivesTheNextHourTest()
    {
        // No ground truth, a complete tape (the model's own consumption, printed at its levels):
        // only the next-hour figures, and the report says why the others are missing. The
        // model's levels are where the liquidations happen, so it ranks them far better than
        // closeness to price does.
        HeatmapParams params;
        params.liquidationAdjust = HeatmapParams::LiquidationAdjust::Model;
        params.lookbackHours = 6; // warm after six hours of the two days
        const QString path = makeStore(m_dir.filePath(QStringLiteral("tape.db")), params, 0, false);
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        const auto r = HeatmapScorer::score(reader, path, m_synth, params, HeatmapScorer::Options());
        QVERIFY(r);
        QVERIFY(!r->hasTruth && r->tapeComplete);
        QCOMPARE(r->notComputed.size(), 1);
        QVERIFY(r->notComputed.front().contains(QLatin1String("no ground truth")));
        QVERIFY2(r->model.nextHours >= 5, qPrintable(QString::number(r->model.nextHours)));
        QCOMPARE(r->proximity.nextHours, r->model.nextHours);
        QVERIFY2(r->model.nextHourSpearman > 0.4, qPrintable(QString::number(r->model.nextHourSpearman)));
        QVERIFY2(r->model.nextHourSpearman > r->proximity.nextHourSpearman + 0.2,
                 qPrintable(QStringLiteral("%1 vs %2").arg(r->model.nextHourSpearman).arg(r->proximity.nextHourSpearman)));
        qInfo("next hour over %d hours: rank corr. %.3f (proximity %.3f), lift %.2f (proximity %.2f)", r->model.nextHours, r->model.nextHourSpearman,
              r->proximity.nextHourSpearman, r->model.nextHourLift, r->proximity.nextHourLift);
        QVERIFY(r->model.nextHourLift > r->proximity.nextHourLift);

        // Inside the warm-up nothing is scored, and it says so.
        params.lookbackHours = 72;
        const auto warm = HeatmapScorer::score(reader, path, m_synth, params, HeatmapScorer::Options());
        QVERIFY(warm);
        QCOMPARE(warm->model.nextHours, 0);
        QVERIFY(warm->notComputed.back().contains(QLatin1String("warm-up")));
    }

    void theBinWidthMustMatchTheGroundTruth()
    {
        const HeatmapParams params;
        const QString path = makeStore(m_dir.filePath(QStringLiteral("grid.db")), params, 0);
        MarketStore::open(path).writer()->setMeta(QStringLiteral("sim.truth_grid_step"), QStringLiteral("0.001"));
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        QVERIFY(HeatmapScorer::score(reader, path, m_synth, params, HeatmapScorer::Options()));
        HeatmapParams wide = params;
        wide.binStep = 0.002;
        try {
            HeatmapScorer::score(reader, path, m_synth, wide, HeatmapScorer::Options());
            QFAIL("expected an error");
        } catch (const std::runtime_error &e) {
            QVERIFY(QString::fromStdString(e.what()).contains(QLatin1String("ground truth on 0.1 % bins but preset all_leverage uses 0.2 % bins")));
        }
    }

    void cancellation()
    {
        const HeatmapParams params;
        const QString path = makeStore(m_dir.filePath(QStringLiteral("cancel.db")), params, 0);
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        std::atomic<bool> cancel{true};
        HeatmapJob job;
        job.cancel = &cancel;
        QVERIFY(!HeatmapScorer::score(reader, path, m_synth, params, HeatmapScorer::Options(), job));
    }
};

QTEST_GUILESS_MAIN(TestHeatmapScorer)
#include "tst_heatmapscorer.moc"
