#include "analysis/liquidationprice.h"

#include <QtTest>

#include <random>

// The exchange formula against the worked examples of research/models.md §1.5 and §2.1, and
// against its definition (equity at the liquidation price equals the maintenance margin).
class TestLiquidationPrice : public QObject
{
    Q_OBJECT

private slots:
    void workedExample20x()
    {
        // Long 1 BTC at 100,000, isolated 20x: notional 100k is tier 2 (0.5 %, cum 50).
        const auto r = LiquidationPrice::forLong(100'000, 20, 100'000);
        QVERIFY2(std::abs(r.price - 95'427.14) < 0.005, qPrintable(QString::number(r.price, 'f', 4)));
        QCOMPARE(r.bracket, 1);
        // Check from models.md: the loss at LP leaves equity 427.14 = MM(LP) = LP × 0.5 % − 50.
        const double equity = 5'000 - (100'000 - r.price);
        QVERIFY(std::abs(equity - (r.price * 0.005 - 50)) < 1e-6);
    }

    void distanceTable_data()
    {
        QTest::addColumn<double>("leverage");
        QTest::addColumn<double>("longRatio");
        QTest::addColumn<double>("shortRatio");
        QTest::newRow("5x") << 5.0 << 0.80321 << 1.19522;
        QTest::newRow("10x") << 10.0 << 0.90361 << 1.09562;
        QTest::newRow("20x") << 20.0 << 0.95382 << 1.04582;
        QTest::newRow("25x") << 25.0 << 0.96386 << 1.03586;
        QTest::newRow("50x") << 50.0 << 0.98394 << 1.01594;
        QTest::newRow("75x") << 75.0 << 0.99063 << 1.00930;
        QTest::newRow("100x") << 100.0 << 0.99398 << 1.00598;
        QTest::newRow("125x") << 125.0 << 0.99598 << 1.00398;
    }

    void distanceTable()
    {
        // m = 0.4 %, cum = 0: tier 1 of the BTCUSDT table for a small position.
        QFETCH(double, leverage);
        QFETCH(double, longRatio);
        QFETCH(double, shortRatio);
        const auto l = LiquidationPrice::forLong(100'000, leverage, 10'000);
        const auto s = LiquidationPrice::forShort(100'000, leverage, 10'000);
        QCOMPARE(l.bracket, 0);
        QCOMPARE(s.bracket, 0);
        QVERIFY2(std::abs(l.price / 100'000 - longRatio) < 5e-6, qPrintable(QString::number(l.price / 100'000, 'f', 6)));
        QVERIFY2(std::abs(s.price / 100'000 - shortRatio) < 5e-6, qPrintable(QString::number(s.price / 100'000, 'f', 6)));
        // The common shortcut E(1 ∓ 1/λ ± m) is within 1e-3·E (and ~1e-4·E from 25x up).
        const double tolerance = leverage >= 25 ? 1.5e-4 : 1e-3;
        QVERIFY(std::abs(l.price / 100'000 - (1 - 1 / leverage + 0.004)) < tolerance);
        QVERIFY(std::abs(s.price / 100'000 - (1 + 1 / leverage - 0.004)) < tolerance);
    }

    void equityEqualsMaintenanceAtTheLiquidationPrice()
    {
        // For any position: margin N/λ minus the loss at LP equals LP·Q·m − cum of the bracket
        // the position is in at LP, and that bracket holds LP·Q.
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> lev(2, 125), logNotional(std::log(100.0), std::log(4e8)), entry(10, 200'000);
        const auto &table = LiquidationPrice::binanceBtcUsdt();
        for (int i = 0; i < 2000; ++i) {
            const double e = entry(rng), n = std::exp(logNotional(rng)), l = lev(rng), q = n / e;
            for (int side : {+1, -1}) {
                const auto r = side > 0 ? LiquidationPrice::forLong(e, l, n) : LiquidationPrice::forShort(e, l, n);
                if (r.price <= 0)
                    continue;
                const auto &b = table[r.bracket];
                const double equity = n / l + side * q * (r.price - e);
                const double mm = r.price * q * b.mmr - b.cum;
                QVERIFY2(std::abs(equity - mm) <= 1e-7 * n, qPrintable(QStringLiteral("side %1 e %2 n %3 lev %4").arg(side).arg(e).arg(n).arg(l)));
                if (r.bracket + 1 < table.size())
                    QVERIFY(r.price * q < b.cap);
                // Longs are liquidated below entry, shorts above, for any leverage the bracket
                // allows (above it the exchange would refuse the position).
                if (l <= b.maxLeverage)
                    QVERIFY(side > 0 ? r.price < e : r.price > e);
            }
        }
    }

    void aHigherMaintenanceRatePullsTheLevelsTowardEntry()
    {
        // A venue's schedule with 1 % in its first tier instead of Binance's 0.4 %: a long is
        // liquidated higher, a short lower, by the difference in maintenance margin.
        const QVector<LiquidationPrice::Bracket> venue = {{0, 1e6, 0.01, 0, 100}, {1e6, 1e9, 0.02, 10'000, 50}};
        for (double leverage : {5.0, 20.0, 50.0}) {
            const double defaultLong = LiquidationPrice::forLong(100'000, leverage, 10'000).price;
            const double venueLong = LiquidationPrice::forLong(100'000, leverage, 10'000, venue).price;
            const double defaultShort = LiquidationPrice::forShort(100'000, leverage, 10'000).price;
            const double venueShort = LiquidationPrice::forShort(100'000, leverage, 10'000, venue).price;
            QVERIFY(venueLong > defaultLong);
            QVERIFY(venueShort < defaultShort);
            QCOMPARE(venueLong, 100'000 * (1 - 1 / leverage) / (1 - 0.01));
        }
        // The second tier's rate and amount apply to a position valued there at the liquidation price.
        const auto big = LiquidationPrice::forLong(100'000, 10, 5e6, venue);
        QCOMPARE(big.bracket, 1);
        QCOMPARE(big.price, 100'000 * (1 - 0.1 - 10'000 / 5e6) / (1 - 0.02));
    }

    void feeBufferAndFundingMoveTheLevelTowardEntry()
    {
        const double plain = LiquidationPrice::forLong(100'000, 50, 10'000).price;
        const double fee = LiquidationPrice::forLong(100'000, 50, 10'000, LiquidationPrice::binanceBtcUsdt(), 0.0005).price;
        QVERIFY(std::abs((fee - plain) - 100'000 * 0.0005 / 0.996) < 1e-6);
        // Funding paid by a long shrinks its margin: the level moves up by paid/(1 − m).
        const double paid = LiquidationPrice::forLong(100'000, 50, 10'000, LiquidationPrice::binanceBtcUsdt(), 0, 0.001).price;
        QVERIFY(std::abs((paid - plain) - 100 / 0.996) < 1e-6);
        // A short that received funding (paid < 0) is liquidated further away.
        const double shortPlain = LiquidationPrice::forShort(100'000, 50, 10'000).price;
        const double shortRecv = LiquidationPrice::forShort(100'000, 50, 10'000, LiquidationPrice::binanceBtcUsdt(), 0, -0.001).price;
        QVERIFY(std::abs((shortRecv - shortPlain) - 100 / 1.004) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestLiquidationPrice)
#include "tst_liquidationprice.moc"
