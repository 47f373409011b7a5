#include "domain/numbers.h"
#include "analysis/heatmapengine.h"
#include "analysis/heatmapfeed.h"
#include "sources/syntheticsource.h"
#include "storage/csvexporter.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QBuffer>

class TestCsvExporter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    const Instrument m_btc{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    MarketBatch m_batch;

    QList<QByteArray> exportLines(const CsvExporter::Spec &spec)
    {
        auto r = MarketStore::openExisting(m_path).reader();
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        CsvExporter(*r).write(spec, buf);
        QList<QByteArray> lines = buf.data().split('\n');
        if (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
        return lines;
    }

private slots:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("x.db"));
        std::mt19937_64 rng(9);
        m_batch.instrument = m_btc;
        m_batch.candles = TestUtil::randomBars(rng, t0, 20'000, 93'123.45); // two weeks: several slices
        m_batch.candles[0].open = 0.1;                                      // not exact in binary
        m_batch.candles[0].low = 0.1;
        m_batch.funding = {{t0, 0.0001, 8}, {t0 + 28'800'000, -3.5e-05, 4}};
        m_batch.openInterest = {{t0, 80'123.456, 7.5e9}};
        m_batch.liquidations = {{t0 + 17, 0, Liquidation::Side::Short, 93'000.1, 0.003, true}};
        MarketStore::open(m_path).writer()->commit(m_batch);
    }

    void candlesRoundTripExactly()
    {
        const auto lines = exportLines({QStringLiteral("candles"), m_btc, {t0, t0 + 20'000LL * 60'000}, Timeframe::M1});
        QCOMPARE(lines.size(), 20'001);
        QCOMPARE(lines[0], QByteArray("ts,open,high,low,close,volume,quote_volume,taker_buy_volume"));
        QVERIFY(lines[1].startsWith(QByteArray::number(t0) + ",0.1,"));
        for (int i = 1; i < lines.size(); i += 997) {
            const auto f = lines[i].split(',');
            QCOMPARE(f.size(), 8);
            const Candle &c = m_batch.candles[i - 1];
            QCOMPARE(*Numbers::parseInt(f[0]), c.ts);
            QCOMPARE(*Numbers::parse(f[1]), c.open);
            QCOMPARE(*Numbers::parse(f[4]), c.close);
            QCOMPARE(*Numbers::parse(f[7]), c.takerBuyVolume);
        }
    }

    // Issue 14 item 9: `export csv --timeframe 1h` printed sums with float noise
    // (25.22900000000001): coarse rows print the decimals the minutes add up to.
    void coarseCandlesWithoutFloatNoise()
    {
        const Instrument eth{QStringLiteral("SIM"), QStringLiteral("ETHUSDT")};
        MarketBatch b;
        b.instrument = eth;
        QVector<qint64> milli;
        for (int i = 0; i < 3 * 60; ++i) {
            milli << 300 + (i * 7919) % 9000; // three decimals, as a venue sends
            const double v = milli.last() / 1000.0;
            b.candles << Candle{t0 + i * 60'000LL, 3000.5, 3001.25, 2999.75, 3000.5, v, v * 3000.5, v / 2};
        }
        MarketStore::open(m_path).writer()->commit(b);
        const auto lines = exportLines({QStringLiteral("candles"), eth, {t0, t0 + 3 * 3'600'000LL}, Timeframe::H1});
        QCOMPARE(lines.size(), 4);
        for (int h = 0; h < 3; ++h) {
            qint64 sum = 0;
            for (int k = 0; k < 60; ++k)
                sum += milli[h * 60 + k];
            const auto f = lines[h + 1].split(',');
            QCOMPARE(f[5], Numbers::format(double(sum) / 1000.0));
            QVERIFY2(f[5].size() <= 7 && f[7].size() <= 8, lines[h + 1].constData());
        }
        // 1m rows stay bit for bit what was stored.
        const auto minutes = exportLines({QStringLiteral("candles"), eth, {t0, t0 + 3 * 60'000LL}, Timeframe::M1});
        QCOMPARE(*Numbers::parse(minutes[1].split(',')[5]), milli[0] / 1000.0);
    }

    void otherKinds()
    {
        QCOMPARE(exportLines({QStringLiteral("funding"), m_btc, {t0, t0 + 86'400'000}, Timeframe::M1}),
                 (QList<QByteArray>{"ts,rate,interval_hours", QByteArray::number(t0) + ",0.0001,8", QByteArray::number(t0 + 28'800'000) + ",-0.000035,4"}));
        QCOMPARE(exportLines({QStringLiteral("oi"), m_btc, {t0, t0 + 1}, Timeframe::M1}).value(1),
                 QByteArray::number(t0) + ",80123.456,7500000000");
        QCOMPARE(exportLines({QStringLiteral("liquidations"), m_btc, {t0, t0 + 1000}, Timeframe::M1}),
                 (QList<QByteArray>{"ts,side,price,qty,seq,in_exchange_feed", QByteArray::number(t0 + 17) + ",short,93000.1,0.003,0,1"}));
        const auto daily = exportLines({QStringLiteral("candles"), m_btc, {t0, t0 + 20'000LL * 60'000}, Timeframe::D1});
        QCOMPARE(daily.size(), 1 + 14);
    }

    void badSpecsAreExplained()
    {
        auto r = MarketStore::openExisting(m_path).reader();
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CsvExporter(*r).write({QStringLiteral("trades"), m_btc, {t0, t0 + 1}, Timeframe::M1}, buf));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CsvExporter(*r).write({QStringLiteral("oi"), m_btc, {t0, t0}, Timeframe::M1}, buf));
    }

    void heatmapRowsAreTheModelStateAtEachColumn()
    {
        // A day of synthetic market: one row per non-empty 0.1 % bin per hour.
        const QString path = m_dir.filePath(QStringLiteral("heatmap.db"));
        SyntheticSource::Params sp;
        sp.startMs = t0;
        sp.minutes = 1440;
        SyntheticSource source(sp);
        const MarketBatch batch = source.generate(1440);
        MarketStore::open(path).writer()->commit(batch);
        auto r = MarketStore::openExisting(path).reader();
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        CsvExporter::Spec spec{QStringLiteral("heatmap"), batch.instrument, {t0 + 2 * 3'600'000 + 1, t0 + 5 * 3'600'000}, Timeframe::H1};
        const qint64 rows = CsvExporter(*r).write(spec, buf);
        QList<QByteArray> lines = buf.data().split('\n');
        lines.removeLast();
        QCOMPARE(lines[0], QByteArray("ts,price_low,price_high,long_usd,short_usd"));
        QCOMPARE(rows, lines.size() - 1);
        QVERIFY(rows > 100);

        // The reference: the engine stepped over every bar that ended by the column time.
        HeatmapFeed feed(*r, batch.instrument);
        const auto bars = feed.bars(feed.extent());
        QMap<qint64, HeatmapEngine> states;
        HeatmapEngine e{HeatmapParams()};
        qsizetype next = 0;
        for (qint64 col : {t0 + 3 * 3'600'000, t0 + 4 * 3'600'000}) { // aligned columns inside the range
            while (next < bars.size() && bars[next].end() <= col)
                e.step(bars[next++]);
            states.insert(col, e);
        }
        const LogPriceGrid grid;
        QSet<qint64> columns;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const auto f = lines[i].split(',');
            QCOMPARE(f.size(), 5);
            const qint64 ts = *Numbers::parseInt(f[0]);
            columns.insert(ts);
            const double low = *Numbers::parse(f[1]), high = *Numbers::parse(f[2]);
            const double longUsd = *Numbers::parse(f[3]), shortUsd = *Numbers::parse(f[4]);
            QVERIFY(std::abs(high / low - 1.001) < 1e-9);
            QVERIFY(longUsd >= 0 && shortUsd >= 0 && longUsd + shortUsd > 0);
            const int bin = grid.binOf(std::sqrt(low * high));
            const HeatmapEngine &ref = states[ts];
            double refLong = 0, refShort = 0;
            ref.book(Liquidation::Side::Long).forEachBin(bin, bin, [&](int, double v) { refLong = v; });
            ref.book(Liquidation::Side::Short).forEachBin(bin, bin, [&](int, double v) { refShort = v; });
            QCOMPARE(longUsd, refLong);
            QCOMPARE(shortUsd, refShort);
        }
        QCOMPARE(columns, (QSet<qint64>{t0 + 3 * 3'600'000, t0 + 4 * 3'600'000}));

        // Candles without open interest cannot drive the model: a clear error.
        const QString noOi = m_dir.filePath(QStringLiteral("nooi.db"));
        MarketBatch candlesOnly;
        candlesOnly.instrument = batch.instrument;
        candlesOnly.candles = batch.candles.mid(0, 60);
        MarketStore::open(noOi).writer()->commit(candlesOnly);
        auto r2 = MarketStore::openExisting(noOi).reader();
        try {
            CsvExporter(*r2).write({QStringLiteral("heatmap"), batch.instrument, {t0, t0 + 3'600'000}, Timeframe::M1}, buf);
            QFAIL("expected an error");
        } catch (const std::runtime_error &e) {
            QVERIFY(QString::fromLatin1(e.what()).contains(QLatin1String("no open interest")));
        }
    }

    void numbersParseStrictly()
    {
        QCOMPARE(*Numbers::parse("59.490"), 59.49);
        QCOMPARE(*Numbers::parse("3.832e+07"), 3.832e7);
        QCOMPARE(*Numbers::parse("-0.00010000"), -0.0001);
        QCOMPARE(*Numbers::parse(" 12\r"), 12.0);
        for (const char *bad : {"", "abc", "1.2.3", "nan", "inf", "12x", "--1"})
            QVERIFY2(!Numbers::parse(bad), bad);
        QCOMPARE(*Numbers::parseInt("1769904000000"), 1'769'904'000'000);
        QVERIFY(!Numbers::parseInt("17.5"));
        QCOMPARE(Numbers::format(0.1), QByteArray("0.1"));
        QCOMPARE(Numbers::format(93123.45), QByteArray("93123.45"));
    }
};

QTEST_GUILESS_MAIN(TestCsvExporter)
#include "tst_csvexporter.moc"
