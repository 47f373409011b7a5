#include "analysis/rangeanalysis.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

// A crafted market: price, OI and predicted funding move linearly from the first to the
// second value over `minutes`; liquidations of `liqUsd` spread evenly on `side`.
struct Scenario
{
    double p0, p1, oi0, oi1, f0, f1, liqUsd;
    Liquidation::Side side = Liquidation::Side::Long;
};

Q_DECLARE_METATYPE(Scenario)

class TestRangeAnalysis : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 minute = 60'000;

    QString craft(const QString &name, const Scenario &s, int minutes = 720)
    {
        const QString path = m_dir.filePath(name + QStringLiteral(".db"));
        MarketBatch b;
        b.instrument = {QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
        int seq = 0;
        for (int i = 0; i < minutes; ++i) {
            const double a = double(i) / (minutes - 1);
            const double open = s.p0 + (s.p1 - s.p0) * (i == 0 ? 0 : double(i - 1) / (minutes - 1));
            const double close = s.p0 + (s.p1 - s.p0) * a;
            const qint64 ts = t0 + i * minute;
            b.candles.push_back({ts, open, std::max(open, close) * 1.0005, std::min(open, close) * 0.9995, close, 10, 10 * close, 5});
            const double oi = s.oi0 + (s.oi1 - s.oi0) * a;
            b.openInterest.push_back({ts, oi, oi * close});
            b.predictedFunding.push_back({ts, s.f0 + (s.f1 - s.f0) * a, 8});
            if (s.liqUsd > 0 && i % 10 == 5)
                b.liquidations.push_back({ts + 1500, seq++, s.side, close, s.liqUsd / (minutes / 10) / close, true});
        }
        b.funding = {{t0 + 8 * 3600'000, s.f0, 8}};
        MarketStore::open(path).writer()->commit(b);
        return path;
    }

    RangeAnalysis::Result analyze(const QString &path, TimeRange r = {t0, t0 + 720 * minute})
    {
        auto reader = MarketStore::openExisting(path).reader();
        return RangeAnalysis(*reader).analyze({QStringLiteral("SIM"), QStringLiteral("BTCUSDT")}, r);
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
            double open = 0, close = 0, high = -1, low = 1e300;
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
            }
            QCOMPARE(got.priceOpen, open);
            QCOMPARE(got.priceClose, close);
            QCOMPARE(got.high, high);
            QCOMPARE(got.low, low);
            double longUsd = 0, largest = 0;
            int longCount = 0;
            for (const Liquidation &l : liqs)
                if (l.ts >= lo && l.ts < hi) {
                    longUsd += l.notional();
                    ++longCount;
                    largest = std::max(largest, l.notional());
                }
            QCOMPARE(got.longLiqCount, longCount);
            QVERIFY(std::abs(got.longLiqUsd - longUsd) <= 1e-9 * (1 + longUsd));
            QCOMPARE(got.largestLiqUsd, largest);
            QCOMPARE(got.oiStart, reader->openInterestAt(i, r.from)->openInterest);
            QCOMPARE(got.oiEnd, reader->openInterestAt(i, r.to - 1)->openInterest);
            double paid = 0;
            const auto settlements = reader->funding(i, r);
            for (const FundingSample &f : settlements)
                paid += f.rate * reader->openInterestAt(i, f.ts)->openInterestUsd;
            QCOMPARE(got.fundingSettlements, int(settlements.size()));
            QVERIFY(std::abs(got.fundingPaidUsd - paid) <= 1e-9 * (1 + std::abs(paid)));
            QVERIFY(got.realizedVolPct > 0);
        }
    }

    void verdicts_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("flush: OI collapses, longs liquidated, funding resets")
            << Scenario{100'000, 92'000, 80'000, 68'000, 0.0002, -0.0001, 0.03 * 8e9} << QStringLiteral("flush");
        QTest::newRow("partial: OI falls a little, funding still paid")
            << Scenario{100'000, 94'000, 80'000, 77'500, 0.0002, 0.0002, 0.01 * 8e9} << QStringLiteral("partial_flush");
        QTest::newRow("still loaded: OI holds, funding supportive")
            << Scenario{100'000, 95'000, 80'000, 80'800, 0.0002, 0.00015, 0.001 * 8e9} << QStringLiteral("still_loaded");
        QTest::newRow("spot-led: no OI or liquidation footprint")
            << Scenario{100'000, 95'000, 80'000, 79'700, 0.0001, 0.0001, 0} << QStringLiteral("spot_led");
        QTest::newRow("quiet") << Scenario{100'000, 100'300, 80'000, 80'500, 0.0001, 0.0001, 0} << QStringLiteral("quiet");
        QTest::newRow("short squeeze flush")
            << Scenario{100'000, 108'000, 80'000, 70'000, -0.0003, 0.0001, 0.02 * 8e9, Liquidation::Side::Short} << QStringLiteral("flush");
    }

    void verdicts()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, verdict);
        const auto r = analyze(craft(QString::fromLatin1(QTest::currentDataTag()).left(10).replace(QLatin1Char(' '), QLatin1Char('_')).remove(QLatin1Char(':')), scenario));
        QVERIFY2(RangeAnalysis::verdictName(r.verdict) == verdict,
                 qPrintable(RangeAnalysis::verdictName(r.verdict) + QStringLiteral(": ") + r.reasons.join(QStringLiteral("; "))));
        QVERIFY(r.reasons.size() >= 3);
        const QJsonObject j = r.toJson();
        for (const char *key : {"from", "to", "price_open", "price_close", "price_change_pct", "high", "low", "oi_start", "oi_end", "oi_change_pct",
                                "funding_mean", "funding_paid_usd", "long_liq_usd", "short_liq_usd", "liq_count", "zones_consumed", "verdict", "reasons"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
    }

    void badRangesAreExplained()
    {
        const QString path = craft(QStringLiteral("bad"), {100, 101, 10, 10, 0.0001, 0.0001, 0});
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
};

QTEST_GUILESS_MAIN(TestRangeAnalysis)
#include "tst_rangeanalysis.moc"
