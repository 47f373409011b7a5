#include "coverage.h"

#include <algorithm>

double CoverageSummary::share() const
{
    if (!range.isValid())
        return 0;
    return double(Coverages::length(covered)) / double(range.span());
}

bool CoverageSummary::covers(qint64 t) const
{
    return std::any_of(covered.cbegin(), covered.cend(), [t](const TimeRange &r) { return r.contains(t); });
}

bool CoverageSummary::coversAll(TimeRange r) const
{
    // covered is sorted and disjoint: the stretch that could hold r is the last starting at
    // or before r.from.
    auto it = std::upper_bound(covered.cbegin(), covered.cend(), r.from, [](qint64 t, const TimeRange &c) { return t < c.from; });
    if (it == covered.cbegin())
        return false;
    --it;
    return it->from <= r.from && r.to <= it->to;
}

namespace Coverages {

QString qualityName(CoverageQuality q)
{
    return q == CoverageQuality::Complete ? QStringLiteral("complete") : QStringLiteral("sampled");
}

QString qualityName(const std::optional<CoverageQuality> &q)
{
    return q ? qualityName(*q) : QStringLiteral("none");
}

std::optional<CoverageQuality> parseQuality(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("complete"))
        return CoverageQuality::Complete;
    if (t == QLatin1String("sampled"))
        return CoverageQuality::Sampled;
    return std::nullopt;
}

QVector<TimeRange> unite(QVector<TimeRange> ranges)
{
    ranges.erase(std::remove_if(ranges.begin(), ranges.end(), [](const TimeRange &r) { return !r.isValid(); }), ranges.end());
    std::sort(ranges.begin(), ranges.end(), [](const TimeRange &a, const TimeRange &b) { return a.from < b.from; });
    QVector<TimeRange> out;
    for (const TimeRange &r : std::as_const(ranges)) {
        if (!out.isEmpty() && r.from <= out.back().to)
            out.back().to = std::max(out.back().to, r.to);
        else
            out.push_back(r);
    }
    return out;
}

QVector<TimeRange> holes(const QVector<TimeRange> &united, TimeRange range)
{
    QVector<TimeRange> out;
    if (!range.isValid())
        return out;
    qint64 at = range.from;
    for (const TimeRange &r : united) {
        if (r.to <= at)
            continue;
        if (r.from >= range.to)
            break;
        if (r.from > at)
            out.push_back({at, r.from});
        at = std::max(at, r.to);
        if (at >= range.to)
            break;
    }
    if (at < range.to)
        out.push_back({at, range.to});
    return out;
}

QVector<TimeRange> intersect(const QVector<TimeRange> &a, const QVector<TimeRange> &b)
{
    QVector<TimeRange> out;
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const qint64 from = std::max(a[i].from, b[j].from);
        const qint64 to = std::min(a[i].to, b[j].to);
        if (from < to)
            out.push_back({from, to});
        (a[i].to < b[j].to ? i : j)++;
    }
    return out;
}

QVector<TimeRange> clip(const QVector<TimeRange> &united, TimeRange range)
{
    return intersect(united, {range});
}

qint64 length(const QVector<TimeRange> &united)
{
    qint64 n = 0;
    for (const TimeRange &r : united)
        n += r.span();
    return n;
}

KindCoverage ofKind(const QVector<CoverageSpan> &spans, DataKind kind)
{
    KindCoverage k;
    TimeRange covered;
    for (const CoverageSpan &s : spans)
        if (s.kind == kind) {
            covered = covered.united(s.range);
            const QString q = qualityName(s.quality);
            if (!k.qualities.contains(q))
                k.qualities << q;
        }
    k.summary = summarize(spans, kind, covered);
    return k;
}

CoverageSummary summarize(const QVector<CoverageSpan> &spans, DataKind kind, TimeRange range, qint64 maxResolutionMs)
{
    CoverageSummary s;
    s.kind = kind;
    s.range = range;
    QVector<TimeRange> fine, complete, coarse;
    for (const CoverageSpan &c : spans) {
        if (c.kind != kind || !c.range.intersects(range))
            continue;
        s.finestResolutionMs = std::min(s.finestResolutionMs.value_or(c.resolutionMs), c.resolutionMs);
        s.coarsestResolutionMs = std::max(s.coarsestResolutionMs.value_or(c.resolutionMs), c.resolutionMs);
        if (c.resolutionMs > maxResolutionMs) {
            coarse.push_back(c.range);
            continue;
        }
        fine.push_back(c.range);
        if (c.quality == CoverageQuality::Complete)
            complete.push_back(c.range);
    }
    s.covered = clip(unite(fine), range);
    const QVector<TimeRange> coarseOnly = intersect(clip(unite(coarse), range), holes(s.covered, range));
    s.coarser = coarseOnly;
    QVector<TimeRange> known = s.covered;
    known += coarseOnly;
    s.holes = holes(unite(known), range);
    if (!s.covered.isEmpty()) {
        const qint64 completeLength = length(intersect(clip(unite(complete), range), s.covered));
        s.quality = completeLength == length(s.covered) ? CoverageQuality::Complete : CoverageQuality::Sampled;
    }
    return s;
}

CoverageSummary weakest(const QVector<CoverageSummary> &members)
{
    CoverageSummary out;
    if (members.isEmpty())
        return out;
    out = members.front();
    for (qsizetype i = 1; i < members.size(); ++i) {
        const CoverageSummary &m = members[i];
        QVector<TimeRange> known = out.coarser;
        known += out.covered;
        QVector<TimeRange> mKnown = m.coarser;
        mKnown += m.covered;
        const QVector<TimeRange> both = intersect(unite(known), unite(mKnown));
        out.covered = intersect(out.covered, m.covered);
        out.coarser = intersect(both, holes(out.covered, out.range));
        out.holes = holes(both, out.range);
        if (!out.quality || !m.quality)
            out.quality.reset();
        else
            out.quality = std::min(*out.quality, *m.quality);
        if (m.finestResolutionMs)
            out.finestResolutionMs = std::max(out.finestResolutionMs.value_or(*m.finestResolutionMs), *m.finestResolutionMs);
        if (m.coarsestResolutionMs)
            out.coarsestResolutionMs = std::max(out.coarsestResolutionMs.value_or(*m.coarsestResolutionMs), *m.coarsestResolutionMs);
    }
    if (out.covered.isEmpty())
        out.quality.reset();
    return out;
}

} // namespace Coverages
