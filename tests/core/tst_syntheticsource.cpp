#include "sources/syntheticsource.h"

#include <QtTest>

#include <cmath>

// The synthetic random walk (issue 12.5): labelled as made up, and a 2-year walk stays in a
// sane band - it once jumped from 50k to 800k in one bar because its volatility process
// was explosive. Figures are printed for the closing note.
class TestSyntheticSource : public QObject
{
    Q_OBJECT

private slots:
    void isLabelledAsNotAMarket()
    {
        SyntheticSource s({});
        QVERIFY(s.isSimulated());
        QVERIFY(s.instruments().front().isSimulated());
        QVERIFY(s.instruments().front().isSynthetic());
        QVERIFY(!Instrument({QStringLiteral("SIM"), QStringLiteral("BTCUSDT")}).isSynthetic());
        QVERIFY(!Instrument({QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")}).isSimulated());
    }

    void twoYearWalkStaysInABand_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1ULL, 7ULL, 42ULL, 20260131ULL})
            QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
    }

    void twoYearWalkStaysInABand()
    {
        QFETCH(quint64, seed);
        SyntheticSource::Params p;
        p.seed = seed;
        p.startMs = 1'704'067'200'000; // 2024-01-01
        p.minutes = 2 * 365 * 1440;
        SyntheticSource s(p);
        double lo = p.startPrice, hi = p.startPrice, worstBar = 0, sumSq = 0, worstRange = 0;
        qint64 n = 0;
        double prevClose = p.startPrice;
        for (qint64 done = 0; done < p.minutes;) {
            const MarketBatch b = s.generate(100'000);
            QVERIFY(!b.candles.isEmpty());
            for (const Candle &c : b.candles) {
                QVERIFY(std::isfinite(c.open) && std::isfinite(c.close) && c.low > 0);
                QVERIFY(c.low <= std::min(c.open, c.close) && c.high >= std::max(c.open, c.close));
                const double r = std::log(c.close / prevClose);
                worstBar = std::max(worstBar, std::abs(r));
                worstRange = std::max(worstRange, c.high / c.low - 1);
                sumSq += r * r;
                ++n;
                lo = std::min(lo, c.low);
                hi = std::max(hi, c.high);
                prevClose = c.close;
            }
            done += b.candles.size();
        }
        const double minuteVol = std::sqrt(sumSq / double(n));
        qInfo("seed %llu, 2 years of 1m bars from 50,000: low %.0f, high %.0f, largest 1m move %.2f %%, widest bar %.2f %%, 1m vol %.3f %%",
              seed, lo, hi, worstBar * 100, worstRange * 100, minuteVol * 100);
        // BTC over 2022-2024 ranged about 4x; a made-up walk must not go beyond that.
        QVERIFY2(lo > p.startPrice / 4 && hi < p.startPrice * 4, qPrintable(QStringLiteral("%1 … %2").arg(lo).arg(hi)));
        QVERIFY2(worstBar < 0.08, qPrintable(QString::number(worstBar)));
        QVERIFY2(worstRange < 0.15, qPrintable(QString::number(worstRange)));
        // About BTC's 1m volatility (0.03 ... 0.1 %), not a flat line.
        QVERIFY2(minuteVol > 0.0003 && minuteVol < 0.0015, qPrintable(QString::number(minuteVol)));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticSource)
#include "tst_syntheticsource.moc"
