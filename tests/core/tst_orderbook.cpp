#include "sources/sim/orderbook.h"
#include "sources/sim/simunits.h"

#include <QtTest>

#include <cmath>

// The depth-profile book: walks, resilience, limits, resting orders and the arbitrage ladder.
class TestOrderBook : public QObject
{
    Q_OBJECT

private:
    static OrderBook::Config config()
    {
        OrderBook::Config c;
        c.referenceTick = 100'000;
        c.gamma = 0.5;
        c.decayTicks = 200;
        c.maxDepthTicks = 2000;
        c.resilienceSeconds = 30;
        return c;
    }
    static double profile(int d) { return std::pow(double(d), 0.5) * std::exp(-d / 200.0); }
    static qint64 total(const std::vector<OrderBook::Fill> &fills)
    {
        qint64 n = 0;
        for (const auto &f : fills)
            n += f.lots;
        return n;
    }

private slots:
    void aMarketOrderWalksTheProfileAndMovesTheTouch()
    {
        OrderBook book(config());
        book.setScale(0.05, 0.05);
        std::vector<OrderBook::Fill> fills;
        QCOMPARE(book.market(-1, 1, 0, fills), qint64(1));
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].tick, 99'999);
        QCOMPARE(fills[0].maker, OrderBook::marketMaker);
        QCOMPARE(book.reference(), 100'000); // the best bid still has size

        fills.clear();
        const qint64 want = 2000; // 2 coins
        QCOMPARE(book.market(-1, want, 0, fills), want);
        QCOMPARE(total(fills), want);
        // Each level gives what the profile quotes there (the touch lost one lot before).
        for (size_t i = 0; i + 1 < fills.size(); ++i) {
            const int d = 100'000 - fills[i].tick;
            const qint64 quoted = SimUnits::lotsFloor(0.05 * profile(d) - (d == 1 ? 0.001 : 0.0));
            QVERIFY(qAbs(fills[i].lots - quoted) <= 1);
            QCOMPARE(fills[i + 1].tick, fills[i].tick - 1);
        }
        QVERIFY(book.reference() <= fills.back().tick + 1);
        QVERIFY(book.reference() > fills.back().tick - 1);
    }

    void sweptLevelsRefillWithTheResilienceTime()
    {
        OrderBook book(config());
        book.setScale(0.05, 0.05);
        std::vector<OrderBook::Fill> first, again, later;
        book.market(-1, 3000, 0, first);
        const int touch = first.back().tick;
        book.setReference(100'000); // the maker re-quotes at the old centre
        book.market(-1, 3000, 1, again);
        QVERIFY(again.back().tick < touch); // the same levels are thin: it goes deeper
        book.setReference(100'000);
        book.market(-1, 3000, 1000, later); // 33 resilience times later: refilled
        QVERIFY(qAbs(later.back().tick - touch) <= 1);
    }

    void anIocNeverFillsBeyondItsLimit()
    {
        OrderBook book(config());
        book.setScale(0.05, 0.05);
        std::vector<OrderBook::Fill> fills;
        const qint64 filled = book.market(1, 1'000'000, 0, fills, 100'050);
        QVERIFY(filled > 0 && filled < 1'000'000);
        for (const auto &f : fills)
            QVERIFY(f.tick <= 100'050);
    }

    void restingOrdersFillFirstAndCrossWhenTheQuotesMoveThrough()
    {
        OrderBook book(config());
        book.setScale(0.05, 0.05);
        book.addResting(-1, 99'990, 7, 500);
        book.addResting(-1, 99'990, 8, 500);
        book.addResting(1, 100'500, 9, 100);
        QCOMPARE(book.restingCount(), qsizetype(3));
        std::vector<OrderBook::Fill> fills;
        book.market(-1, 5000, 0, fills);
        std::vector<quint32> atLevel;
        for (const auto &f : fills)
            if (f.tick == 99'990)
                atLevel.push_back(f.maker);
        QVERIFY(atLevel.size() >= 3);
        QCOMPARE(atLevel[0], 7u); // time priority, then the maker
        QCOMPARE(atLevel[1], 8u);
        QCOMPARE(atLevel[2], OrderBook::marketMaker);
        QCOMPARE(book.restingCount(), qsizetype(1));
        QCOMPARE(book.cancelResting(1, 100'500, 9), qint64(100));
        QCOMPARE(book.restingCount(), qsizetype(0));

        book.addResting(-1, 99'000, 11, 300);
        book.setReference(98'990);
        const auto crossed = book.takeCrossed();
        QCOMPARE(crossed.size(), size_t(1));
        QCOMPARE(crossed[0].side, -1);
        QCOMPARE(crossed[0].tick, 99'000);
        QCOMPARE(crossed[0].order.lots, qint64(300));
        QCOMPARE(book.restingCount(), qsizetype(0));
    }

    void impactPriceIsTheAverageFillWithoutTrading()
    {
        OrderBook book(config());
        book.setScale(0.05, 0.05);
        const double small = book.impactPrice(1, 100, 0);
        QCOMPARE(small, 100'001.0);
        const double bid = book.impactPrice(-1, 25'000, 0);
        QVERIFY(bid < 99'999 && bid > 99'900);
        QCOMPARE(book.impactPrice(-1, 25'000, 0), bid); // nothing was consumed
        QCOMPARE(book.quotedDepth(-1, 0.003), book.depthWithin(-1, 0.003, 0));
    }

    void theArbitrageLadderTakesWhatTheMakerCannot()
    {
        OrderBook book(config());
        book.setScale(0.0001, 0.0001); // a withdrawn maker
        OrderBook::Anchor a;
        a.bidStart = 99'900;
        a.askStart = 100'100;
        a.density = 0.001; // coins per tick per tick beyond the start
        a.bidLots = 50'000;
        a.askLots = 50'000;
        a.owner = 42;
        book.setAnchor(a);
        std::vector<OrderBook::Fill> fills;
        QCOMPARE(book.market(-1, 5000, 0, fills), qint64(5000));
        qint64 arb = 0;
        for (const auto &f : fills)
            if (f.maker == 42u) {
                QVERIFY(f.tick < 99'900);
                arb += f.lots;
            }
        QVERIFY(arb > 4000);
        // density · m² / 2 = 5 coins: the walk ends ~100 ticks beyond the ladder's start.
        QVERIFY(fills.back().tick > 99'900 - 110 && fills.back().tick < 99'900 - 90);
    }
};

QTEST_GUILESS_MAIN(TestOrderBook)
#include "tst_orderbook.moc"
