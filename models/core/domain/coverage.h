#pragma once

#include "datakind.h"
#include "instrument.h"
#include "timerange.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>
#include <limits>
#include <optional>

// How completely a source saw one series. There is no "none" value on purpose: a span that
// no source covered has no coverage record at all, and readers treat it as unknown.
// The numeric values are stored (coverage.quality): never renumber them. Higher is better.
enum class CoverageQuality : int {
    Sampled = 1,  // a subset of the events: Binance's liquidation stream (one print per second)
    Complete = 2, // every event or bar: the simulator, a kline dump, Bybit's allLiquidation
};

// What one source covered of one series of one instrument: "from BTCUSDT-1m-2024-01.zip, 1m
// candles, complete, January". Sources attach these to the MarketBatch that carries the
// rows, and the writer commits both in one transaction, so a span is never recorded without
// its rows. Spans of the same kind, quality and resolution that touch are merged.
struct CoverageSpan
{
    Instrument instrument; // in a MarketBatch: empty = the batch's instrument
    DataKind kind = DataKind::Candles;
    TimeRange range;
    CoverageQuality quality = CoverageQuality::Complete;
    // The finest interval of the rows held: 60'000 for 1m bars, 300'000 for 5-minute open
    // interest, 28'800'000 for 8-hourly funding; for events (liquidations) 0 = every event,
    // 1'000 = at most one per second.
    qint64 resolutionMs = 0;
    QString origin; // which source: "sim", "import", "binance rest", "binance stream"

    friend bool operator==(const CoverageSpan &, const CoverageSpan &) = default;
};

// Coverage of one kind over one range, as the analysis and the panes need it.
struct CoverageSummary
{
    DataKind kind = DataKind::Candles;
    TimeRange range;
    QVector<TimeRange> covered; // at the asked resolution or finer, sorted, disjoint
    QVector<TimeRange> coarser; // covered only at a coarser resolution ("not at this resolution")
    QVector<TimeRange> holes;   // covered by nothing: unknown
    // The weakest quality over `covered` (nullopt when nothing is covered).
    std::optional<CoverageQuality> quality;
    std::optional<qint64> finestResolutionMs; // over covered and coarser
    std::optional<qint64> coarsestResolutionMs;

    double share() const; // covered span / range span, 0..1
    bool isFull() const { return holes.isEmpty() && coarser.isEmpty() && !covered.isEmpty(); }
    bool isNone() const { return covered.isEmpty(); }
    bool covers(qint64 t) const;
    // Whether one covered stretch holds all of r (a bar [ts, ts + its span)).
    bool coversAll(TimeRange r) const;
};

// Whether the stored taker-buy volume of a bar is known. Unknown where a source recorded the
// candles (DataKind::Candles coverage) without taker-buy volume (no DataKind::TakerBuy
// coverage): Bybit and OKX klines have none and store 0, which is not "no taker bought".
// Bars stored before coverage was recorded came from sources that all carried it (Binance,
// file imports, the simulator), so their stored value stands.
struct TakerBuyCoverage
{
    CoverageSummary candles;  // coverage of DataKind::Candles over the range read
    CoverageSummary takerBuy; // of DataKind::TakerBuy over the same range
    bool isUnknown(TimeRange bar) const { return candles.coversAll(bar) && !takerBuy.coversAll(bar); }
};

namespace Coverages {
QString qualityName(CoverageQuality q); // "complete", "sampled"
std::optional<CoverageQuality> parseQuality(const QString &text);
// "complete", "sampled" or "none" for an optional quality.
QString qualityName(const std::optional<CoverageQuality> &q);

// Sorted union of ranges; ranges that overlap or touch become one.
QVector<TimeRange> unite(QVector<TimeRange> ranges);
// Parts of `range` that none of the (united) ranges cover.
QVector<TimeRange> holes(const QVector<TimeRange> &united, TimeRange range);
// Intersection of two united range lists.
QVector<TimeRange> intersect(const QVector<TimeRange> &a, const QVector<TimeRange> &b);
QVector<TimeRange> clip(const QVector<TimeRange> &united, TimeRange range);
qint64 length(const QVector<TimeRange> &united);

// Coverage of `kind` over `range` from the stored spans (any kind and instrument: others are
// ignored). Spans whose resolution is coarser than maxResolutionMs count as `coarser`.
CoverageSummary summarize(const QVector<CoverageSpan> &spans, DataKind kind, TimeRange range,
                          qint64 maxResolutionMs = std::numeric_limits<qint64>::max());
// What the spans say of `kind` over everything they cover: the summary over the union of its
// spans (an invalid range when it was never covered) and the qualities seen, each once, in
// the order the spans list them. What `perpscope coverage` and `status` print per kind.
struct KindCoverage
{
    CoverageSummary summary;
    QStringList qualities;
};
KindCoverage ofKind(const QVector<CoverageSpan> &spans, DataKind kind);
// An aggregate of instruments (one underlying over several venues) is only as covered as its
// weakest member: the intersection of what each covered, the lowest quality, the coarsest
// of the finest resolutions.
CoverageSummary weakest(const QVector<CoverageSummary> &members);
} // namespace Coverages

Q_DECLARE_METATYPE(CoverageSpan)
