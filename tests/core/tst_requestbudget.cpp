#include "sources/exchange/backoff.h"
#include "sources/exchange/exchangeadapter.h"
#include "sources/exchange/requestbudget.h"
#include "testutil.h"

// The weight and bucket arithmetic on a made-up clock.
class TestRequestBudget : public QObject
{
    Q_OBJECT

private:
    static RestRequest weighing(int w, const QString &bucket = {})
    {
        RestRequest r;
        r.weight = w;
        r.bucket = bucket;
        return r;
    }

private slots:
    void staysUnderTheWeightPerWindow()
    {
        RequestBudget b;
        b.setWeightLimit(100, 60'000, 0.8); // 80 usable per minute
        qint64 t = 120'000;                 // start of a window
        for (int i = 0; i < 16; ++i) {
            QCOMPARE(b.delayFor(weighing(5), t), 0);
            b.sent(weighing(5), t);
            t += 10;
        }
        const qint64 wait = b.delayFor(weighing(5), t);
        QVERIFY(wait > 0);
        QVERIFY(t + wait >= 180'000); // not before the next window, by the venue's clock
        QCOMPARE(b.delayFor(weighing(5), 180'000 + 1500), 0);
    }

    void theVenuesCountWins()
    {
        RequestBudget b;
        b.setWeightLimit(2400, 60'000, 0.8);
        b.sent(weighing(1), 1000);
        b.observed(1915, 1100); // other programs on this IP used weight too
        QVERIFY(b.delayFor(weighing(10), 1200) > 0);
        QVERIFY(b.delayFor(weighing(5), 1200) == 0); // 1920 = 80 % of 2400 still fits
        QCOMPARE(b.usedInWindow(1200), 1915);
        QCOMPARE(b.usedInWindow(61'000), 0);
    }

    void bucketsAndBlocks()
    {
        RequestBudget b;
        b.setWeightLimit(2400, 60'000, 1.0);
        b.addBucket(QStringLiteral("funding"), 3, 300'000);
        for (int i = 0; i < 3; ++i)
            b.sent(weighing(1, QStringLiteral("funding")), 1000 + i);
        QVERIFY(b.delayFor(weighing(1, QStringLiteral("funding")), 2000) >= 299'000);
        QCOMPARE(b.delayFor(weighing(1), 2000), 0); // other endpoints are not held up
        b.blockUntil(50'000);
        QCOMPARE(b.delayFor(weighing(1), 2000), 48'000);
        QCOMPARE(b.delayFor(weighing(0), 49'999), 1);
    }

    // Before the first serverTime answer the venue's clock is the local one; a backoff noted
    // then must move with the estimate (a venue clock years behind once blocked for 24 h).
    void whatWasNotedMovesWithTheClock()
    {
        RequestBudget b;
        b.setWeightLimit(100, 60'000, 0.8);
        b.addBucket(QStringLiteral("funding"), 2, 300'000);
        const qint64 local = 1'800'000'000'000;
        const qint64 delta = -120'000'000'000; // the venue's clock, found years behind
        b.blockUntil(local + 800);
        b.sent(weighing(70), local);
        b.sent(weighing(1, QStringLiteral("funding")), local);
        b.sent(weighing(1, QStringLiteral("funding")), local);
        b.shiftClock(delta);
        const qint64 venue = local + delta;
        QCOMPARE(b.blockedUntil(), venue + 800);
        QCOMPARE(b.delayFor(weighing(1), venue + 100), 700);
        QCOMPARE(b.delayFor(weighing(1), venue + 800), 0);
        QCOMPARE(b.usedInWindow(venue + 800), 72);          // the weight already spent still counts
        QVERIFY(b.delayFor(weighing(10), venue + 800) > 0); // 72 + 10 > 80
        const qint64 funding = b.delayFor(weighing(1, QStringLiteral("funding")), venue + 1000);
        QVERIFY2(funding > 298'000 && funding < 301'000, qPrintable(QString::number(funding)));
        b.shiftClock(0);
        QCOMPARE(b.blockedUntil(), venue + 800);
    }

    void backoffGrowsToItsCapWithJitter()
    {
        Backoff b(100, 1000, 7);
        qint64 last = 0;
        for (int i = 0; i < 12; ++i) {
            const qint64 d = b.next();
            const qint64 full = std::min<qint64>(1000, 100LL << i);
            QVERIFY(d >= full / 2 && d <= full);
            last = d;
        }
        QVERIFY(last >= 500);
        b.reset();
        QVERIFY(b.next() <= 100);
    }
};

QTEST_GUILESS_MAIN(TestRequestBudget)
#include "tst_requestbudget.moc"
