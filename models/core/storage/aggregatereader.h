#pragma once

#include "domain/aggregates.h"
#include "domain/candle.h"
#include "domain/coverage.h"
#include "domain/datakind.h"
#include "domain/fundingsample.h"
#include "domain/liquidation.h"
#include "domain/liquidationbar.h"
#include "domain/linebar.h"
#include "domain/openinterestsample.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"

#include <QList>
#include <QVector>
#include <functional>
#include <optional>

class StoreReader;

// Reads an aggregated instrument (ALL:BTC, domain/aggregates.h) as one instrument from its
// members' stored series: StoreReader hands every query for an ALL: instrument here, so the
// panes, the range analysis and the CLI read aggregates as they read a venue. No SQL: it only
// combines what the reader returns per member.
//
// - Open interest (coins and USD) is the sum of the members' last samples; a member's sample
//   stands for up to oiStaleMs (three 5-minute OI intervals) or one bucket. Where a member
//   has none, the aggregate has no value (a hole, never a smaller sum). For bars the sum of
//   the members' highs (lows) bounds the sum's high (low) from above (below).
// - Funding is per 8 h (each member's rate x 8 / its interval), weighted by the members' USD
//   open interest at the time; settlements at the union of the members' settlement times,
//   a member's last settlement in force for 1.5 of its intervals. Missing a member's rate or
//   OI: no value.
// - Candles: price (OHLC) from the reference member, volumes (coins, quote, taker buy) summed
//   over the members that hold the bar; coverage (the weakest member's) says where a member
//   is missing. Mark price: the reference's.
// - Liquidations: every member's prints, merged in time; bars summed; coverage the weakest
//   member's (one sampled feed makes the union sampled).
class AggregateReader
{
public:
    static constexpr qint64 oiStaleMs = 15 * 60'000;

    struct Members
    {
        QList<Instrument> instruments; // reference first
        bool userDefined = false;      // from the store's meta table, else the default rule
        Instrument reference() const { return instruments.isEmpty() ? Instrument{} : instruments.front(); }
    };
    // A tape row of an aggregate: the print and the index of its member.
    struct TapeRow
    {
        Liquidation liquidation;
        int member = 0;
    };

    explicit AggregateReader(StoreReader &reader);

    Members members(const Instrument &aggregate);
    // The aggregates to offer: every stored set (meta) and the default one per underlying
    // with at least two venue perpetuals in the store.
    QList<Instrument> aggregates();
    // The members whose coverage of `kind` over `range` has holes (unknown there): what makes
    // an aggregate figure partial.
    QList<Instrument> membersMissing(const Instrument &aggregate, DataKind kind, TimeRange range);

    QVector<Candle> candles(const Instrument &aggregate, Timeframe tf, TimeRange range);
    QVector<Candle> markCandles(const Instrument &aggregate, Timeframe tf, TimeRange range);
    QVector<FundingSample> funding(const Instrument &aggregate, TimeRange range);
    QVector<FundingSample> predictedFunding(const Instrument &aggregate, TimeRange range);
    QVector<OpenInterestSample> openInterest(const Instrument &aggregate, TimeRange range);
    QVector<Liquidation> liquidations(const Instrument &aggregate, TimeRange range);
    QVector<LineBar> lineBars(const Instrument &aggregate, LineSeries series, Timeframe tf, TimeRange range);
    QVector<LiquidationBar> liquidationBars(const Instrument &aggregate, Timeframe tf, TimeRange range);
    QVector<TapeRow> latestTape(const Instrument &aggregate, qint64 before, int limit);
    QVector<Liquidation> latestLiquidations(const Instrument &aggregate, qint64 before, int limit);
    std::optional<OpenInterestSample> openInterestAt(const Instrument &aggregate, qint64 t);
    std::optional<FundingSample> fundingAt(const Instrument &aggregate, qint64 t);
    std::optional<FundingSample> predictedFundingAt(const Instrument &aggregate, qint64 t);
    TimeRange extent(const Instrument &aggregate, DataKind kind);
    qint64 count(const Instrument &aggregate, DataKind kind);
    QVector<CoverageSpan> coverage(const Instrument &aggregate);
    QVector<CoverageSpan> coverage(const Instrument &aggregate, DataKind kind, TimeRange range);
    CoverageSummary coverageSummary(const Instrument &aggregate, DataKind kind, TimeRange range, qint64 maxResolutionMs);
    QString liquidationFeed(const Instrument &aggregate);

    // A member's funding interval in hours (its newest predicted or settled rate; 8 unknown).
    int intervalHours(const Instrument &member, qint64 at);

private:
    QVector<FundingSample> oiWeighted(const QList<Instrument> &members, const QVector<QVector<FundingSample>> &per, TimeRange range,
                                      const std::function<qint64(int intervalHours)> &inForceMs);
    QVector<LineBar> summedLines(const QList<Instrument> &members, LineSeries series, Timeframe tf, TimeRange range);
    QVector<LineBar> weightedFunding(const QList<Instrument> &members, Timeframe tf, TimeRange range);
    std::optional<double> weightedRateAt(const QList<Instrument> &members, qint64 t, bool predicted, qint64 *ts);

    StoreReader &m_reader;
};
