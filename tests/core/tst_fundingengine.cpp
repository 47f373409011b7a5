#include "sources/sim/fundingengine.h"

#include <QtTest>

// The Binance funding template: premium index, clamp, cap, linear weights, 8 h settlement.
class TestFundingEngine : public QObject
{
    Q_OBJECT

private slots:
    void premiumIndexUsesImpactPrices()
    {
        QCOMPARE(FundingEngine::premium(100'100, 100'120, 100'000), 0.001);  // bid above index
        QCOMPARE(FundingEngine::premium(99'880, 99'900, 100'000), -0.001);   // ask below index
        QCOMPARE(FundingEngine::premium(99'990, 100'010, 100'000), 0.0);     // straddles
    }

    void rateSitsAtTheInterestInsideTheClampBand_data()
    {
        QTest::addColumn<double>("premium");
        QTest::addColumn<double>("rate");
        QTest::newRow("zero") << 0.0 << 0.0001;
        QTest::newRow("band low") << -0.0004 << 0.0001;
        QTest::newRow("band high") << 0.0006 << 0.0001;
        QTest::newRow("above") << 0.0010 << 0.0005;
        QTest::newRow("below") << -0.0010 << -0.0005;
        QTest::newRow("capped") << 0.0100 << 0.0030;
        QTest::newRow("floored") << -0.0100 << -0.0030;
    }

    void rateSitsAtTheInterestInsideTheClampBand()
    {
        QFETCH(double, premium);
        QFETCH(double, rate);
        QVERIFY(qAbs(FundingEngine::rate(premium, FundingEngine::Config{}) - rate) < 1e-12);
    }

    void shorterIntervalsScaleTheRate()
    {
        FundingEngine::Config c;
        c.intervalHours = 4;
        QVERIFY(qAbs(FundingEngine::rate(0, c) - 0.00005) < 1e-12);
        FundingEngine f(c);
        QCOMPARE(f.intervalMs(), 4 * 3'600'000LL);
        QVERIFY(f.isSettlement(1'767'225'600'000 + 4 * 3'600'000LL));
        QVERIFY(!f.isSettlement(1'767'225'600'000 + 3'600'000LL));
        QCOMPARE(f.nextSettlement(1'767'225'600'000 + 1), 1'767'225'600'000 + 4 * 3'600'000LL);
    }

    void laterSamplesWeighMoreAndSettleStartsOver()
    {
        FundingEngine f(FundingEngine::Config{});
        QCOMPARE(f.predicted(), 0.0001);
        f.addSample(0.003);
        f.addSample(0.0);
        f.addSample(0.0); // weights 1, 2, 3
        QVERIFY(qAbs(f.averagePremium() - 0.0005) < 1e-15);
        QVERIFY(qAbs(f.settle() - 0.0001) < 1e-15); // 0.05 % premium is inside the band
        QCOMPARE(f.averagePremium(), 0.0);
        f.addSample(-0.002);
        QVERIFY(qAbs(f.predicted() - -0.0015) < 1e-15);
    }
};

QTEST_GUILESS_MAIN(TestFundingEngine)
#include "tst_fundingengine.moc"
