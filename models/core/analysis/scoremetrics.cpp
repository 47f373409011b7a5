#include "scoremetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();

QVector<double> ranks(const QVector<double> &v)
{
    QVector<int> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&v](int x, int y) { return v[x] < v[y]; });
    QVector<double> r(v.size());
    for (qsizetype i = 0; i < order.size();) {
        qsizetype j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        const double average = (double(i) + double(j)) / 2.0 + 1.0;
        for (qsizetype k = i; k <= j; ++k)
            r[order[k]] = average;
        i = j + 1;
    }
    return r;
}

} // namespace

namespace ScoreMetrics {

double spearman(const QVector<double> &a, const QVector<double> &b)
{
    if (a.size() != b.size() || a.size() < 2)
        return notANumber;
    const QVector<double> ra = ranks(a), rb = ranks(b);
    const double mean = (double(a.size()) + 1.0) / 2.0;
    double sab = 0, saa = 0, sbb = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const double x = ra[i] - mean, y = rb[i] - mean;
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    if (!(saa > 0) || !(sbb > 0))
        return notANumber;
    return sab / std::sqrt(saa * sbb);
}

double emdBins(const QVector<double> &a, const QVector<double> &b)
{
    if (a.size() != b.size())
        return notANumber;
    const double ta = std::accumulate(a.begin(), a.end(), 0.0), tb = std::accumulate(b.begin(), b.end(), 0.0);
    if (!(ta > 0) || !(tb > 0))
        return notANumber;
    double ca = 0, cb = 0, emd = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        ca += a[i] / ta;
        cb += b[i] / tb;
        emd += std::abs(ca - cb);
    }
    return emd;
}

QVector<int> hotBins(const QVector<double> &values, double quantile)
{
    QVector<double> nonZero;
    for (double v : values)
        if (v > 0)
            nonZero.push_back(v);
    QVector<int> hot;
    if (nonZero.isEmpty())
        return hot;
    std::sort(nonZero.begin(), nonZero.end());
    const double threshold = nonZero[qsizetype(std::floor(quantile * double(nonZero.size() - 1)))];
    for (qsizetype i = 0; i < values.size(); ++i)
        if (values[i] > 0 && values[i] >= threshold)
            hot.push_back(int(i));
    return hot;
}

double matchedShare(const QVector<int> &found, const QVector<int> &reference, int tolerance)
{
    if (found.isEmpty())
        return notANumber;
    if (reference.isEmpty())
        return 0;
    int matched = 0;
    for (int f : found) {
        auto it = std::lower_bound(reference.begin(), reference.end(), f - tolerance);
        if (it != reference.end() && *it <= f + tolerance)
            ++matched;
    }
    return double(matched) / double(found.size());
}

double median(QVector<double> values)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.isEmpty())
        return notANumber;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

} // namespace ScoreMetrics
