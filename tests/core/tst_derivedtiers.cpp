#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QMap>

// The per-tier summaries of open interest, predicted funding and liquidations must equal a
// brute-force aggregation of the raw rows, whatever the cadence and batch order.
class TestDerivedTiers : public QObject
{
    Q_OBJECT

private:
    const Instrument m_i{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;

private slots:
    void tiersMatchBruteForce()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.db"));
        auto w = MarketStore::open(path).writer();
        std::mt19937_64 rng(21);
        std::uniform_real_distribution<double> u(0, 1);

        // Irregular OI cadence (several per minute, gaps), liquidation bursts, shuffled batches.
        QVector<OpenInterestSample> oi;
        QVector<Liquidation> liqs;
        QVector<FundingSample> pf;
        double level = 50'000;
        for (qint64 t = t0; t < t0 + 2 * 86'400'000LL; t += qint64(5'000 + u(rng) * 110'000)) {
            level *= 1 + (u(rng) - 0.5) * 0.01;
            oi.push_back({t, level, level * 90'000});
            if (u(rng) < 0.3)
                pf.push_back({t, (u(rng) - 0.4) * 0.001, 8});
            if (u(rng) < 0.2) {
                const int n = 1 + int(u(rng) * 6);
                for (int k = 0; k < n; ++k)
                    liqs.push_back({t + k * 13, k, u(rng) < 0.7 ? Liquidation::Side::Long : Liquidation::Side::Short, 90'000 * (0.95 + 0.1 * u(rng)),
                                    0.01 + u(rng) * 3, k == 0});
            }
        }
        std::vector<int> order(40);
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        const auto slice = [](const auto &v, int part) { return v.mid(v.size() * part / 40, v.size() * (part + 1) / 40 - v.size() * part / 40); };
        for (int part : order) {
            MarketBatch b;
            b.instrument = m_i;
            b.openInterest = slice(oi, part);
            b.predictedFunding = slice(pf, part);
            b.liquidations = slice(liqs, part);
            w->commit(b);
        }
        // Re-send a few samples with new values (an exchange correcting itself).
        for (int k = 0; k < 30; ++k) {
            const qsizetype idx = qsizetype(u(rng) * oi.size());
            oi[idx].openInterest *= 1.5;
            MarketBatch b;
            b.instrument = m_i;
            b.openInterest = {oi[idx]};
            w->commit(b);
        }

        auto r = MarketStore::openExisting(path).reader();
        const TimeRange all{0, t0 * 2};
        for (Timeframe tf : Timeframes::all) {
            QMap<qint64, LineBar> expectOi;
            for (const auto &s : oi) {
                const qint64 b = Timeframes::floor(tf, s.ts);
                auto it = expectOi.find(b);
                if (it == expectOi.end())
                    expectOi.insert(b, {b, s.openInterest, s.openInterest, s.openInterest, s.openInterest});
                else {
                    it->high = std::max(it->high, s.openInterest);
                    it->low = std::min(it->low, s.openInterest);
                    it->close = s.openInterest;
                }
            }
            QCOMPARE(r->lineBars(m_i, LineSeries::OpenInterest, tf, all), expectOi.values().toVector());
            QCOMPARE(r->lineBars(m_i, LineSeries::PredictedFunding, tf, all).size(),
                     QSet<qint64>([&] {
                         QSet<qint64> s;
                         for (const auto &f : pf)
                             s.insert(Timeframes::floor(tf, f.ts));
                         return s;
                     }())
                         .size());

            QMap<qint64, LiquidationBar> expectLiq;
            for (const auto &l : liqs) {
                LiquidationBar &b = expectLiq[Timeframes::floor(tf, l.ts)];
                b.ts = Timeframes::floor(tf, l.ts);
                (l.side == Liquidation::Side::Long ? b.longUsd : b.shortUsd) += l.notional();
                (l.side == Liquidation::Side::Long ? b.longQty : b.shortQty) += l.qty;
                (l.side == Liquidation::Side::Long ? b.longCount : b.shortCount) += 1;
                b.largestUsd = std::max(b.largestUsd, l.notional());
            }
            const auto got = r->liquidationBars(m_i, tf, all);
            QCOMPARE(got.size(), expectLiq.size());
            int i = 0;
            for (const LiquidationBar &e : expectLiq) {
                const LiquidationBar &g = got[i++];
                QCOMPARE(g.ts, e.ts);
                QCOMPARE(g.longCount, e.longCount);
                QCOMPARE(g.shortCount, e.shortCount);
                QCOMPARE(g.largestUsd, e.largestUsd);
                // sums of sums: equal up to rounding
                QVERIFY(qAbs(g.longUsd - e.longUsd) <= 1e-9 * (1 + e.longUsd));
                QVERIFY(qAbs(g.shortQty - e.shortQty) <= 1e-9 * (1 + e.shortQty));
            }
        }
        QCOMPARE(r->latestLiquidations(m_i, t0 * 2, 5).size(), 5);
        QCOMPARE(r->latestLiquidations(m_i, t0 * 2, 5).first().ts, liqs.last().ts);
    }
};

QTEST_GUILESS_MAIN(TestDerivedTiers)
#include "tst_derivedtiers.moc"
