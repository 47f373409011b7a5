#include "sources/sim/marginbrackets.h"

#include <QtTest>

// Binance BTCUSDT maintenance brackets and the isolated liquidation price (models.md §2.1).
class TestMarginBrackets : public QObject
{
    Q_OBJECT

private slots:
    void maintenanceAmountsFollowTheTaxBracketRule()
    {
        const MarginBrackets &b = MarginBrackets::btcusdt();
        const double expected[MarginBrackets::count] = {0, 50, 1300, 16'300, 266'300, 1'266'300, 2'516'300, 5'016'300, 25'016'300, 100'016'300};
        for (int i = 0; i < MarginBrackets::count; ++i)
            QCOMPARE(b.bracket(i).cum, expected[i]);
        // Maintenance margin is continuous across each bracket boundary.
        for (int i = 1; i < MarginBrackets::count; ++i) {
            const double floor = b.bracket(i).floor;
            QVERIFY(qAbs(b.maintenance(floor) - (floor * b.bracket(i - 1).mmr - b.bracket(i - 1).cum)) < 1e-6);
        }
        QCOMPARE(b.maxLeverage(10'000), 125);
        QCOMPARE(b.maxLeverage(2e6), 20);
        QCOMPARE(b.indexAt(50'000), 1);
    }

    void workedExampleFromTheResearchNotes()
    {
        // Long 1 BTC at 100,000, isolated 20x: tier 2 at the liquidation price.
        const MarginBrackets &b = MarginBrackets::btcusdt();
        const double lp = b.liquidationPrice(1, 1.0, 100'000, 5'000);
        QVERIFY(qAbs(lp - 95'427.14) < 0.01);
        // At LP the equity equals the maintenance margin.
        const double equity = 5'000 + (lp - 100'000);
        QVERIFY(qAbs(equity - b.maintenance(lp)) < 1e-6);
        QCOMPARE(MarginBrackets::bankruptcyPrice(1, 1.0, 100'000, 5'000), 95'000.0);
    }

    void tierOneDistancesMatchTheTable_data()
    {
        QTest::addColumn<double>("leverage");
        QTest::addColumn<double>("longRatio");
        QTest::addColumn<double>("shortRatio");
        QTest::newRow("5x") << 5.0 << 0.80321 << 1.19522;
        QTest::newRow("10x") << 10.0 << 0.90361 << 1.09562;
        QTest::newRow("25x") << 25.0 << 0.96386 << 1.03586;
        QTest::newRow("100x") << 100.0 << 0.99398 << 1.00598;
    }

    void tierOneDistancesMatchTheTable()
    {
        QFETCH(double, leverage);
        QFETCH(double, longRatio);
        QFETCH(double, shortRatio);
        const MarginBrackets &b = MarginBrackets::btcusdt();
        const double qty = 0.1, entry = 100'000; // 10k notional: tier 1 on both sides
        QVERIFY(qAbs(b.liquidationPrice(1, qty, entry, qty * entry / leverage) / entry - longRatio) < 1e-5);
        QVERIFY(qAbs(b.liquidationPrice(-1, qty, entry, qty * entry / leverage) / entry - shortRatio) < 1e-5);
    }

    void unliquidatableLongHasNoPrice()
    {
        // A 1x long with a little extra margin never reaches maintenance above zero.
        QCOMPARE(MarginBrackets::btcusdt().liquidationPrice(1, 1.0, 100'000, 101'000), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMarginBrackets)
#include "tst_marginbrackets.moc"
