#include "analysis/rangeanalysis.h"
#include "analysis/rangefigures.h"
#include "analysis/verdict.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QJsonArray>

// A crafted market over `minutes`: price and OI follow piecewise-linear paths through their
// knots (equally spaced), predicted funding moves linearly from f0 to f1, liquidations of
// liqUsd are spread evenly on `side`. What is covered (and how) is part of the scenario.
struct Scenario
{
    QVector<double> price, oi;
    double f0 = 0.0001, f1 = 0.0001, liqUsd = 0;
    Liquidation::Side side = Liquidation::Side::Long;
    bool oiCovered = true;
    bool takerBuy = true; // the candles' source gave taker-buy volume (Bybit and OKX do not)
    std::optional<CoverageQuality> liquidations = CoverageQuality::Complete;
    int minutes = 720;
};

Q_DECLARE_METATYPE(Scenario)

class TestRangeAnalysis : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 minute = 60'000;
    const Instrument m_i{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};

    static double along(const QVector<double> &knots, double a)
    {
        if (knots.size() == 1)
            return knots[0];
        const double at = a * double(knots.size() - 1);
        const int k = std::min(int(at), int(knots.size()) - 2);
        return knots[k] + (knots[k + 1] - knots[k]) * (at - k);
    }

    QString craft(const Scenario &s)
    {
        const QString path = m_dir.filePath(QStringLiteral("crafted%1.db").arg(++m_count));
        MarketBatch b;
        b.instrument = m_i;
        int seq = 0;
        const int n = s.minutes;
        for (int i = 0; i < n; ++i) {
            const double a = double(i) / (n - 1);
            const double open = along(s.price, i == 0 ? 0 : double(i - 1) / (n - 1));
            const double close = along(s.price, a);
            const qint64 ts = t0 + i * minute;
            const double buy = close >= open ? 6 : 4;
            b.candles.push_back({ts, open, std::max(open, close) * 1.0005, std::min(open, close) * 0.9995, close, 10, 10 * close, buy});
            const double oi = along(s.oi, a);
            b.openInterest.push_back({ts, oi, oi * close});
            b.predictedFunding.push_back({ts, s.f0 + (s.f1 - s.f0) * a, 8});
            if (s.liqUsd > 0 && i % 10 == 5)
                b.liquidations.push_back({ts + 1500, seq++, s.side, close, s.liqUsd / (n / 10) / close, true});
        }
        b.funding = {{t0 + 8 * 3600'000, s.f0, 8}};
        const TimeRange all{t0, t0 + n * minute};
        b.cover(DataKind::Candles, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
        if (s.takerBuy)
            b.cover(DataKind::TakerBuy, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
        b.cover(DataKind::PredictedFunding, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
        b.cover(DataKind::Funding, all, CoverageQuality::Complete, 8 * 3600'000, QStringLiteral("test"));
        if (s.oiCovered)
            b.cover(DataKind::OpenInterest, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
        if (s.liquidations)
            b.cover(DataKind::Liquidations, all, *s.liquidations, *s.liquidations == CoverageQuality::Sampled ? 1000 : 0, QStringLiteral("test"));
        MarketStore::open(path).writer()->commit(b);
        return path;
    }

    RangeAnalysis::Result analyze(const QString &path, TimeRange r = {t0, t0 + 720 * minute})
    {
        auto reader = MarketStore::openExisting(path).reader();
        return RangeAnalysis(*reader).analyze(m_i, r);
    }

    static QString explain(const RangeAnalysis::Result &r)
    {
        return RangeAnalysis::verdictName(r.verdict) + QLatin1Char('/') + RangeAnalysis::confidenceName(r.confidence) + QStringLiteral(": ")
            + r.reasons.join(QStringLiteral("; "));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void figuresEqualBruteForceOverStoredRows()
    {
        const QString path = m_dir.filePath(QStringLiteral("synthetic.db"));
        SyntheticSource::Params p;
        p.startMs = t0;
        p.minutes = 12 * 1440;
        p.seed = 5;
        SyntheticSource source(p);
        MarketStore::open(path).writer()->commit(source.generate(p.minutes));
        auto reader = MarketStore::openExisting(path).reader();
        const Instrument i = p.instrument;
        const auto bars = reader->candles(i, Timeframe::M1, {0, t0 * 2});
        const auto liqs = reader->liquidations(i, {0, t0 * 2});
        std::mt19937_64 rng(8);
        std::uniform_int_distribution<qint64> offset(0, 11LL * 86'400'000);
        std::uniform_int_distribution<qint64> length(3 * 60'000, 6LL * 86'400'000);
        for (int k = 0; k < 25; ++k) {
            const qint64 from = t0 + offset(rng);
            const TimeRange r{from, std::min(from + length(rng), t0 + 12 * 86'400'000LL)};
            const auto got = RangeAnalysis(*reader).analyze(i, r);
            // Brute force: bars whose open time lies in the range (minute resolution).
            double open = 0, close = 0, high = -1, low = 1e300, buy = 0, volume = 0;
            bool first = true;
            const qint64 lo = Timeframes::floor(Timeframe::M1, r.from + 59'999), hi = Timeframes::floor(Timeframe::M1, r.to + 59'999);
            for (const Candle &c : bars) {
                if (c.ts < lo || c.ts >= hi)
                    continue;
                if (first)
                    open = c.open;
                first = false;
                close = c.close;
                high = std::max(high, c.high);
                low = std::min(low, c.low);
                buy += c.takerBuyVolume;
                volume += c.volume;
            }
            QCOMPARE(got.priceOpen, open);
            QCOMPARE(got.priceClose, close);
            QCOMPARE(got.high, high);
            QCOMPARE(got.low, low);
            QVERIFY(std::abs(*got.cvdCoins - (2 * buy - volume)) <= 1e-6 * volume);
            double longUsd = 0, largest = 0;
            int longCount = 0;
            for (const Liquidation &l : liqs)
                if (l.ts >= lo && l.ts < hi) {
                    longUsd += l.notional();
                    ++longCount;
                    largest = std::max(largest, l.notional());
                }
            QCOMPARE(*got.longLiqCount, longCount);
            QVERIFY(std::abs(*got.longLiqUsd - longUsd) <= 1e-9 * (1 + longUsd));
            QCOMPARE(*got.largestLiqUsd, largest);
            QCOMPARE(*got.oiStart, reader->openInterestAt(i, r.from)->openInterest);
            QCOMPARE(*got.oiEnd, reader->openInterestAt(i, r.to - 1)->openInterest);
            // The largest fall from a running peak, over the samples of the range.
            double peak = *got.oiStart, fall = 0;
            for (const OpenInterestSample &o : reader->openInterest(i, r)) {
                peak = std::max(peak, o.openInterest);
                fall = std::min(fall, o.openInterest / peak - 1);
            }
            QVERIFY2(*got.oiPeakToTroughPct <= fall * 100 + 1e-9, qPrintable(QStringLiteral("%1 vs %2").arg(*got.oiPeakToTroughPct).arg(fall * 100)));
            double paid = 0;
            const auto settlements = reader->funding(i, r);
            for (const FundingSample &f : settlements)
                paid += f.rate * reader->openInterestAt(i, f.ts)->openInterestUsd;
            QCOMPARE(got.fundingSettlements, int(settlements.size()));
            QVERIFY(std::abs(*got.fundingPaidUsd - paid) <= 1e-9 * (1 + std::abs(paid)));
            QVERIFY(*got.realizedVolPct > 0);
            QCOMPARE(got.coverage.liquidations.quality, std::optional(CoverageQuality::Complete));
            QVERIFY(got.coverage.openInterest.isKnown());
        }
    }

    void verdicts_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("verdict");
        const double oi = 80'000;
        Scenario s;
        s = {{100'000, 92'000}, {oi, 68'000}, 0.0002, -0.0001, 0.03 * 8e9};
        QTest::newRow("flush: OI collapses with the drop, longs liquidated, funding cools") << s << QStringLiteral("flush");
        s = {{100'000, 94'000}, {oi, 76'000}, 0.0002, 0.0002, 0.01 * 8e9};
        QTest::newRow("partial: OI cleared, funding still elevated") << s << QStringLiteral("partial_flush");
        s = {{100'000, 94'000}, {oi, 76'000}, 0.0001, 0.00005, 0.0002 * 8e9};
        QTest::newRow("partial: OI cleared, few forced closes") << s << QStringLiteral("partial_flush");
        s = {{100'000, 95'000}, {oi, 80'800}, 0.0002, 0.00015, 0.001 * 8e9};
        QTest::newRow("still loaded: OI holds, funding elevated") << s << QStringLiteral("still_loaded");
        s = {{100'000, 97'000}, {oi, 82'400}, 0.00005, -0.00003, 0.0005 * 8e9};
        QTest::newRow("still loaded: shorts added into the drop") << s << QStringLiteral("still_loaded");
        s = {{100'000, 95'000}, {oi, 79'800}, 0.0001, 0.0001, 0};
        QTest::newRow("spot-led: no OI or liquidation footprint") << s << QStringLiteral("spot_led");
        s = {{100'000, 100'300}, {oi, 80'500}, 0.0001, 0.0001, 0};
        QTest::newRow("quiet") << s << QStringLiteral("quiet");
        s = {{100'000, 100'200}, {oi, 75'840}, 0.0001, 0.00005, 0.0008 * 8e9};
        QTest::newRow("deleveraging: OI -5.2 % with price flat") << s << QStringLiteral("deleveraging");
        s = {{100'000, 108'000}, {oi, 70'000}, -0.0003, 0.0001, 0.02 * 8e9, Liquidation::Side::Short};
        QTest::newRow("squeeze: OI cleared with the rally, shorts liquidated") << s << QStringLiteral("squeeze");
        // The path, not the ends: a -10 % crash liquidates 39 % of OI, OI is rebuilt on the bounce.
        s = {{100'000, 96'000, 90'000, 93'000}, {oi, oi * 0.8, oi * 0.61, oi * 0.96}, 0.0002, 0.00002, 0.39 * 8e9};
        QTest::newRow("crash with OI rebuilt by the end is a flush") << s << QStringLiteral("flush");
        // A whipsaw: down 1.4 %, back up, OI unchanged, some of both sides liquidated.
        s = {{100'000, 98'600, 99'900}, {oi, oi * 0.995, oi * 1.002}, 0.0001, 0.0001, 0.001 * 8e9};
        QTest::newRow("whipsaw is not a flush") << s << QStringLiteral("quiet");
    }

    void verdicts()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, verdict);
        const auto r = analyze(craft(scenario));
        QVERIFY2(RangeAnalysis::verdictName(r.verdict) == verdict, qPrintable(explain(r)));
        QVERIFY(r.reasons.size() >= 5);
        // No trailing history here: fixed thresholds, so never more than medium confidence.
        QVERIFY(!r.thresholds.move.fromHistory);
        QVERIFY2(r.confidence <= RangeAnalysis::Confidence::Medium, qPrintable(explain(r)));
        // Reasons name coins and USD for open interest.
        QVERIFY2(r.reasons.join(QLatin1Char(' ')).contains(QLatin1String("in coins")), qPrintable(explain(r)));
        const QJsonObject j = r.toJson();
        for (const char *key : {"from", "to", "price_open", "price_close", "price_change_pct", "high", "low", "oi_start", "oi_end", "oi_change_pct",
                                "oi_change_usd_pct", "oi_peak_to_trough_pct", "cvd_coins", "cvd_usd", "funding_start", "funding_end", "funding_min",
                                "funding_max", "funding_mean", "funding_paid_usd", "long_liq_usd", "short_liq_usd", "liq_count", "zones_consumed",
                                "coverage", "thresholds", "verdict", "confidence", "reasons"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        QCOMPARE(j.value(QLatin1String("verdict")).toString(), verdict);
    }

    void unknownIsNotZero()
    {
        // A clear flush, but no source recorded liquidations: they are null, not 0, and the
        // verdict cannot be more than low confidence.
        Scenario s{{100'000, 92'000}, {80'000, 68'000}, 0.0002, -0.0001, 0};
        s.liquidations.reset();
        const auto r = analyze(craft(s));
        QCOMPARE(r.verdict, RangeAnalysis::Verdict::Flush);
        QCOMPARE(r.confidence, RangeAnalysis::Confidence::Low);
        const QJsonObject j = r.toJson();
        for (const char *key : {"long_liq_usd", "short_liq_usd", "liq_count", "largest_liq_usd", "long_liq_share_of_oi"})
            QVERIFY2(j.value(QLatin1String(key)).isNull(), key);
        const QJsonObject cov = j.value(QLatin1String("coverage")).toObject().value(QLatin1String("liquidations")).toObject();
        QCOMPARE(cov.value(QLatin1String("covered_share")).toDouble(), 0.0);
        QVERIFY(cov.value(QLatin1String("quality")).isNull());
        QCOMPARE(RangeFigures::longLiquidations(r), RangeFigures::noData);
        QVERIFY2(r.reasons.join(QLatin1Char(' ')).contains(QLatin1String("unknown, not zero")), qPrintable(explain(r)));

        // Sampled liquidations: at most medium, and the figures say so.
        Scenario sampled{{100'000, 92'000}, {80'000, 68'000}, 0.0002, -0.0001, 0.03 * 8e9};
        sampled.liquidations = CoverageQuality::Sampled;
        const auto q = analyze(craft(sampled));
        QCOMPARE(q.verdict, RangeAnalysis::Verdict::Flush);
        QVERIFY(q.confidence <= RangeAnalysis::Confidence::Medium);
        QVERIFY2(RangeFigures::longLiquidations(q).contains(QLatin1String("sampled")), qPrintable(RangeFigures::longLiquidations(q)));
    }

    // Regression: bars of a venue without taker-buy volume store 0 there; the analysis read
    // that as "takers sold everything" whenever the sum of buys was not 0 elsewhere, and as
    // a silent unknown otherwise. Now coverage.taker_buy decides: none, partial or full.
    void takerFlowWithoutTakerBuysIsUnknown()
    {
        Scenario s{{100'000, 92'000}, {80'000, 68'000}, 0.0002, -0.0001, 0.03 * 8e9};
        const auto known = analyze(craft(s));
        QVERIFY(known.cvdCoins && known.takerBuyShare);
        QVERIFY(known.coverage.takerBuy.isKnown());
        s.takerBuy = false;
        const auto r = analyze(craft(s));
        QVERIFY(!r.cvdCoins && !r.cvdUsd && !r.takerBuyShare);
        QCOMPARE(r.verdict, known.verdict); // the verdict does not hang on taker flow
        const QJsonObject j = r.toJson();
        for (const char *key : {"cvd_coins", "cvd_usd", "taker_buy_share"})
            QVERIFY2(j.value(QLatin1String(key)).isNull(), key);
        const QJsonObject cov = j.value(QLatin1String("coverage")).toObject().value(QLatin1String("taker_buy")).toObject();
        QCOMPARE(cov.value(QLatin1String("covered_share")).toDouble(-1), 0.0);
        QCOMPARE(RangeFigures::takerFlow(r), QStringLiteral("unknown (the source's candles carry no taker-buy volume)"));
        QVERIFY2(!r.reasons.join(QLatin1Char(' ')).contains(QLatin1String("taker flow")), qPrintable(explain(r)));

        // Taker buys over the first half only: not a figure for the whole range.
        const QString path = craft(s);
        {
            MarketBatch b;
            b.instrument = m_i;
            b.cover(DataKind::TakerBuy, {t0, t0 + 360 * minute}, CoverageQuality::Complete, minute, QStringLiteral("test"));
            MarketStore::openExisting(path).writer()->commit(b);
        }
        const auto half = analyze(path);
        QVERIFY(!half.cvdCoins);
        QVERIFY(std::abs(half.coverage.takerBuy.share - 0.5) < 1e-9);
        QVERIFY2(RangeFigures::takerFlow(half).contains(QLatin1String("50%")), qPrintable(RangeFigures::takerFlow(half)));
        QVERIFY(analyze(path, {t0, t0 + 360 * minute}).cvdCoins); // where it is covered, it is known
    }

    void withoutOpenInterestTheDataIsInsufficient()
    {
        Scenario s{{100'000, 96'700}, {80'000, 82'000}};
        s.oiCovered = false; // the rows exist, but no source said it covered them
        auto r = analyze(craft(s));
        QCOMPARE(r.verdict, RangeAnalysis::Verdict::InsufficientData);
        QVERIFY(r.toJson().value(QLatin1String("oi_start")).isNull());
        QVERIFY(r.toJson().value(QLatin1String("oi_change_pct")).isNull());
        QCOMPARE(RangeFigures::openInterest(r), RangeFigures::noData);
        QVERIFY2(r.reasons.join(QLatin1Char(' ')).contains(QLatin1String("no open-interest data")), qPrintable(explain(r)));
    }

    void staleEdgesAreNotUsed()
    {
        // Open interest stops after two hours (a hole between files): at the end of the range
        // the last sample is ten hours old.
        const QString path = craft({{100'000, 96'000}, {80'000, 79'000}});
        {
            auto w = MarketStore::openExisting(path).writer();
            w->clearSeries(m_i);
        }
        MarketBatch b;
        b.instrument = m_i;
        for (int i = 0; i < 720; ++i) {
            const qint64 ts = t0 + i * minute;
            const double p = 100'000 - i * 5.0;
            b.candles.push_back({ts, p, p + 10, p - 10, p - 5, 10, 10 * p, 5});
            if (i < 120)
                b.openInterest.push_back({ts, 80'000.0 - i, (80'000.0 - i) * p});
        }
        b.cover(DataKind::Candles, {t0, t0 + 720 * minute}, CoverageQuality::Complete, minute, QStringLiteral("import"));
        b.cover(DataKind::OpenInterest, {t0, t0 + 120 * minute}, CoverageQuality::Complete, 5 * minute, QStringLiteral("import"));
        MarketStore::openExisting(path).writer()->commit(b);
        const auto r = analyze(path);
        QCOMPARE(r.verdict, RangeAnalysis::Verdict::InsufficientData);
        QVERIFY(r.coverage.openInterest.endStale);
        QCOMPARE(*r.coverage.openInterest.endAgeMs, 601 * minute - 1);
        QVERIFY(!r.oiEnd);
        const QJsonObject cov = r.toJson().value(QLatin1String("coverage")).toObject().value(QLatin1String("oi")).toObject();
        QCOMPARE(cov.value(QLatin1String("end_stale")).toBool(), true);
        QCOMPARE(cov.value(QLatin1String("start_age_ms")).toDouble(), 0.0);
        QVERIFY2(RangeFigures::openInterest(r).startsWith(QLatin1String("stale")), qPrintable(RangeFigures::openInterest(r)));
        // The first two hours alone are fine.
        const auto early = analyze(path, {t0, t0 + 110 * minute});
        QVERIFY(early.oiEnd.has_value());
    }

    void thresholdsComeFromTheInstrumentsOwnHistory()
    {
        // Twenty days of history whose 12 h OI changes are small (calm) or large (wild), then the
        // same 12 h range: OI -2 % with price -3 %. Meaningful for the calm one, not for the wild one.
        const auto build = [&](double oiSwing) {
            const QString path = m_dir.filePath(QStringLiteral("history%1.db").arg(++m_count));
            auto w = MarketStore::open(path).writer();
            const qint64 start = t0 - 20 * 86'400'000LL;
            std::mt19937_64 rng(11);
            std::normal_distribution<double> n(0, 1);
            double p = 100'000, oi = 80'000;
            MarketBatch b;
            b.instrument = m_i;
            for (qint64 ts = start; ts < t0 + 720 * minute; ts += minute) {
                const bool range = ts >= t0;
                const double open = p;
                p *= range ? std::pow(0.97, 1.0 / 720) : std::exp(0.0004 * n(rng));
                oi *= range ? std::pow(0.98, 1.0 / 720) : std::exp(oiSwing * n(rng));
                b.candles.push_back({ts, open, std::max(open, p) * 1.0002, std::min(open, p) * 0.9998, p, 10, 10 * p, 5});
                b.openInterest.push_back({ts, oi, oi * p});
                b.predictedFunding.push_back({ts, 0.00005 + 0.00002 * n(rng), 8});
            }
            const TimeRange all{start, t0 + 720 * minute};
            for (DataKind k : {DataKind::Candles, DataKind::TakerBuy, DataKind::OpenInterest, DataKind::PredictedFunding})
                b.cover(k, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
            b.cover(DataKind::Liquidations, all, CoverageQuality::Complete, 0, QStringLiteral("test"));
            w->commit(b);
            return analyze(path);
        };
        const auto calm = build(0.0001);
        const auto wild = build(0.002);
        QVERIFY(calm.thresholds.oiCleared.fromHistory && wild.thresholds.oiCleared.fromHistory);
        QVERIFY2(calm.thresholds.oiCleared.windows >= 100, qPrintable(QString::number(calm.thresholds.oiCleared.windows)));
        QVERIFY2(calm.thresholds.oiCleared.value > -0.02 && wild.thresholds.oiCleared.value < -0.02,
                 qPrintable(QStringLiteral("%1 %2").arg(calm.thresholds.oiCleared.value).arg(wild.thresholds.oiCleared.value)));
        QVERIFY2(calm.verdict == RangeAnalysis::Verdict::Flush || calm.verdict == RangeAnalysis::Verdict::PartialFlush, qPrintable(explain(calm)));
        QVERIFY2(wild.verdict == RangeAnalysis::Verdict::StillLoaded || wild.verdict == RangeAnalysis::Verdict::SpotLed, qPrintable(explain(wild)));
        QVERIFY2(calm.reasons.join(QLatin1Char(' ')).contains(QLatin1String("percentile of 12.0 h windows of the trailing 30 days")), qPrintable(explain(calm)));
        QCOMPARE(calm.toJson().value(QLatin1String("thresholds")).toObject().value(QLatin1String("oi_cleared")).toObject().value(QLatin1String("source")).toString(),
                 QStringLiteral("trailing_30d"));
        // Funding around 0.005 %: the calm history's 90th percentile, not the 0.01 % baseline.
        QVERIFY2(calm.thresholds.fundingHigh.fromHistory && calm.thresholds.fundingHigh.value < 0.0001, qPrintable(QString::number(calm.thresholds.fundingHigh.value)));
    }

    void negativeFundingIsNotElevated()
    {
        Scenario s{{100'000, 95'000}, {80'000, 80'400}, 0.00001, -0.000034, 0};
        const auto r = analyze(craft(s));
        const QString all = r.reasons.join(QLatin1Char(' '));
        QVERIFY2(!all.contains(QLatin1String("elevated, ")) && all.contains(QLatin1String("-0.0034%")), qPrintable(explain(r)));
    }

    void timesOutsideTheRangesDayCarryTheirDate()
    {
        // An 8-hour range on 1 Dec whose heatmap warms up until 4 Dec: "until 00:01" read as
        // a minute after the range began.
        RangeAnalysis::Result r;
        r.range = {t0 + 3600'000, t0 + 9 * 3600'000}; // 2026-01-01 01:00 - 09:00
        HeatmapConsumption c;
        c.range = r.range;
        c.hasOpenInterest = true;
        c.warmUntil = t0 + 3 * 86'400'000 + 60'000;
        r.consumption = c;
        QCOMPARE(RangeFigures::consumption(r), QStringLiteral("heatmap warming up until 01-04 00:01"));
        c.warmUntil = t0 + 5 * 3600'000; // inside the range: the time is enough
        c.counted = {c.warmUntil, r.range.to};
        r.consumption = c;
        QVERIFY2(RangeFigures::consumption(r).endsWith(QLatin1String("counted from 05:00")), qPrintable(RangeFigures::consumption(r)));
    }

    void badRangesAreExplained()
    {
        const QString path = craft({{100, 101}, {10, 10}});
        try {
            analyze(path, {t0 + 5000, t0 + 5000});
            QFAIL("an empty range was accepted");
        } catch (const RangeAnalysis::Error &e) {
            QVERIFY(QString::fromLatin1(e.what()).contains(QLatin1String("must be before")));
        }
        try {
            analyze(path, {t0 - 86'400'000, t0 - 3600'000});
            QFAIL("a range outside the data was accepted");
        } catch (const RangeAnalysis::Error &e) {
            QVERIFY2(QString::fromLatin1(e.what()).contains(QLatin1String("its data covers 2026-01-01T00:00:00Z")), e.what());
        }
    }

    void aboutTextNamesEveryVerdictAndThreshold()
    {
        const QString about = VerdictRules::aboutText();
        for (const char *v : {"flush", "squeeze", "partial_flush", "still_loaded", "deleveraging", "spot_led", "quiet", "insufficient_data"})
            QVERIFY2(about.contains(QLatin1String(v)), v);
        for (const char *w : {"30 days", "percentile", "sampled", "fixed", "coins"})
            QVERIFY2(about.contains(QLatin1String(w), Qt::CaseInsensitive) || about.contains(QLatin1String("90%")), w);
    }
};

QTEST_GUILESS_MAIN(TestRangeAnalysis)
#include "tst_rangeanalysis.moc"
