#include "analysis/heatmapengine.h"
#include "analysis/liquidationprice.h"
#include "naiveheatmapengine.h"

#include <QtTest>

#include <random>

namespace {

constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z
constexpr qint64 minute = 60'000;

// Plain parameters for crafted bars: one entry at the bar's VWAP, no merging, no fee.
HeatmapParams crafted(QVector<HeatmapParams::Tier> tiers = {{50, 1}})
{
    HeatmapParams p;
    p.tiers = tiers;
    p.subEntries = 1;
    p.levelResolution = 0;
    p.feeBuffer = 0;
    p.fundingErosion = false;
    p.holdSigmas = 0; // no turnover: every level stays until crossed or closed by an OI fall
    p.initialPrior = HeatmapParams::InitialPrior::FirstBar; // the first OI sample placed at its bar: exact levels to check
    return p;
}

HeatmapBar flatBar(int i, double price, double oi)
{
    HeatmapBar b;
    b.ts = t0 + i * minute;
    b.open = b.high = b.low = b.close = price;
    b.markOpen = b.markHigh = b.markLow = b.markClose = price;
    b.vwap = price;
    b.volume = 10;
    b.takerBuyVolume = 5;
    b.openInterest = oi;
    b.hasOpenInterest = true;
    return b;
}

// Random but plausible bars: a walk with wicks, mark close to last, OI that builds and
// flushes, funding every 8 hours, sometimes a liquidation tape.
QVector<HeatmapBar> randomBars(quint64 seed, int count, bool tape, double vol = 0.0015)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> n(0, 1);
    std::uniform_real_distribution<double> u(0, 1);
    QVector<HeatmapBar> out;
    double price = 100'000, oi = 50'000;
    for (int i = 0; i < count; ++i) {
        HeatmapBar b;
        b.ts = t0 + i * minute;
        const double r = vol * n(rng) * (u(rng) < 0.03 ? 4 : 1);
        b.open = price;
        b.close = price * std::exp(r);
        b.high = std::max(b.open, b.close) * (1 + std::abs(n(rng)) * vol * 0.5);
        b.low = std::min(b.open, b.close) * (1 - std::abs(n(rng)) * vol * 0.5);
        const double basis = 1 + 0.0002 * n(rng);
        b.markOpen = b.open * basis;
        b.markClose = b.close * basis;
        b.markHigh = std::max({b.markOpen, b.markClose, b.high * basis * (1 - 0.0003 * u(rng))});
        b.markLow = std::min({b.markOpen, b.markClose, b.low * basis * (1 + 0.0003 * u(rng))});
        b.volume = 20 + 80 * u(rng);
        b.takerBuyVolume = b.volume * std::clamp(0.5 + r / vol * 0.15 + 0.1 * n(rng), 0.0, 1.0);
        b.vwap = b.low + (b.high - b.low) * u(rng);
        const double change = r < -2.5 * vol ? -oi * 0.01 * u(rng) : oi * 0.0004 * n(rng) + 1.5;
        oi = std::max(100.0, oi + change);
        b.openInterest = oi;
        b.hasOpenInterest = u(rng) > 0.02; // occasional missing sample
        if (b.ts % (8 * 3'600'000) == 0) {
            b.hasFunding = true;
            b.fundingRate = 0.0001 + 0.0003 * n(rng);
        }
        if (tape) {
            b.hasRealizedLiquidations = true;
            b.realizedLiquidationQty = change < 0 ? -change * u(rng) : 0;
        }
        out.push_back(b);
        price = b.close;
    }
    return out;
}

QMap<int, double> engineBins(const HeatmapEngine &e, Liquidation::Side side)
{
    QMap<int, double> out;
    const auto [low, high] = e.book(side).binRange();
    e.book(side).forEachBin(low, high, [&out](int bin, double usd) { out[bin] = usd; });
    return out;
}

bool sameBins(const QMap<int, double> &a, const QMap<int, double> &b, QString *why)
{
    if (a.keys() != b.keys()) {
        *why = QStringLiteral("bins differ: %1 vs %2 non-empty").arg(a.size()).arg(b.size());
        return false;
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
        const double x = it.value(), y = b.value(it.key());
        if (std::abs(x - y) > 1e-9 * std::max(std::abs(x), std::abs(y)) + 1e-6) {
            *why = QStringLiteral("bin %1: %2 vs %3").arg(it.key()).arg(x, 0, 'g', 17).arg(y, 0, 'g', 17);
            return false;
        }
    }
    return true;
}

