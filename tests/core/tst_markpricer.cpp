#include "sources/sim/markpricer.h"

#include <QtTest>

// Binance's mark price: median(P1, P2, last), P2 from a 30 s moving average of the basis.
class TestMarkPricer : public QObject
{
    Q_OBJECT

private slots:
    void markIsTheMedianOfThree()
    {
        MarkPricer m;
        m.sample(100'000, 100'000); // basis 0
        // P1 = index (no funding term), P2 = index: a last-price wick does not move the mark.
        QCOMPARE(m.mark(100'000, 97'000, 0, 0.5), 100'000.0);
        QCOMPARE(m.mark(100'000, 103'000, 0, 0.5), 100'000.0);
        // The funding term lifts P1 by rate x time to funding.
        QCOMPARE(MarkPricer::price1(100'000, 0.001, 0.5), 100'050.0);
        QCOMPARE(m.mark(100'000, 100'100, 0.001, 0.5), 100'050.0);
    }

    void aSustainedDiscountDragsP2WithinHalfAMinute()
    {
        MarkPricer m;
        for (int s = 0; s < 30; ++s)
            m.sample(100'000, 100'000);
        for (int s = 0; s < 15; ++s)
            m.sample(100'000, 98'000); // the perp trades 2 % under spot
        QCOMPARE(m.price2(100'000), 99'000.0);
        QCOMPARE(m.mark(100'000, 98'000, 0, 0.5), 99'000.0);
        for (int s = 0; s < 15; ++s)
            m.sample(100'000, 98'000);
        QCOMPARE(m.price2(100'000), 98'000.0);
    }

    void reviseReplacesThisSecondsSample()
    {
        MarkPricer m;
        m.sample(100'000, 100'000);
        m.sample(100'000, 100'000);
        m.revise(100'000, 99'000); // trades in this second moved the mid
        QCOMPARE(m.price2(100'000), 99'500.0);
    }
};

QTEST_GUILESS_MAIN(TestMarkPricer)
#include "tst_markpricer.moc"
