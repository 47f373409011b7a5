#include "storage/candleaggregator.h"

#include <QtTest>

class TestCandleAggregator : public QObject
{
    Q_OBJECT

private slots:
    void aggregateTakesFirstLastMaxMinAndSums()
    {
        const QVector<Candle> bars = {{0, 10, 12, 9, 11, 1, 10, 0.5}, {60'000, 11, 15, 10, 14, 2, 25, 1.5}, {120'000, 14, 14, 7, 8, 3, 30, 0}};
        const Candle c = CandleAggregator::aggregate(0, bars);
        QCOMPARE(c, (Candle{0, 10, 15, 7, 8, 6, 65, 2}));
        QCOMPARE(c.vwap(), 65.0 / 6.0);
        QCOMPARE(CandleAggregator::aggregate(5, {}).ts, 5);
    }

    void toTimeframeBucketsByUtcBoundaries()
    {
        QVector<Candle> bars;
        for (int i = 0; i < 12; ++i)
            bars.push_back({qint64(i) * 60'000 + 3 * 60'000, 1.0 + i, 2.0 + i, 0.5 + i, 1.5 + i, 1, 1, 0});
        const auto m5 = CandleAggregator::toTimeframe(bars, Timeframe::M5);
        QCOMPARE(m5.size(), 3); // minutes 3-4 | 5-9 | 10-14
        QCOMPARE(m5[0].ts, 0);
        QCOMPARE(m5[0].volume, 2.0);
        QCOMPARE(m5[1].ts, 300'000);
        QCOMPARE(m5[1].open, 3.0);
        QCOMPARE(m5[1].volume, 5.0);
    }

    void normalizedSortsAndKeepsTheLatestSnapshot()
    {
        const QVector<Candle> in = {{120'000, 1, 1, 1, 1, 0, 0, 0}, {0, 2, 2, 2, 2, 0, 0, 0}, {120'000, 3, 3, 3, 3, 0, 0, 0}};
        const auto out = CandleAggregator::normalized(in);
        QCOMPARE(out.size(), 2);
        QCOMPARE(out[0].ts, 0);
        QCOMPARE(out[1].open, 3.0);
    }

    void floorHandlesDaysAndNegativeTimes()
    {
        QCOMPARE(Timeframes::floor(Timeframe::D1, 1'767'225'600'000 + 5), 1'767'225'600'000);
        QCOMPARE(Timeframes::floor(Timeframe::M1, -1), -60'000);
        QCOMPARE(Timeframes::fitting(5LL * 365 * 86'400'000, 4000), Timeframe::D1);
        QCOMPARE(Timeframes::fitting(3600'000, 4000), Timeframe::M1);
        QCOMPARE(Timeframes::fitting(30LL * 86'400'000, 4000), Timeframe::M15);
        QCOMPARE(Timeframes::parse(QStringLiteral("4H")), Timeframe::H4);
        QVERIFY(!Timeframes::parse(QStringLiteral("3m")));
    }
};

QTEST_APPLESS_MAIN(TestCandleAggregator)
#include "tst_candleaggregator.moc"
