#pragma once

#include <QVector>

// Comparisons of two maps over the same price bins (research/models.md §5). Values are
// non-negative masses per bin (USD notional), bins ascending in price.
namespace ScoreMetrics {

// Spearman rank correlation with average ranks for ties; NaN when either side is constant.
double spearman(const QVector<double> &a, const QVector<double> &b);

// Earth mover's distance between the two maps normalised to unit mass, in bins:
// Σ_k |CDF_a(k) − CDF_b(k)|. Multiply by the bin width in log units for "fraction of price".
// NaN when either map is empty.
double emdBins(const QVector<double> &a, const QVector<double> &b);

// Indices of the hot bins: non-zero values at or above the given quantile of the non-zero values.
QVector<int> hotBins(const QVector<double> &values, double quantile);

// Share of `found` bins within ±tolerance bins of some `reference` bin (precision when found
// = predicted and reference = true, recall the other way round). NaN when found is empty.
double matchedShare(const QVector<int> &found, const QVector<int> &reference, int tolerance);

// Median of the finite values; NaN when there are none.
double median(QVector<double> values);

} // namespace ScoreMetrics
