#include "analysis/heatmapengine.h"
#include "analysis/heatmapfeed.h"
#include "naiveheatmapengine.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>

// The heatmap model on seeded simulator runs (issue 5, "must hold"): it beats the naive
// baseline on rank correlation and earth mover's distance, on seeds that were never used
// while choosing the model's defaults (1–3 were), and its mechanics hold on simulated bars.
// Runs are two simulated days each (plus the simulator's own warm-up) to keep this fast.
class TestHeatmapSim : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        QString preset;
        int seed;
        QString db;
    };
    QTemporaryDir m_dir;
    QVector<Run> m_runs;
    const Instrument m_sim{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};

    static QJsonObject score(const QString &db, const QString &preset)
    {
        const auto r = TestUtil::runPerpscope({QStringLiteral("heatmap-score"), QStringLiteral("--db"), db, QStringLiteral("--preset"), preset,
                                               QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning() << r.err;
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

private slots:
    void initTestCase()
    {
        m_runs = {{QStringLiteral("treadmill"), 11, {}}, {QStringLiteral("crash"), 12, {}}, {QStringLiteral("calm"), 13, {}}};
        for (Run &run : m_runs) {
            run.db = m_dir.filePath(QStringLiteral("%1-%2.db").arg(run.preset).arg(run.seed));
            const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), run.db, QStringLiteral("--source"),
                                                   QStringLiteral("sim"), QStringLiteral("--preset"), run.preset, QStringLiteral("--seed"),
                                                   QString::number(run.seed), QStringLiteral("--days"), QStringLiteral("2"), QStringLiteral("--end"),
                                                   QStringLiteral("2026-01-03T00:00:00Z")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }

    void modelBeatsTheBaselineOnHeldOutSeeds()
    {
        double emdRatio = 0, rhoGain = 0;
        for (const Run &run : std::as_const(m_runs)) {
            const QJsonObject o = score(run.db, QStringLiteral("all_leverage"));
            QVERIFY2(!o.isEmpty(), qPrintable(run.db));
            QVERIFY(o.value(QLatin1String("snapshots")).toInt() >= 40); // hourly ground truth over two days
            const QJsonObject m = o.value(QLatin1String("model")).toObject(), b = o.value(QLatin1String("baseline_scores")).toObject();
            const double rho = m.value(QLatin1String("spearman")).toDouble(), baseRho = b.value(QLatin1String("spearman")).toDouble();
            const double emd = m.value(QLatin1String("emd_pct")).toDouble(), baseEmd = b.value(QLatin1String("emd_pct")).toDouble();
            const QString what = QStringLiteral("%1 seed %2: rho %3 vs %4, EMD %5 vs %6 %, hot-zone F1 %7 vs %8")
                                     .arg(run.preset)
                                     .arg(run.seed)
                                     .arg(rho)
                                     .arg(baseRho)
                                     .arg(emd)
                                     .arg(baseEmd)
                                     .arg(m.value(QLatin1String("hot_f1")).toDouble())
                                     .arg(b.value(QLatin1String("hot_f1")).toDouble());
            qInfo().noquote() << what;
            QVERIFY2(rho >= baseRho + 0.10, qPrintable(what));
            QVERIFY2(emd < baseEmd, qPrintable(what));
            QVERIFY2(m.value(QLatin1String("hot_f1")).toDouble() > b.value(QLatin1String("hot_f1")).toDouble(), qPrintable(what));
            emdRatio += emd / baseEmd / m_runs.size();
            rhoGain += (rho - baseRho) / m_runs.size();
        }
        QVERIFY2(emdRatio <= 0.85, qPrintable(QString::number(emdRatio)));
        QVERIFY2(rhoGain >= 0.20, qPrintable(QString::number(rhoGain)));
    }

    void engineMatchesTheReferenceOnSimulatedBars()
    {
        // Bin for bin against the naive reference, which also checks each level directly:
        // alive = never crossed since the bar after its creation; consumed = crossed in that bar.
        HeatmapParams p;
        p.levelResolution = 0;
        p.fundingErosion = false; // funding moves levels after the fact, which the direct check cannot follow
        p.holdSigmas = 0;         // the reference has no turnover (tst_heatmapengine tests it)
        const auto readerOwner = MarketStore::attach(m_runs.front().db).reader();
        StoreReader &reader = *readerOwner;
        HeatmapFeed feed(reader, m_sim);
        const auto bars = feed.bars({feed.extent().from, feed.extent().from + 24 * 3'600'000LL});
        QCOMPARE(bars.size(), 1440);
        HeatmapEngine engine(p);
        NaiveHeatmapEngine naive(p);
        qsizetype consumed = 0;
        for (qsizetype i = 0; i < bars.size(); ++i) {
            QVector<PredictedLiquidation> a, b;
            engine.step(bars[i], &a);
            naive.step(bars[i], &b);
            QCOMPARE(a.size(), b.size());
            consumed += a.size();
            for (const auto &ev : std::as_const(b))
                QVERIFY(ev.side == Liquidation::Side::Long ? ev.price >= bars[i].markLow : ev.price <= bars[i].markHigh);
            for (const auto &c : std::as_const(naive.cohorts))
                if (c.createdBar < naive.bars - 1)
                    QVERIFY(c.side == 0 ? c.extremeSince > c.price : c.extremeSince < c.price);
            if (i % 120 == 0 || i + 1 == bars.size())
                for (int side = 0; side < 2; ++side) {
                    const QMap<int, double> ref = naive.bins(side);
                    QMap<int, double> got;
                    const auto &book = engine.book(Liquidation::Side(side));
                    const auto [lo, hi] = book.binRange();
                    book.forEachBin(lo, hi, [&got](int bin, double usd) { got[bin] = usd; });
                    QCOMPARE(got.keys(), ref.keys());
                    for (auto it = ref.begin(); it != ref.end(); ++it)
                        QVERIFY(std::abs(got[it.key()] - it.value()) <= 1e-9 * it.value() + 1e-6);
                }
        }
        QVERIFY(consumed > 0);
    }

    void ledgerBalancesOnSimulatedBars()
    {
        for (const Run &run : std::as_const(m_runs)) {
            const auto readerOwner = MarketStore::attach(run.db).reader();
            StoreReader &reader = *readerOwner;
            HeatmapFeed feed(reader, m_sim);
            HeatmapEngine e{HeatmapParams()};
            for (const HeatmapBar &bar : feed.bars(feed.extent())) {
                e.step(bar);
                for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short})
                    QVERIFY(std::abs(e.book(side).quantity() - e.ledger(side).expectedLive()) <= 1e-9 * e.ledger(side).opened);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestHeatmapSim)
#include "tst_heatmapsim.moc"
