#include "analysis/candlebuilder.h"
#include "domain/numbers.h"

#include <QTest>

// Ticks into 1m bars: OHLC from the prints, volumes as sums, and those sums the decimals they
// are (sizes in lots of 0.001 and prices in ticks of 0.1 sum to "0.436" and "40713.6", not
// to 0.4360000000000002: that noise reached the CSV exports of simulated and live bars).
class TestCandleBuilder : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01, a minute boundary

private slots:
    void barsFromTrades()
    {
        CandleBuilder b;
        b.addTrade(t0 + 1'000, 100.0, 1.0, true);
        b.addTrade(t0 + 2'000, 101.5, 0.5, false);
        b.addTrade(t0 + 3'000, 99.0, 2.0, true);
        b.addTrade(t0 + 61'000, 98.0, 1.0, false); // the next minute closes the first
        const QVector<Candle> bars = b.take();
        QCOMPARE(bars.size(), 2);
        const Candle &c = bars.first();
        QCOMPARE(c.ts, t0);
        QCOMPARE(c.open, 100.0);
        QCOMPARE(c.high, 101.5);
        QCOMPARE(c.low, 99.0);
        QCOMPARE(c.close, 99.0);
        QCOMPARE(c.volume, 3.5);
        QCOMPARE(c.takerBuyVolume, 3.0);
        QCOMPARE(c.quoteVolume, 100.0 + 50.75 + 198.0);
        QCOMPARE(bars.last().ts, t0 + 60'000); // the open minute, as a partial snapshot
        QVERIFY(b.take().isEmpty());            // nothing new since
    }

    void sumsAreTheDecimalsTheyAddUpTo()
    {
        CandleBuilder b;
        // 436 prints of one lot (0.001 BTC) at 93,380.1: in doubles the sum drifts.
        double naive = 0;
        for (int i = 0; i < 436; ++i) {
            b.addTrade(t0 + i * 100, 93'380.1, 0.001, i % 2 == 0);
            naive += 0.001;
        }
        QVERIFY(Numbers::format(naive) != QByteArray("0.436")); // the noise this is about
        const Candle c = b.take().first();
        QCOMPARE(Numbers::format(c.volume), QByteArray("0.436"));
        QCOMPARE(Numbers::format(c.takerBuyVolume), QByteArray("0.218"));
        QCOMPARE(Numbers::format(c.quoteVolume), QByteArray("40713.7236"));
    }

    void largeSumsKeepTheirPrecision()
    {
        CandleBuilder b;
        // A heavy minute: $2.5B of quote volume still rounds only below a double's precision.
        b.addTrade(t0, 101'234.5, 24'000.123, true);
        const Candle c = b.take().first();
        QCOMPARE(Numbers::format(c.volume), QByteArray("24000.123"));
        QVERIFY(std::abs(c.quoteVolume - 101'234.5 * 24'000.123) <= 1e-6 * c.quoteVolume * 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestCandleBuilder)
#include "tst_candlebuilder.moc"
