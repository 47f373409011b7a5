#include "domain/coverage.h"
#include "testutil.h"

// The coverage arithmetic every reader of coverage relies on: unions, holes, summaries at a
// resolution, quality over mixed spans, and the weakest-member rule of aggregates.
class TestCoverage : public QObject
{
    Q_OBJECT

private:
    static CoverageSpan span(DataKind k, qint64 from, qint64 to, CoverageQuality q = CoverageQuality::Complete, qint64 res = 60'000)
    {
        return {{}, k, {from, to}, q, res, QStringLiteral("test")};
    }

private slots:
    void uniteMergesOverlappingAndTouching()
    {
        const auto u = Coverages::unite({{10, 20}, {0, 5}, {5, 8}, {18, 30}, {40, 41}, {50, 50}});
        QCOMPARE(u, (QVector<TimeRange>{{0, 8}, {10, 30}, {40, 41}}));
        QCOMPARE(Coverages::holes(u, {-5, 45}), (QVector<TimeRange>{{-5, 0}, {8, 10}, {30, 40}, {41, 45}}));
        QCOMPARE(Coverages::holes(u, {12, 25}), QVector<TimeRange>());
        QCOMPARE(Coverages::holes({}, {1, 2}), (QVector<TimeRange>{{1, 2}}));
        QCOMPARE(Coverages::intersect(u, {{5, 12}, {29, 45}}), (QVector<TimeRange>{{5, 8}, {10, 12}, {29, 30}, {40, 41}}));
        QCOMPARE(Coverages::length(u), 8 + 20 + 1);
    }

    void summaryOfOneKind()
    {
        const QVector<CoverageSpan> spans = {span(DataKind::OpenInterest, 0, 100, CoverageQuality::Complete, 300'000),
                                             span(DataKind::OpenInterest, 200, 300, CoverageQuality::Complete, 300'000),
                                             span(DataKind::Candles, 0, 1000)};
        const CoverageSummary s = Coverages::summarize(spans, DataKind::OpenInterest, {50, 250});
        QCOMPARE(s.covered, (QVector<TimeRange>{{50, 100}, {200, 250}}));
        QCOMPARE(s.holes, (QVector<TimeRange>{{100, 200}}));
        QCOMPARE(s.share(), 0.5);
        QCOMPARE(s.quality, std::optional(CoverageQuality::Complete));
        QCOMPARE(s.finestResolutionMs, std::optional<qint64>(300'000));
        QVERIFY(!s.isFull());
        QVERIFY(s.covers(60) && !s.covers(150));
        const CoverageSummary none = Coverages::summarize(spans, DataKind::Liquidations, {0, 10});
        QVERIFY(none.isNone());
        QCOMPARE(none.quality, std::nullopt);
        QCOMPARE(Coverages::qualityName(none.quality), QStringLiteral("none"));
        QCOMPARE(none.holes, (QVector<TimeRange>{{0, 10}}));
    }

    void sampledAnywhereMakesTheSummarySampled()
    {
        const QVector<CoverageSpan> spans = {span(DataKind::Liquidations, 0, 100, CoverageQuality::Complete, 0),
                                             span(DataKind::Liquidations, 50, 200, CoverageQuality::Sampled, 1000)};
        QCOMPARE(Coverages::summarize(spans, DataKind::Liquidations, {0, 100}).quality, std::optional(CoverageQuality::Complete));
        const auto s = Coverages::summarize(spans, DataKind::Liquidations, {0, 200});
        QCOMPARE(s.quality, std::optional(CoverageQuality::Sampled));
        QCOMPARE(s.share(), 1.0);
        QCOMPARE(s.finestResolutionMs, std::optional<qint64>(0));
        QCOMPARE(s.coarsestResolutionMs, std::optional<qint64>(1000));
    }

    void coarserResolutionIsNotAHole()
    {
        // 1m bars in [0, 100), 1h bars imported over [0, 400): at 1m, [100, 400) is held only coarser.
        const QVector<CoverageSpan> spans = {span(DataKind::Candles, 0, 100), span(DataKind::Candles, 0, 400, CoverageQuality::Complete, 3'600'000)};
        const auto atMinute = Coverages::summarize(spans, DataKind::Candles, {0, 500}, 60'000);
        QCOMPARE(atMinute.covered, (QVector<TimeRange>{{0, 100}}));
        QCOMPARE(atMinute.coarser, (QVector<TimeRange>{{100, 400}}));
        QCOMPARE(atMinute.holes, (QVector<TimeRange>{{400, 500}}));
        const auto any = Coverages::summarize(spans, DataKind::Candles, {0, 500});
        QCOMPARE(any.covered, (QVector<TimeRange>{{0, 400}}));
        QVERIFY(any.coarser.isEmpty());
        QCOMPARE(any.finestResolutionMs, std::optional<qint64>(60'000));
    }

    void anAggregateIsAsCoveredAsItsWeakestMember()
    {
        const auto a = Coverages::summarize({span(DataKind::Liquidations, 0, 100, CoverageQuality::Complete, 0)}, DataKind::Liquidations, {0, 100});
        const auto b = Coverages::summarize({span(DataKind::Liquidations, 20, 100, CoverageQuality::Sampled, 1000)}, DataKind::Liquidations, {0, 100});
        const auto w = Coverages::weakest({a, b});
        QCOMPARE(w.covered, (QVector<TimeRange>{{20, 100}}));
        QCOMPARE(w.holes, (QVector<TimeRange>{{0, 20}}));
        QCOMPARE(w.quality, std::optional(CoverageQuality::Sampled));
        QCOMPARE(w.finestResolutionMs, std::optional<qint64>(1000));
        const auto none = Coverages::summarize({}, DataKind::Liquidations, {0, 100});
        QCOMPARE(Coverages::weakest({a, none}).quality, std::nullopt);
    }

    void qualityNamesRoundTrip()
    {
        for (CoverageQuality q : {CoverageQuality::Complete, CoverageQuality::Sampled})
            QCOMPARE(Coverages::parseQuality(Coverages::qualityName(q)), std::optional(q));
        QCOMPARE(Coverages::parseQuality(QStringLiteral("full")), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestCoverage)
#include "tst_coverage.moc"
