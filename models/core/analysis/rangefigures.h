#pragma once

#include "analysis/rangeanalysis.h"

#include <QString>

// The figures of a range analysis as text, the same in the analysis dock, in Compare and on
// the command line. A figure that is not fully known says so ("no data", "sampled",
// "62 % covered"), never "$0".
namespace RangeFigures {
inline const QString noData = QStringLiteral("no data");

QString price(const RangeAnalysis::Result &r);          // 101,230.5 → 97,768.2  (-3.42%)
QString highLow(const RangeAnalysis::Result &r);
QString realizedVol(const RangeAnalysis::Result &r);
QString openInterest(const RangeAnalysis::Result &r);   // 82,100 → 77,830 coins · $8.22B → $7.53B
QString oiChange(const RangeAnalysis::Result &r);       // -4,270 coins (-5.20%) · -$690.00M (-8.41%)
QString oiChangeShort(const RangeAnalysis::Result &r);  // -5.20% coins · -8.41% USD
QString oiPath(const RangeAnalysis::Result &r);         // peak to trough -6.10% (10:20 → 14:50)
QString takerFlow(const RangeAnalysis::Result &r);      // net sells 2,310 coins (-$225.00M)
QString funding(const RangeAnalysis::Result &r);        // 0.0100% → -0.0034% /8h
QString fundingMeanPeak(const RangeAnalysis::Result &r);
QString fundingMean(const RangeAnalysis::Result &r);
QString fundingPaid(const RangeAnalysis::Result &r);
QString longLiquidations(const RangeAnalysis::Result &r); // $16.60M (123) · sampled
QString shortLiquidations(const RangeAnalysis::Result &r);
QString liquidationCount(const RangeAnalysis::Result &r);
QString largestPrint(const RangeAnalysis::Result &r);
// The predicted notional the path consumed per side, beside the realized liquidations where
// the tape is complete: 2 zones · longs $16.2M, shorts $0.4M (realized $16.6M, $0.3M);
// "warming up until 01-08 00:00" or "n/a (no heatmap)" when not known. Compare's row.
QString consumption(const RangeAnalysis::Result &r);
QString coverage(const RangeAnalysis::Result &r);       // price 100% · OI 100% · funding 100% · liquidations none
QString verdict(const RangeAnalysis::Result &r);        // Leverage flush · high confidence
// One member of an aggregate: price -1.20% · OI $7.10B → $6.90B (-2.8%) · funding 0.0100%/8h ·
// liq $12.0M L / $0.4M S (sampled) · missing oi
QString venue(const RangeAnalysis::Venue &v);
} // namespace RangeFigures
