#include "aggregatefixture.h"
#include "analysis/heatmapparams.h"
#include "analysis/heatmapservice.h"
#include "analysis/rangeanalysis.h"
#include "domain/aggregates.h"
#include "storage/aggregatereader.h"
#include "storage/storereader.h"
#include "testutil.h"

// ALL:BTC read as one instrument from three venues written by AggregateFixture: every sum
// checked against its members, the OI-weighted funding per 8 h across 8 h and 4 h intervals,
// the liquidation union with each print's venue, the weakest member's coverage, and a member
// without data making the sums unknown (and named), never smaller.
class TestAggregateReader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<StoreReader> m_reader;
    const Instrument all = Aggregates::of(QStringLiteral("BTC"));
    static constexpr qint64 t0 = AggregateFixture::t0;
    static constexpr qint64 minute = AggregateFixture::minute;
    static constexpr qint64 hour = AggregateFixture::hour;

    StoreReader &r() { return *m_reader; }
    static const Instrument &member(int v) { return AggregateFixture::members()[v]; }

private slots:
    void initTestCase()
    {
        const MarketStore store = MarketStore::open(m_dir.filePath(QStringLiteral("all.db")));
        AggregateFixture::Options o;
        o.okxOiStopsEarly = 120; // OKX's OI ends at 22:00
        AggregateFixture::write(*store.writer(), o);
        m_reader = store.reader();
    }

    void membersFollowTheDefaultRule()
    {
        const auto m = r().aggregates().members(all);
        QCOMPARE(m.instruments, AggregateFixture::members()); // spot, ETH and SIM left out, Binance first
        QVERIFY(!m.userDefined);
        QCOMPARE(m.reference(), member(0));
        // Offered: BTC (three venues); ETH has one venue only.
        QCOMPARE(r().aggregates().aggregates(), QList<Instrument>{all});
        QVERIFY(r().hasInstrument(all));
        QVERIFY(!r().hasInstrument(Aggregates::of(QStringLiteral("DOGE"))));
    }

    void openInterestIsTheMembersSum()
    {
        const qint64 t = t0 + 10 * hour + 7 * minute; // between samples: each member's last one
        const auto sum = r().openInterestAt(all, t);
        QVERIFY(sum);
        double coins = 0, usd = 0;
        for (int v = 0; v < 3; ++v) {
            const auto m = r().openInterestAt(member(v), t);
            QVERIFY(m);
            coins += m->openInterest;
            usd += m->openInterestUsd;
        }
        QCOMPARE(sum->openInterest, coins);
        QCOMPARE(sum->openInterestUsd, usd);
        // Bars: each bucket's close is the sum of the members' closes.
        const TimeRange day{t0, t0 + 20 * hour};
        const auto bars = r().lineBars(all, LineSeries::OpenInterestUsd, Timeframe::H1, day);
        QCOMPARE(bars.size(), 20);
        for (const LineBar &b : bars) {
            double close = 0;
            for (int v = 0; v < 3; ++v)
                close += r().lineBars(member(v), LineSeries::OpenInterestUsd, Timeframe::H1, {b.ts, b.ts + hour}).value(0).close;
            QCOMPARE(b.close, close);
            QVERIFY(b.high >= b.close && b.low <= b.close);
        }
        QCOMPARE(r().openInterest(all, day).size(), 20 * 12);
    }

    void aMissingMemberMakesTheSumUnknownNotSmaller()
    {
        // OKX's OI stops at 22:00 (+ the 15-minute hold of its last sample).
        QVERIFY(!r().openInterestAt(all, t0 + 23 * hour));
        QVERIFY(r().openInterestAt(member(0), t0 + 23 * hour));
        const auto bars = r().lineBars(all, LineSeries::OpenInterest, Timeframe::M5, {t0 + 22 * hour, t0 + 24 * hour});
        for (const LineBar &b : bars)
            QVERIFY2(b.ts <= t0 + 22 * hour + AggregateReader::oiStaleMs, qPrintable(QString::number(b.ts)));
        QCOMPARE(r().aggregates().membersMissing(all, DataKind::OpenInterest, {t0 + 21 * hour, t0 + 24 * hour}), QList<Instrument>{member(2)});
        QVERIFY(r().aggregates().membersMissing(all, DataKind::OpenInterest, {t0, t0 + 21 * hour}).isEmpty());
        const auto cov = r().coverageSummary(all, DataKind::OpenInterest, {t0, t0 + 24 * hour});
        QCOMPARE(cov.holes.size(), 1);
        QCOMPARE(cov.holes.front().from, t0 + 22 * hour);
    }

    void fundingIsOiWeightedPer8h()
    {
        // At 08:00 every venue settles (OKX every 4 h): the weighted mean per 8 h.
        const qint64 t = t0 + 8 * hour;
        double sum = 0, weight = 0;
        for (int v = 0; v < 3; ++v) {
            const auto f = r().fundingAt(member(v), t);
            const auto oi = r().openInterestAt(member(v), t);
            QVERIFY(f && oi);
            sum += f->rate * 8.0 / f->intervalHours * oi->openInterestUsd;
            weight += oi->openInterestUsd;
        }
        const auto settled = r().funding(all, {t, t + 1});
        QCOMPARE(settled.size(), 1);
        QCOMPARE(settled.front().intervalHours, 8);
        QVERIFY(qAbs(settled.front().rate - sum / weight) < 1e-15);
        // Union of settlement times: every 4 h (OKX), the 8-hourly venues' last rate in force.
        QCOMPARE(r().funding(all, {t0, t0 + 20 * hour}).size(), 5);
        const auto at = r().fundingAt(all, t0 + 13 * hour);
        QVERIFY(at);
        QCOMPARE(at->ts, t0 + 12 * hour);
    }

    void liquidationsAreEveryVenuesPrints()
    {
        const TimeRange day{t0, t0 + 24 * hour};
        qsizetype n = 0;
        for (int v = 0; v < 3; ++v)
            n += r().liquidations(member(v), day).size();
        const auto all24 = r().liquidations(all, day);
        QCOMPARE(all24.size(), n);
        QVERIFY(std::is_sorted(all24.cbegin(), all24.cend(), [](const Liquidation &a, const Liquidation &b) { return a.ts < b.ts; }));
        // The tape knows each print's venue (the fixture offsets them by venue + 1 seconds).
        const auto tape = r().aggregates().latestTape(all, t0 + 24 * hour, 50);
        QCOMPARE(tape.size(), 50);
        for (const auto &row : tape)
            QCOMPARE(int((row.liquidation.ts - t0) % minute / 1000), row.member + 1);
        // Bars: the members' sums; coverage the weakest member's (Binance, OKX sampled).
        double usd = 0, aggUsd = 0;
        for (int v = 0; v < 3; ++v)
            for (const LiquidationBar &b : r().liquidationBars(member(v), Timeframe::H1, day))
                usd += b.totalUsd();
        for (const LiquidationBar &b : r().liquidationBars(all, Timeframe::H1, day))
            aggUsd += b.totalUsd();
        QVERIFY(qAbs(usd - aggUsd) < 1e-6 * usd);
        QCOMPARE(r().coverageSummary(all, DataKind::Liquidations, day).quality, CoverageQuality::Sampled);
        QCOMPARE(r().coverageSummary(member(1), DataKind::Liquidations, day).quality, CoverageQuality::Complete);
        QCOMPARE(r().liquidationFeed(all), QStringLiteral("throttled"));
    }

    void candlesTakePriceFromTheReferenceAndSumVolume()
    {
        const TimeRange h{t0 + hour, t0 + 2 * hour};
        const auto bars = r().candles(all, Timeframe::M1, h);
        const auto ref = r().candles(member(0), Timeframe::M1, h);
        QCOMPARE(bars.size(), 60);
        QCOMPARE(bars[5].close, ref[5].close);
        QCOMPARE(bars[5].volume, 10.0 + 20.0 + 30.0);
        // Only Binance carries taker-buy volume: the aggregate's is unknown.
        QVERIFY(r().coverageSummary(all, DataKind::TakerBuy, h).isNone());
    }

    void rangeAnalysisBreaksDownByVenue()
    {
        RangeAnalysis a(r());
        a.setTrailingThresholds(false);
        const auto full = a.analyze(all, {t0 + hour, t0 + 20 * hour});
        QCOMPARE(full.venues.size(), 3);
        QCOMPARE(full.priceReference, member(0));
        double start = 0;
        for (const auto &v : full.venues) {
            QVERIFY(v.oiStartUsd);
            start += *v.oiStartUsd;
            QVERIFY2(v.missing.isEmpty(), qPrintable(v.missing.join(QLatin1Char(','))));
        }
        QVERIFY(full.oiStartUsd);
        QVERIFY(qAbs(*full.oiStartUsd - start) < 1e-6 * start);
        QCOMPARE(full.venues[2].intervalHours, 4);
        QVERIFY(qAbs(*full.venues[2].fundingMean8h - 2 * *a.analyze(member(2), {t0 + hour, t0 + 20 * hour}).fundingMean) < 1e-15);
        // Into OKX's hole: the end OI is unknown and the reasons name the venue.
        const auto late = a.analyze(all, {t0 + 20 * hour, t0 + 24 * hour});
        QVERIFY(!late.oiEndUsd);
        QVERIFY(late.venues[0].oiEndUsd);
        QCOMPARE(late.venues[2].missing, QStringList{QStringLiteral("oi")});
        QVERIFY(late.reasons.join(QLatin1Char('\n')).contains(QStringLiteral("partial: OKX:BTC-USDT-SWAP has no oi")));
        const QJsonObject json = late.toJson();
        QCOMPARE(json.value(QStringLiteral("price_reference")).toString(), member(0).key());
        QCOMPARE(json.value(QStringLiteral("venues")).toArray().size(), 3);
        QVERIFY(json.value(QStringLiteral("oi_end_usd")).isNull());
    }

    void heatmapSumsTheMembersEachWithItsTiers()
    {
        HeatmapService service(m_dir.filePath(QStringLiteral("all.db")));
        const auto params = HeatmapParams::preset(QStringLiteral("all_leverage"));
        QVERIFY(params);
        const TimeRange range{t0 + 12 * hour, t0 + 20 * hour};
        const auto total = service.grid(all, range, 40, 85'000, 95'000, 50, *params);
        QVERIFY(total);
        double sum = 0, parts = 0;
        for (const float v : total->longUsd)
            sum += v;
        for (int v = 0; v < 3; ++v) {
            const auto g = service.grid(member(v), range, 40, 85'000, 95'000, 50, *params);
            QVERIFY(g);
            for (const float x : g->longUsd)
                parts += x;
            QVERIFY2(total->marginTiers.contains(member(v).key()), qPrintable(total->marginTiers));
        }
        QVERIFY(sum > 0);
        QVERIFY(qAbs(sum - parts) <= 1e-4 * parts);
        QVERIFY(total->hasOpenInterest);
        // No history of its own: only the members' are held.
        QVERIFY(!service.holds(all, *params));
        QVERIFY(service.holds(member(2), *params));
    }

    void aStoredSetOverridesTheDefault()
    {
        QTemporaryDir dir;
        const MarketStore store = MarketStore::open(dir.filePath(QStringLiteral("set.db")));
        AggregateFixture::Options o;
        o.minutes = 120;
        AggregateFixture::write(*store.writer(), o);
        store.writer()->setMeta(Aggregates::metaKey(all), Aggregates::format({member(1), member(0)}));
        auto reader = store.reader();
        const auto m = reader->aggregates().members(all);
        QVERIFY(m.userDefined);
        QCOMPARE(m.reference(), member(1));
        QCOMPARE(m.instruments.size(), 2);
        const auto sum = reader->openInterestAt(all, t0 + hour);
        QVERIFY(sum);
        QCOMPARE(sum->openInterest, reader->openInterestAt(member(0), t0 + hour)->openInterest + reader->openInterestAt(member(1), t0 + hour)->openInterest);
        QCOMPARE(Aggregates::validate(all, {member(0), Instrument{QStringLiteral("BINANCE"), QStringLiteral("ETHUSDT")}}),
                 QStringLiteral("BINANCE:ETHUSDT has the underlying ETH, not BTC"));
        QVERIFY(!Aggregates::validate(all, {Instrument{QStringLiteral("BINANCE_SPOT"), QStringLiteral("BTCUSDT")}}).isEmpty());
        QVERIFY(Aggregates::validate(all, {member(2)}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAggregateReader)
#include "tst_aggregatereader.moc"