double totalQty(const HeatmapEngine &e)
{
    return e.book(Liquidation::Side::Long).quantity() + e.book(Liquidation::Side::Short).quantity();
}

} // namespace

class TestHeatmapEngine : public QObject
{
    Q_OBJECT

private slots:
    void seedPlacesLevelsAtTheExchangeFormula()
    {
        HeatmapEngine e(crafted({{10, 0.5}, {100, 0.5}}));
        e.step(flatBar(0, 100'000, 40));
        QMap<double, double> longs, shorts;
        e.book(Liquidation::Side::Long).forEachCohort([&](double p, double q, qint32, quint16) { longs[p] += q; });
        e.book(Liquidation::Side::Short).forEachCohort([&](double p, double q, qint32, quint16) { shorts[p] += q; });
        QCOMPARE(longs.size(), 2);
        QCOMPARE(shorts.size(), 2);
        for (double lev : {10.0, 100.0}) {
            const double lp = LiquidationPrice::forLong(100'000, lev, 10'000).price;
            const double sp = LiquidationPrice::forShort(100'000, lev, 10'000).price;
            QVERIFY(longs.contains(lp));
            QVERIFY(shorts.contains(sp));
            QCOMPARE(longs[lp], 10.0); // 40 coins: half long, half short, half per tier
            QCOMPARE(shorts[sp], 10.0);
        }
        QCOMPARE(e.time(), t0 + minute);
        QCOMPARE(e.price(), 100'000.0);
    }

    void volumeProfilePriorSpreadsTheFirstSample()
    {
        // Two days of klines before the first OI sample: a day around 100k (volume 30/bar),
        // then a day around 104k (volume 10/bar). The OI that exists at the first sample is
        // spread over where volume traded, 3:1, and scaled to exactly that OI.
        HeatmapParams p = crafted({{10, 0.5}, {50, 0.5}});
        p.initialPrior = HeatmapParams::InitialPrior::VolumeProfile;
        HeatmapEngine e(p);
        QVector<PredictedLiquidation> events;
        for (int i = 0; i < 2880; ++i) {
            HeatmapBar b = flatBar(i, i < 1440 ? 100'000 : 104'000, 0);
            b.hasOpenInterest = false;
            b.volume = i < 1440 ? 30 : 10;
            b.takerBuyVolume = b.volume / 2;
            e.step(b, &events);
        }
        QCOMPARE(e.firstOpenInterestTime(), qint64(0));
        QVERIFY(e.isWarmingUp(e.time()));
        HeatmapBar first = flatBar(2880, 104'000, 5'000);
        e.step(first, &events);
        QVERIFY(events.isEmpty()); // the prior's own consumption is nobody's liquidation
        QCOMPARE(e.firstOpenInterestTime(), first.end());
        QCOMPARE(e.warmUntil(), first.end() + 168 * 3'600'000LL);
        QVERIFY(e.isWarmingUp(first.end() + 167 * 3'600'000LL));
        QVERIFY(!e.isWarmingUp(first.end() + 168 * 3'600'000LL));
        QVERIFY(std::abs(totalQty(e) - 5'000) < 1e-6);
        for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short})
            QVERIFY(std::abs(e.book(side).quantity() - e.ledger(side).expectedLive()) < 1e-9);
        // Entries from the levels: a 10x long at 100k entry sits at LP(100k); by entry price.
        double at100 = 0, at104 = 0;
        const double lp100 = LiquidationPrice::forLong(100'000, 10, 10'000).price, lp104 = LiquidationPrice::forLong(104'000, 10, 10'000).price;
        e.book(Liquidation::Side::Long).forEachCohort([&](double price, double q, qint32, quint16) {
            if (std::abs(price - lp100) < 1)
                at100 += q;
            if (std::abs(price - lp104) < 1)
                at104 += q;
        });
        QVERIFY2(std::abs(at100 / at104 - 3.0) < 0.01, qPrintable(QString::number(at100 / at104)));
        // The 50x shorts opened at 100k (LP ≈ 101.6k) were squeezed by the move to 104k: gone.
        e.book(Liquidation::Side::Short).forEachCohort([](double price, double, qint32, quint16) { QVERIFY(price > 104'000); });
        e.book(Liquidation::Side::Long).forEachCohort([](double price, double, qint32, quint16) { QVERIFY(price < 104'000); });
    }

    void priorOlderThanTheLookBackIsForgotten()
    {
        HeatmapParams p = crafted({{10, 1}});
        p.initialPrior = HeatmapParams::InitialPrior::VolumeProfile;
        p.lookbackHours = 24;
        HeatmapEngine e(p);
        for (int i = 0; i < 3 * 1440; ++i) {
            HeatmapBar b = flatBar(i, i < 1440 ? 80'000 : 100'000, 0); // the 80k day is two days old at the sample
            b.hasOpenInterest = false;
            e.step(b);
        }
        e.step(flatBar(3 * 1440, 100'000, 100));
        QVERIFY(std::abs(totalQty(e) - 100) < 1e-9);
        e.book(Liquidation::Side::Long).forEachCohort([](double price, double, qint32, quint16) { QVERIFY(price > 85'000); });
    }

    void randomWalkPriorWithoutPriceHistory()
    {
        // OI from the first bar (the simulator, an import whose metrics start with the klines):
        // the documented prior spreads it, no 0.1 % bin holds more than 3 % of it, nothing sits
        // beyond the price, and it ages out over the look-back instead of all at once.
        HeatmapParams p;
        p.fundingErosion = false;
        p.holdSigmas = 0; // the prior's own ageing, without turnover reopening what closes
        HeatmapEngine e(p);
        QVector<PredictedLiquidation> events;
        e.step(flatBar(0, 100'000, 10'000), &events);
        QVERIFY(events.isEmpty());
        QVERIFY(std::abs(totalQty(e) - 10'000) < 1e-6);
        for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short}) {
            const auto bins = engineBins(e, side);
            for (auto it = bins.begin(); it != bins.end(); ++it)
                QVERIFY2(it.value() / (10'000 * 100'000.0) < 0.03, qPrintable(QStringLiteral("bin %1: %2").arg(it.key()).arg(it.value())));
            QVERIFY(bins.size() > 100);
        }
        e.book(Liquidation::Side::Long).forEachCohort([](double price, double, qint32, quint16) { QVERIFY(price < 100'000); });
        e.book(Liquidation::Side::Short).forEachCohort([](double price, double, qint32, quint16) { QVERIFY(price > 100'000); });
        for (int i = 1; i <= 84 * 60; ++i) // half the look-back of flat bars, OI unchanged
            e.step(flatBar(i, 100'000, 10'000));
        const double left = totalQty(e) / 10'000;
        QVERIFY2(left > 0.4 && left < 0.6, qPrintable(QString::number(left)));
    }

    void levelIsConsumedExactlyWhenTheMarkCrossesIt()
    {
        HeatmapEngine e(crafted());
        e.step(flatBar(0, 100'000, 10));
        const double lp = LiquidationPrice::forLong(100'000, 50, 10'000).price;
        const double sp = LiquidationPrice::forShort(100'000, 50, 10'000).price;

        // A hair above the long level (and below the short one): nothing happens.
        HeatmapBar near = flatBar(1, 100'000, 10);
        near.markLow = near.low = std::nextafter(lp, 1e9);
        near.markHigh = near.high = std::nextafter(sp, 0.0);
        QVector<PredictedLiquidation> events;
        e.step(near, &events);
        QVERIFY(events.isEmpty());
        QCOMPARE(e.book(Liquidation::Side::Long).cohortCount(), 1);

        // Touching the long level exactly consumes it (inclusive), not the short one.
        HeatmapBar touch = flatBar(2, 100'000, 10);
        touch.markLow = lp;
        touch.low = lp;
        e.step(touch, &events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].side, Liquidation::Side::Long);
        QCOMPARE(events[0].price, lp);
        QCOMPARE(events[0].qty, 5.0);
        QCOMPARE(events[0].leverage, 50.0);
        QCOMPARE(events[0].ts, t0 + 2 * minute);
        QCOMPARE(e.book(Liquidation::Side::Long).cohortCount(), 0);

        // The short level goes when the mark high reaches it exactly.
        events.clear();
        HeatmapBar up = flatBar(3, 100'000, 10);
        up.markHigh = sp;
        up.high = sp;
        e.step(up, &events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].side, Liquidation::Side::Short);
        QCOMPARE(events[0].price, sp);
        QCOMPARE(e.book(Liquidation::Side::Short).cohortCount(), 0);
        QCOMPARE(e.ledger(Liquidation::Side::Long).liquidated, 5.0);
        QCOMPARE(e.ledger(Liquidation::Side::Short).liquidated, 5.0);
    }

    void lastPriceWicksDoNotConsumeUnlessAsked()
    {
        for (bool onMark : {true, false}) {
            HeatmapParams p = crafted();
            p.consumeOnMark = onMark;
            HeatmapEngine e(p);
            e.step(flatBar(0, 100'000, 10));
            HeatmapBar wick = flatBar(1, 100'000, 10);
            wick.low = 90'000; // last price wicks far below, mark stays
            e.step(wick);
            QCOMPARE(e.book(Liquidation::Side::Long).cohortCount(), onMark ? 1 : 0);
        }
        // Without a mark series the last price is used.
        HeatmapEngine e(crafted());
        e.step(flatBar(0, 100'000, 10));
        HeatmapBar noMark = flatBar(1, 100'000, 10);
        noMark.markOpen = noMark.markHigh = noMark.markLow = noMark.markClose = 0;
        noMark.low = 90'000;
        e.step(noMark);
        QCOMPARE(e.book(Liquidation::Side::Long).cohortCount(), 0);
    }

    void cohortsAreNotTestedInTheBarThatCreatesThem()
    {
        HeatmapEngine e(crafted());
        e.step(flatBar(0, 100'000, 10));
        const double lp = LiquidationPrice::forLong(100'000, 50, 10'000).price;
        // OI rises while the mark trades down through where the new longs' level will be.
        HeatmapBar b = flatBar(1, 100'000, 20);
        b.markLow = b.low = 97'000;
        b.takerBuyVolume = 10; // all long
        QVector<PredictedLiquidation> events;
        e.step(b, &events);
        QCOMPARE(events.size(), 1); // the seeded long (level lp > 97,000) went
        QCOMPARE(events[0].price, lp);
        // The ten new longs opened at VWAP 100,000 sit at lp again and survived their own bar...
        QCOMPARE(e.book(Liquidation::Side::Long).quantity(), 10.0);
        // ...until the next bar trades there.
        HeatmapBar next = flatBar(2, 100'000, 20);
        next.markLow = next.low = 97'000;
        events.clear();
        e.step(next, &events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].qty, 10.0);
    }

    void closesAreProportionalAndSideWeighted()
    {
        HeatmapEngine e(crafted({{10, 0.5}, {25, 0.5}}));
        e.step(flatBar(0, 100'000, 100)); // 50 long, 50 short
        HeatmapBar b = flatBar(1, 100'000, 90);
        b.takerBuyVolume = 2.5; // of 10: sellers 75 % -> longs take 75 % of the closes
        e.step(b);
        QCOMPARE(e.book(Liquidation::Side::Long).quantity(), 42.5);
        QCOMPARE(e.book(Liquidation::Side::Short).quantity(), 47.5);
        // Proportional within the side: both tiers keep their 50/50 split.
        QMap<quint16, double> perKind;
        e.book(Liquidation::Side::Long).forEachCohort([&](double, double q, qint32, quint16 k) { perKind[k] += q; });
        QCOMPARE(perKind.size(), 2);
        QVERIFY(qFuzzyCompare(perKind[0], perKind[1]));
    }

    void forcedClosesAreAddedBackToTheOiChange()
    {
        // Model adjustment: consumption counts, capped at the OI decrease.
        HeatmapEngine e(crafted({{100, 1}}));
        e.step(flatBar(0, 100'000, 100));
        HeatmapBar b = flatBar(1, 100'000, 97); // OI −3 while 50 long coins are liquidated
        b.markLow = b.low = 99'000;
        e.step(b);
        QCOMPARE(e.ledger(Liquidation::Side::Long).liquidated, 50.0);
        QCOMPARE(e.ledger(Liquidation::Side::Short).closed, 0.0); // −3 + min(50, 3) = 0: no close
        QCOMPARE(e.ledger(Liquidation::Side::Long).opened + e.ledger(Liquidation::Side::Short).opened, 100.0);

        // A realised tape is used as is: −3 + 1 = −2 closes two coins.
        HeatmapEngine r(crafted({{100, 1}}));
        HeatmapBar s0 = flatBar(0, 100'000, 100);
        s0.hasRealizedLiquidations = true;
        r.step(s0);
        HeatmapBar s1 = flatBar(1, 100'000, 97);
        s1.hasRealizedLiquidations = true;
        s1.realizedLiquidationQty = 1;
        r.step(s1);
        QVERIFY(qFuzzyCompare(r.ledger(Liquidation::Side::Long).closed + r.ledger(Liquidation::Side::Short).closed, 2.0));
        // And a tape that exceeds the drop means openings: −3 + 5 = +2.
        HeatmapBar s2 = flatBar(2, 100'000, 94);
        s2.hasRealizedLiquidations = true;
        s2.realizedLiquidationQty = 5;
        const double before = r.ledger(Liquidation::Side::Long).opened + r.ledger(Liquidation::Side::Short).opened;
        r.step(s2);
        QVERIFY(qFuzzyCompare(r.ledger(Liquidation::Side::Long).opened + r.ledger(Liquidation::Side::Short).opened - before, 2.0));
    }

    void fundingErosionMovesLevels()
    {
        HeatmapParams p = crafted();
        p.fundingErosion = true;
        HeatmapEngine e(p);
        e.step(flatBar(0, 100'000, 10));
        HeatmapBar f = flatBar(1, 100'000, 10);
        f.hasFunding = true;
        f.fundingRate = 0.001; // longs pay 100 USD per coin
        e.step(f);
        double lp = 0, sp = 0;
        e.book(Liquidation::Side::Long).forEachCohort([&](double p, double, qint32, quint16) { lp = p; });
        e.book(Liquidation::Side::Short).forEachCohort([&](double p, double, qint32, quint16) { sp = p; });
        QVERIFY(std::abs(lp - (LiquidationPrice::forLong(100'000, 50, 10'000).price + 100 / 0.996)) < 1e-6);
        QVERIFY(std::abs(sp - (LiquidationPrice::forShort(100'000, 50, 10'000).price + 100 / 1.004)) < 1e-6);
        // Same as the formula with the funding paid as a fraction of entry.
        QVERIFY(std::abs(lp - LiquidationPrice::forLong(100'000, 50, 10'000, LiquidationPrice::binanceBtcUsdt(), 0, 0.001).price) < 1e-6);
    }

    void decayAndLookbackExpiry()
    {
        HeatmapParams p = crafted({{5, 1}});
        p.decayHalfLifeHours = 1;
        HeatmapEngine e(p);
        e.step(flatBar(0, 100'000, 10));
        for (int i = 1; i <= 60; ++i)
            e.step(flatBar(i, 100'000, 10));
        // 61 bars of decay (the seed bar too): 10 · 2^(−61/60).
        QVERIFY(std::abs(totalQty(e) - 10 * std::pow(0.5, 61.0 / 60)) < 1e-9);

        HeatmapParams q = crafted({{5, 1}});
        q.lookbackHours = 2;
        HeatmapEngine x(q);
        for (int i = 0; i < 119; ++i)
            x.step(flatBar(i, 100'000, 10)); // the state at 01:59
        QCOMPARE(totalQty(x), 10.0);
        x.step(flatBar(119, 100'000, 10)); // ends 02:00: created in hour 0, now two hours old
        QCOMPARE(totalQty(x), 0.0);
        QCOMPARE(x.ledger(Liquidation::Side::Long).expired, 5.0);
    }

    void farLevelsAreDropped()
    {
        HeatmapParams p = crafted({{5, 1}});
        p.maxDistance = 0.1; // 5x levels sit ~20 % away
        HeatmapEngine e(p);
        for (int i = 0; i < 60; ++i)
            e.step(flatBar(i, 100'000, 10));
        QCOMPARE(totalQty(e), 0.0);
        QCOMPARE(e.ledger(Liquidation::Side::Long).outside, 5.0);
    }

    void engineMatchesTheNaiveReference_data()
    {
        QTest::addColumn<HeatmapParams>("params");
        QTest::addColumn<bool>("tape");
        // The reference has no turnover (tested on its own in turnoverKeepsTheLongLivedLevels).
        HeatmapParams base;
        base.levelResolution = 0;
        base.holdSigmas = 0;
        QTest::newRow("defaults") << base << false;
        QTest::newRow("defaults with tape") << base << true;
        HeatmapParams high = *HeatmapParams::preset(QStringLiteral("high_leverage"));
        high.levelResolution = 0;
        high.holdSigmas = 0;
        QTest::newRow("high_leverage") << high << false;
        HeatmapParams busy = base;
        busy.decayHalfLifeHours = 5;
        busy.lookbackHours = 6;
        busy.passiveShare = 0.3;
        busy.sizes = {{20'000, 0.6}, {400'000, 0.3}, {3'000'000, 0.1}};
        busy.maxDistance = 0.05;
        busy.consumeOnMark = false;
        QTest::newRow("decay, short look-back, passive, size brackets") << busy << true;
        HeatmapParams one = base;
        one.subEntries = 1;
        one.fundingErosion = false;
        one.binStep = 0.0025;
        QTest::newRow("vwap entries, wide bins") << one << false;
    }

    void engineMatchesTheNaiveReference()
    {
        QFETCH(HeatmapParams, params);
        QFETCH(bool, tape);
        const auto bars = randomBars(7, 2500, tape);
        HeatmapEngine engine(params);
        NaiveHeatmapEngine naive(params);
        QVector<PredictedLiquidation> a, b;
        for (qsizetype i = 0; i < bars.size(); ++i) {
            a.clear();
            b.clear();
            engine.step(bars[i], &a);
            naive.step(bars[i], &b);
            QCOMPARE(a.size(), b.size());
            double qa = 0, qb = 0;
            for (const auto &x : std::as_const(a))
                qa += x.qty;
            for (const auto &x : std::as_const(b))
                qb += x.qty;
            QVERIFY(std::abs(qa - qb) <= 1e-9 * std::max(qa, qb) + 1e-12);
            if (i % 50 == 0 || i + 1 == bars.size()) {
                QString why;
                QVERIFY2(sameBins(engineBins(engine, Liquidation::Side::Long), naive.bins(0), &why), qPrintable(QStringLiteral("bar %1 long %2").arg(i).arg(why)));
                QVERIFY2(sameBins(engineBins(engine, Liquidation::Side::Short), naive.bins(1), &why), qPrintable(QStringLiteral("bar %1 short %2").arg(i).arg(why)));
            }
        }
        QVERIFY(engine.book(Liquidation::Side::Long).cohortCount() > 0);
        QVERIFY(engine.ledger(Liquidation::Side::Long).liquidated > 0);
    }

    void venueTiersMoveTheLevels()
    {
        // Positions opened at a flat 100 while open interest grows, computed with Binance's
        // default schedule (0.4 % below 50k) and with a venue's 0.6 % one: with the higher
        // maintenance rate longs are liquidated higher and shorts lower, every leverage kind
        // of them (100x by 0.2 %), so each side's notional-weighted level moves toward the price.
        HeatmapParams p;
        p.holdSigmas = 0; // no turnover: the same positions in both books
        p.fundingErosion = false;
        p.decayHalfLifeHours = 0;
        QVector<HeatmapBar> bars;
        for (int i = 0; i < 240; ++i) {
            HeatmapBar b;
            b.ts = 1'767'225'600'000 + i * 60'000LL;
            b.open = b.close = b.vwap = 100;
            b.high = 100.02;
            b.low = 99.98;
            b.markOpen = b.markClose = 100;
            b.markHigh = 100.02;
            b.markLow = 99.98;
            b.volume = 1000;
            b.takerBuyVolume = 500;
            b.openInterest = 10'000 + 50.0 * i;
            b.hasOpenInterest = true;
            bars << b;
        }
        const QVector<LiquidationPrice::Bracket> venue = {{0, 1e8, 0.006, 0, 100}, {1e8, 1e9, 0.01, 400'000, 50}};
        HeatmapEngine binance(p), other(p, venue);
        for (const HeatmapBar &b : std::as_const(bars)) {
            binance.step(b);
            other.step(b);
        }
        const auto mean = [](const HeatmapEngine &e, Liquidation::Side side) {
            const auto [low, high] = e.book(side).binRange();
            const LogPriceGrid &grid = e.book(side).grid();
            double w = 0, sum = 0;
            e.book(side).forEachBin(low, high, [&](int bin, double usd) {
                w += usd;
                sum += usd * (grid.lowerEdge(bin) + grid.upperEdge(bin)) / 2;
            });
            return w > 0 ? sum / w : 0.0;
        };
        const double longBinance = mean(binance, Liquidation::Side::Long), longOther = mean(other, Liquidation::Side::Long);
        const double shortBinance = mean(binance, Liquidation::Side::Short), shortOther = mean(other, Liquidation::Side::Short);
        QVERIFY(longBinance > 0 && longBinance < 100 && shortBinance > 100);
        QVERIFY2(longOther > longBinance + 0.1, qPrintable(QStringLiteral("longs %1 -> %2").arg(longBinance).arg(longOther)));
        QVERIFY2(shortOther < shortBinance - 0.1, qPrintable(QStringLiteral("shorts %1 -> %2").arg(shortBinance).arg(shortOther)));
    }

    void consumedLevelsNeverReappear()
    {
        // In the reference (which the engine matches bin for bin), every live level has not
        // been crossed since the bar after its creation, and every consumed one was crossed
        // in the bar that consumed it. (Funding erosion off: it moves levels after the fact.)
        HeatmapParams p;
        p.levelResolution = 0;
        p.fundingErosion = false;
        p.holdSigmas = 0;
        const auto bars = randomBars(11, 3000, false);
        NaiveHeatmapEngine naive(p);
        HeatmapEngine engine(p);
        for (const HeatmapBar &bar : bars) {
            QVector<PredictedLiquidation> events;
            naive.step(bar, &events);
            for (const auto &c : std::as_const(naive.cohorts))
                if (c.createdBar < naive.bars - 1)
                    QVERIFY(c.side == 0 ? c.extremeSince > c.price : c.extremeSince < c.price);
            for (const auto &ev : std::as_const(events))
                QVERIFY(ev.side == Liquidation::Side::Long ? ev.price >= bar.markLow : ev.price <= bar.markHigh);

            // The engine directly: after a bar, whatever sits at or beyond the bar's extreme was
            // created in that bar.
            const double openedBefore = engine.ledger(Liquidation::Side::Long).opened + engine.ledger(Liquidation::Side::Short).opened;
            engine.step(bar);
            const double openedNow = engine.ledger(Liquidation::Side::Long).opened + engine.ledger(Liquidation::Side::Short).opened - openedBefore;
            double beyond = 0;
            engine.book(Liquidation::Side::Long).forEachCohort([&](double price, double q, qint32, quint16) {
                if (price >= bar.markLow)
                    beyond += q;
            });
            engine.book(Liquidation::Side::Short).forEachCohort([&](double price, double q, qint32, quint16) {
                if (price <= bar.markHigh)
                    beyond += q;
            });
            QVERIFY(beyond <= openedNow * (1 + 1e-9) + 1e-12);
        }
    }

    void ledgerBalancesOnRandomInputs_data()
    {
        QTest::addColumn<HeatmapParams>("params");
        QTest::addColumn<quint64>("seed");
        HeatmapParams d;
        QTest::newRow("defaults (merging on)") << d << quint64(1);
        HeatmapParams x = d;
        x.decayHalfLifeHours = 3;
        x.lookbackHours = 4;
        x.passiveShare = 0.5;
        x.maxDistance = 0.03;
        QTest::newRow("everything on") << x << quint64(2);
        QTest::newRow("high_leverage") << *HeatmapParams::preset(QStringLiteral("high_leverage")) << quint64(3);
    }

    void ledgerBalancesOnRandomInputs()
    {
        QFETCH(HeatmapParams, params);
        QFETCH(quint64, seed);
        HeatmapEngine e(params);
        for (const HeatmapBar &bar : randomBars(seed, 4000, seed % 2 == 0)) {
            e.step(bar);
            for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short}) {
                const double live = e.book(side).quantity(), expected = e.ledger(side).expectedLive();
                QVERIFY2(std::abs(live - expected) <= 1e-9 * e.ledger(side).opened,
                         qPrintable(QStringLiteral("%1 vs %2").arg(live, 0, 'g', 17).arg(expected, 0, 'g', 17)));
                QVERIFY(live >= 0);
            }
        }
    }

    void totalQuantityTracksOpenInterest()
    {
        // With no level reachable (calm bars), no decay and a long look-back, the model's
        // positions change by exactly the OI change every bar: total == OI.
        std::mt19937_64 rng(3);
        std::normal_distribution<double> n(0, 1);
        std::uniform_real_distribution<double> u(0, 1);
        HeatmapParams p;
        p.fundingErosion = false;
        p.holdSigmas = 0; // turnover reopens an hour's closes over the next hour: total follows OI only on average
        p.initialPrior = HeatmapParams::InitialPrior::FirstBar; // no level within reach of the calm path
        HeatmapEngine e(p);
        double oi = 10'000;
        for (int i = 0; i < 3000; ++i) {
            HeatmapBar b = flatBar(i, 100'000 * (1 + 0.0005 * std::sin(i / 30.0)), oi);
            b.high = b.markHigh = b.close * 1.0002;
            b.low = b.markLow = b.close * 0.9998;
            b.takerBuyVolume = b.volume * (0.3 + 0.4 * u(rng));
            e.step(b);
            QVERIFY2(std::abs(totalQty(e) - oi) <= 1e-9 * oi, qPrintable(QStringLiteral("bar %1: %2 vs %3").arg(i).arg(totalQty(e)).arg(oi)));
            oi += 2 * n(rng);
        }
        QCOMPARE(e.ledger(Liquidation::Side::Long).liquidated, 0.0);
    }

    void turnoverKeepsTheLongLivedLevels()
    {
        // New positions half 5x, half 100x, OI flat for two days at 3 % daily volatility: a
        // 100x position is held minutes, a 5x one about a week, so the standing book is
        // almost all 5x; what turns over is reopened, so the book still holds the OI, and
        // every closed quantity is in the ledger.
        HeatmapParams p = crafted({{5, 0.5}, {100, 0.5}});
        p.holdSigmas = 2.5;
        p.priorDailyVolatility = 0.03;
        HeatmapEngine e(p);
        const double oi = 10'000;
        for (int i = 0; i < 48 * 60; ++i) {
            // Alternating closes keep the estimated daily σ at 3 %.
            const double r = 0.03 / std::sqrt(1440.0) * (i % 2 ? 1 : -1);
            HeatmapBar b = flatBar(i, 100'000 * std::exp(i % 2 ? r : 0), oi);
            e.step(b);
            for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short})
                QVERIFY(std::abs(e.book(side).quantity() - e.ledger(side).expectedLive()) <= 1e-9 * e.ledger(side).opened);
        }
        double high = 0, all = 0;
        for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short})
            e.book(side).forEachCohort([&](double, double qty, qint32, quint16 kind) {
                all += qty;
                if (e.leverageOfKind(kind) >= 100)
                    high += qty;
            });
        QVERIFY2(high / all < 0.01, qPrintable(QString::number(high / all)));
        // The last bar ended an hour: its closes are reopened over the next hour, not yet.
        QVERIFY2(std::abs(all / oi - 1) < 0.03, qPrintable(QString::number(all / oi)));
        QVERIFY(e.ledger(Liquidation::Side::Long).closed > 0.4 * oi); // the 100x half, closed and reopened every hour
        QCOMPARE(e.ledger(Liquidation::Side::Long).liquidated, 0.0);

        // Without turnover the first sample's 100x half would still be there.
        p.holdSigmas = 0;
        HeatmapEngine still(p);
        for (int i = 0; i < 48 * 60; ++i)
            still.step(flatBar(i, 100'000, oi));
        double stillHigh = 0;
        still.book(Liquidation::Side::Long).forEachCohort([&](double, double qty, qint32, quint16 kind) {
            if (still.leverageOfKind(kind) >= 100)
                stillHigh += qty;
        });
        QVERIFY(std::abs(stillHigh - 0.25 * oi) < 1e-6 * oi);
    }

    void mergingLevelsChangesLittle()
    {
        // Same-hour levels of a tier within 0.01 % merge; the map barely changes.
        HeatmapParams exact;
        exact.levelResolution = 0;
        HeatmapParams merged;
        HeatmapEngine a(exact), b(merged);
        for (const HeatmapBar &bar : randomBars(21, 5000, false, 0.0005)) {
            a.step(bar);
            b.step(bar);
        }
        QVERIFY(b.book(Liquidation::Side::Long).cohortCount() * 2 < a.book(Liquidation::Side::Long).cohortCount());
        for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short}) {
            const double na = a.book(side).notional(), nb = b.book(side).notional();
            QVERIFY2(std::abs(na - nb) < 0.01 * na, qPrintable(QStringLiteral("%1 vs %2").arg(na).arg(nb)));
            // Earth mover's distance between the two maps, in bins.
            const auto ba = engineBins(a, side), bb = engineBins(b, side);
            int lo = std::min(ba.firstKey(), bb.firstKey()), hi = std::max(ba.lastKey(), bb.lastKey());
            double ca = 0, cb = 0, emd = 0;
            for (int k = lo; k <= hi; ++k) {
                ca += ba.value(k) / na;
                cb += bb.value(k) / nb;
                emd += std::abs(ca - cb);
            }
            QVERIFY2(emd < 0.5, qPrintable(QString::number(emd)));
        }
    }

    void copiesAreIndependentCheckpoints()
    {
        const auto bars = randomBars(4, 1200, false);
        HeatmapEngine e{HeatmapParams()};
        for (int i = 0; i < 600; ++i)
            e.step(bars[i]);
        HeatmapEngine checkpoint = e;
        for (int i = 600; i < 1200; ++i)
            e.step(bars[i]);
        for (int i = 600; i < 1200; ++i)
            checkpoint.step(bars[i]);
        QString why;
        QVERIFY(sameBins(engineBins(e, Liquidation::Side::Long), engineBins(checkpoint, Liquidation::Side::Long), &why));
        QCOMPARE(checkpoint.time(), e.time());
    }
};

QTEST_GUILESS_MAIN(TestHeatmapEngine)
#include "tst_heatmapengine.moc"
