#include "analysis/scoremetrics.h"

#include <QtTest>

#include <cmath>

class TestScoreMetrics : public QObject
{
    Q_OBJECT

private slots:
    void spearman()
    {
        using ScoreMetrics::spearman;
        QCOMPARE(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
        QCOMPARE(spearman({1, 2, 3, 4}, {40, 30, 20, 10}), -1.0);
        QCOMPARE(spearman({1, 2, 3, 4}, {1, 4, 9, 1000}), 1.0); // ranks, not values
        // Ties get average ranks: x ranks (1.5, 1.5, 3, 4), y ranks (1, 2, 3, 4).
        QVERIFY(std::abs(spearman({0, 0, 5, 7}, {1, 2, 3, 4}) - 0.9486832980505138) < 1e-12);
        QVERIFY(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
        QVERIFY(std::isnan(spearman({1}, {1})));
    }

    void earthMoversDistance()
    {
        using ScoreMetrics::emdBins;
        QCOMPARE(emdBins({0, 1, 0, 0, 0}, {0, 0, 0, 1, 0}), 2.0); // a unit moved two bins
        QCOMPARE(emdBins({0, 2, 0}, {0, 5, 0}), 0.0);             // scale does not matter
        QCOMPARE(emdBins({1, 0, 1}, {0, 2, 0}), 1.0);             // half the mass moves one bin each way
        QVERIFY(std::isnan(emdBins({0, 0}, {1, 0})));
    }

    void hotZonesAndMatching()
    {
        using namespace ScoreMetrics;
        QCOMPARE(hotBins({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9), (QVector<int>{9, 10}));
        QCOMPARE(hotBins({0, 0, 3, 3, 3}, 0.9), (QVector<int>{2, 3, 4})); // ties are all hot
        QVERIFY(hotBins({0, 0}, 0.9).isEmpty());
        QCOMPARE(matchedShare({10, 20, 30}, {12, 40}, 2), 1.0 / 3);
        QCOMPARE(matchedShare({12, 40}, {10, 20, 30}, 2), 0.5);
        QCOMPARE(matchedShare({5}, {}, 2), 0.0);
        QVERIFY(std::isnan(matchedShare({}, {5}, 2)));
        QCOMPARE(median({3, 1, std::nan(""), 2}), 2.0);
        QCOMPARE(median({4, 1, 2, 3}), 2.5);
    }
};

QTEST_GUILESS_MAIN(TestScoreMetrics)
#include "tst_scoremetrics.moc"
