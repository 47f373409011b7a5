#include "sources/sim/priceladder.h"

#include <QtTest>

#include <random>

// The bucketed price index behind liquidation and stop triggers.
class TestPriceLadder : public QObject
{
    Q_OBJECT

private slots:
    void frontIsTheFirstToTrigger()
    {
        PriceLadder longs(PriceLadder::Order::HighestFirst);
        PriceLadder shorts(PriceLadder::Order::LowestFirst);
        const double prices[] = {95'000, 99'500, 90'000, 99'500.5, 80'000, 120'000};
        for (quint32 i = 0; i < 6; ++i) {
            longs.insert(i, prices[i]);
            shorts.insert(i, prices[i]);
        }
        QCOMPARE(longs.front().id, 5u);
        QCOMPARE(shorts.front().id, 4u);
        QVERIFY(longs.reached(100'000)); // 120,000 >= 100,000
        longs.popFront();
        QVERIFY(longs.reached(99'500));
        QCOMPARE(longs.front().price, 99'500.5);
        QVERIFY(!longs.reached(99'600));
        QVERIFY(!shorts.reached(79'999));
        QVERIFY(shorts.reached(80'000));
    }

    void removeFindsTheExactEntry()
    {
        PriceLadder l(PriceLadder::Order::HighestFirst);
        l.insert(1, 100.0);
        l.insert(2, 100.0);
        l.insert(3, 100.5);
        QVERIFY(!l.remove(2, 100.01));
        QVERIFY(l.remove(3, 100.5));
        QCOMPARE(l.front().id, 1u); // equal prices: lower id triggers first
        QVERIFY(l.remove(1, 100.0));
        QCOMPARE(l.front().id, 2u);
        QVERIFY(l.remove(2, 100.0));
        QVERIFY(l.isEmpty());
        QVERIFY(!l.reached(1));
    }

    void agreesWithAFullSortUnderRandomUse()
    {
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> price(20'000, 200'000);
        for (PriceLadder::Order order : {PriceLadder::Order::HighestFirst, PriceLadder::Order::LowestFirst}) {
            PriceLadder l(order);
            std::map<quint32, double> live;
            for (quint32 id = 0; id < 5000; ++id) {
                const double p = std::round(price(rng));
                l.insert(id, p);
                live[id] = p;
                if (id % 3 == 0) {
                    const quint32 victim = id / 2;
                    if (live.count(victim)) {
                        QVERIFY(l.remove(victim, live[victim]));
                        live.erase(victim);
                    }
                }
            }
            QCOMPARE(l.size(), qsizetype(live.size()));
            std::vector<std::pair<double, quint32>> expected;
            for (auto [id, p] : live)
                expected.push_back({order == PriceLadder::Order::HighestFirst ? -p : p, id});
            std::sort(expected.begin(), expected.end());
            for (const auto &[key, id] : expected) {
                QCOMPARE(l.front().id, id);
                l.popFront();
            }
            QVERIFY(l.isEmpty());
        }
    }

    void bucketsAreTheSharedGridBins()
    {
        PriceLadder l(PriceLadder::Order::HighestFirst);
        const LogPriceGrid grid;
        l.append(1, 99'800);
        l.append(2, 100'010);
        l.append(3, 150'000);
        l.sortAll();
        QCOMPARE(l.front().id, 3u);
        std::vector<int> bins;
        l.forEachBin([&](int bin, const std::vector<PriceLadder::Entry> &entries) {
            bins.push_back(bin);
            for (const auto &e : entries)
                QCOMPARE(grid.binOf(e.price), bin);
        });
        QCOMPARE(bins.size(), size_t(3));
        QVERIFY(std::is_sorted(bins.begin(), bins.end()));
    }
};

QTEST_GUILESS_MAIN(TestPriceLadder)
#include "tst_priceladder.moc"
