#include "heatmapscorer.h"

#include "margintierchoice.h"

#include "heatmapengine.h"
#include "heatmapfeed.h"
#include "scoremetrics.h"
#include "storage/storereader.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace {

constexpr qint64 dayMs = 24 * 3'600'000LL;

// Per-snapshot values of one map (model or baseline), pooled over snapshots and sides.
struct Samples
{
    QVector<double> spearman[2], emd[2], precision, recall, f1, realized, lift, mass;
};

HeatmapScorer::Figures summarise(const Samples &s)
{
    using ScoreMetrics::median;
    HeatmapScorer::Figures f;
    f.spearmanLong = median(s.spearman[0]);
    f.spearmanShort = median(s.spearman[1]);
    f.spearman = median(s.spearman[0] + s.spearman[1]);
    f.emdLong = median(s.emd[0]);
    f.emdShort = median(s.emd[1]);
    f.emdPercent = median(s.emd[0] + s.emd[1]);
    f.precision = median(s.precision);
    f.recall = median(s.recall);
    f.f1 = median(s.f1);
    f.realizedSpearman = median(s.realized);
    f.captureLift = median(s.lift);
    f.massRatio = median(s.mass);
    return f;
}

// Capture lift of a map's hot zones over traversed bins (research/models.md §5 C.8): the share
// of the realised notional that fell in the hot bins (top decile of the map's non-zero
// traversed bins), over the share of the traversed bins they are. Exact bins, no ±tolerance:
// with a ±2-bin tolerance one hot bin claims five bins, most of an hour's range, so even the
// ground truth used as the map scored only 1.35-1.48 (2.4-3.2 with exact bins) and the figure
// said more about the range's width than about the map. NaN when no bin is hot.
double captureLift(const QVector<double> &map, const QVector<double> &realised, double total, double hotQuantile)
{
    const QVector<int> hot = ScoreMetrics::hotBins(map, hotQuantile);
    if (hot.isEmpty() || !(total > 0))
        return std::nan("");
    double captured = 0;
    for (int i : hot)
        captured += realised[i];
    return (captured / total) / (double(hot.size()) / double(map.size()));
}

struct SideWindow
{
    int lowBin = 0, highBin = 0; // inclusive
    int size() const { return highBin - lowBin + 1; }
};

// One side of one snapshot: the metrics of a map H against the truth G and the realised R.
void scoreSide(int side, const QVector<double> &h, const QVector<double> &g, const QVector<double> &r, int traversedFrom, int traversedTo,
               const HeatmapScorer::Options &o, double logStep, Samples &out)
{
    using namespace ScoreMetrics;
    out.spearman[side].push_back(spearman(h, g));
    out.emd[side].push_back(emdBins(h, g) * logStep * 100);
    const QVector<int> hotH = hotBins(h, o.hotQuantile), hotG = hotBins(g, o.hotQuantile);
    const double precision = matchedShare(hotH, hotG, o.toleranceBins), recall = matchedShare(hotG, hotH, o.toleranceBins);
    out.precision.push_back(precision);
    out.recall.push_back(recall);
    if (std::isfinite(precision) && std::isfinite(recall))
        out.f1.push_back(precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0);
    double sumH = 0, sumG = 0;
    for (qsizetype i = 0; i < h.size(); ++i) {
        sumH += h[i];
        sumG += g[i];
    }
    if (sumG > 0)
        out.mass.push_back(sumH / sumG);

    // What happened next: only bins the mark actually reached can show realised liquidations.
    if (traversedTo - traversedFrom + 1 >= 3) {
        const QVector<double> ht = h.mid(traversedFrom, traversedTo - traversedFrom + 1), rt = r.mid(traversedFrom, traversedTo - traversedFrom + 1);
        double realised = 0;
        for (double v : rt)
            realised += v;
        if (realised > 0) {
            out.realized.push_back(spearman(ht, rt));
            if (const double lift = captureLift(ht, rt, realised, o.hotQuantile); std::isfinite(lift))
                out.lift.push_back(lift);
        }
    }
}

double mean(const QVector<double> &values)
{
    double sum = 0;
    int n = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    return n ? sum / n : std::nan("");
}

// Next-hour samples of one map.
struct NextHour
{
    QVector<double> rho, lift;
};

// Rank correlation and hot-zone lift of map m against realised r over the traversed bins.
void scoreHour(const QVector<double> &m, const QVector<double> &r, double realised, const HeatmapScorer::Options &o, NextHour &out)
{
    using namespace ScoreMetrics;
    out.rho.push_back(spearman(m, r));
    if (const double lift = captureLift(m, r, realised, o.hotQuantile); std::isfinite(lift))
        out.lift.push_back(lift);
}

// The hour after t: over the bins the mark traded through, the map (both sides) against the
// realised liquidation notional of that hour, and the proximity baseline beside it. With the
// ground truth of t ([truthBegin, truthEnd), both sides), the truth is scored the same way:
// the ceiling of what any map could reach (prints land where fills were, not at the
// liquidation price, and positions opened within the hour are in no map).
void scoreNextHour(const HeatmapEngine &engine, const QVector<HeatmapBar> &bars, qsizetype next, const QVector<Liquidation> &prints, qint64 t,
                   const HeatmapScorer::Options &o, const LogPriceGrid &grid, NextHour &model, NextHour &proximity,
                   const GroundTruthCell *truthBegin, const GroundTruthCell *truthEnd, NextHour &truth)
{
    const double price = engine.price();
    double low = price, high = price;
    for (qsizetype i = next; i < bars.size() && bars[i].ts < t + o.nextHourMs; ++i) {
        low = std::min(low, bars[i].hasMark() ? bars[i].markLow : bars[i].low);
        high = std::max(high, bars[i].hasMark() ? bars[i].markHigh : bars[i].high);
    }
    const int lo = grid.binOf(low), hi = grid.binOf(high), priceBin = grid.binOf(price);
    if (hi - lo + 1 < 3)
        return;
    QVector<double> m(hi - lo + 1, 0.0), r(hi - lo + 1, 0.0), p(hi - lo + 1, 0.0);
    for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short})
        engine.book(side).forEachBin(lo, hi, [&](int bin, double usd) { m[bin - lo] += usd; });
    const auto first = std::lower_bound(prints.begin(), prints.end(), t, [](const Liquidation &l, qint64 ts) { return l.ts < ts; });
    double realised = 0;
    for (auto it = first; it != prints.end() && it->ts < t + o.nextHourMs; ++it) {
        const int bin = grid.binOf(it->price);
        if (bin >= lo && bin <= hi) {
            r[bin - lo] += it->notional();
            realised += it->notional();
        }
    }
    if (!(realised > 0))
        return;
    for (int k = 0; k < p.size(); ++k)
        p[k] = 1.0 / (1.0 + std::abs(lo + k - priceBin));
    scoreHour(m, r, realised, o, model);
    scoreHour(p, r, realised, o, proximity);
    if (truthBegin != truthEnd) {
        QVector<double> g(hi - lo + 1, 0.0);
        for (const GroundTruthCell *c = truthBegin; c != truthEnd; ++c)
            if (c->bin >= lo && c->bin <= hi)
                g[c->bin - lo] += c->notional;
        scoreHour(g, r, realised, o, truth);
    }
}

void summariseNextHour(const NextHour &h, HeatmapScorer::Figures &f)
{
    f.nextHourSpearman = mean(h.rho);
    f.nextHourLift = mean(h.lift);
    f.nextHours = int(h.rho.size());
}

} // namespace

std::optional<HeatmapScorer::Report> HeatmapScorer::score(StoreReader &reader, const StoreLocator &store, const Instrument &instrument,
                                                          const HeatmapParams &params, const Options &o, const HeatmapJob &job)
{
    const TimeRange truthExtent = reader.extent(instrument, DataKind::GroundTruth);
    const bool hasTruth = truthExtent.isValid();
    HeatmapFeed feed(reader, instrument);
    const TimeRange extent = feed.extent();
    const CoverageSummary tape = extent.isValid() ? reader.coverageSummary(instrument, DataKind::Liquidations, extent) : CoverageSummary{};
    const bool tapeComplete = extent.isValid() && tape.isFull() && tape.quality == CoverageQuality::Complete;
    if (!hasTruth && !tapeComplete)
        throw std::runtime_error(QStringLiteral("database %1 holds neither simulator ground truth nor a complete liquidation tape for %2; "
                                                "heatmap-score needs one of them (perpscope backfill --source sim writes both; %3)")
                                     .arg(store.display(), instrument.key(),
                                          tape.isNone() ? QStringLiteral("this store has no liquidation coverage")
                                                        : QStringLiteral("this store's liquidations are %1 and cover %2 % of the data")
                                                              .arg(Coverages::qualityName(tape.quality))
                                                              .arg(tape.share() * 100, 0, 'f', 0))
                                     .toStdString());
    // Bins are compared one for one, so the model must use the ground truth's grid.
    const QString truthStep = reader.meta(QStringLiteral("sim.truth_grid_step"));
    if (hasTruth && !truthStep.isEmpty() && std::abs(truthStep.toDouble() - params.binStep) > 1e-12)
        throw std::runtime_error(QStringLiteral("database %1 holds ground truth on %2 % bins but preset %3 uses %4 % bins; scoring compares bin "
                                                "for bin, so use a preset with the same bin width")
                                     .arg(store.display())
                                     .arg(truthStep.toDouble() * 100)
                                     .arg(params.name)
                                     .arg(params.binStep * 100)
                                     .toStdString());
    if (!extent.isValid() || !feed.hasOpenInterest())
        throw std::runtime_error(
            QStringLiteral("database %1 has %2 for %3 but no candles or open interest to run the model on")
                .arg(store.display(), hasTruth ? QStringLiteral("ground truth") : QStringLiteral("a liquidation tape"), instrument.key())
                .toStdString());
    const QVector<HeatmapBar> bars = feed.bars(feed.extent());
    const QVector<Liquidation> prints = reader.liquidations(instrument, {feed.extent().from, feed.extent().to + o.horizonMs});

    Report report;
    report.instrument = instrument;
    report.preset = params.name;
    report.options = o;
    const auto meta = [&reader](const char *key) {
        const QString v = reader.meta(QStringLiteral("sim.") + QLatin1String(key));
        return v.isEmpty() ? reader.meta(QLatin1String(key)) : v;
    };
    report.seed = meta("seed");
    report.simPreset = meta("preset");
    report.hasTruth = hasTruth;
    report.tapeComplete = tapeComplete;
    if (!hasTruth)
        report.notComputed << QStringLiteral("Spearman, EMD, hot-zone precision/recall, mass ratio: no ground truth (only the simulator knows "
                                             "every position's liquidation price)");
    if (!tapeComplete)
        report.notComputed << QStringLiteral("realized and next-hour figures: the liquidation tape is %1 (a sample cannot be ranked against "
                                             "the map)")
                                  .arg(tape.isNone() ? QStringLiteral("missing") : Coverages::qualityName(tape.quality)
                                                                                        + (tape.isFull() ? QString() : QStringLiteral(", with holes")));

    const LogPriceGrid grid(params.binStep);
    const double logStep = std::log1p(params.binStep);
    const MarginTierChoice tiers = MarginTierChoice::forInstrument(reader, instrument); // the venue's where stored
    report.marginTiers = tiers.describe();
    HeatmapEngine engine(params, tiers.brackets);
    Samples model, baseline;
    NextHour nextModel, nextProximity, nextTruth;
    const auto nextHourAt = [&](qint64 t, qsizetype nextBar, const GroundTruthCell *truthBegin, const GroundTruthCell *truthEnd) {
        if (!tapeComplete || (o.skipWarmUp && engine.isWarmingUp(t)) || !(engine.price() > 0))
            return;
        scoreNextHour(engine, bars, nextBar, prints, t, o, grid, nextModel, nextProximity, truthBegin, truthEnd, nextTruth);
    };
    qsizetype next = 0, printAt = 0;
    qint64 lastScoredWindow = std::numeric_limits<qint64>::min();
    const qint64 firstAllowed = feed.extent().from + o.warmupMs;

    for (qint64 day = truthExtent.from; day < truthExtent.to; day += dayMs) {
        if (job.cancelled())
            return std::nullopt;
        const auto cells = reader.groundTruth(instrument, {day, std::min(truthExtent.to, day + dayMs)});
        for (qsizetype c = 0; c < cells.size();) {
            const qint64 t = cells[c].ts;
            qsizetype end = c;
            while (end < cells.size() && cells[end].ts == t)
                ++end;
            const qint64 window = t / o.everyMs;
            if (t < firstAllowed || window == lastScoredWindow) {
                c = end;
                continue;
            }
            while (next < bars.size() && bars[next].end() <= t)
                engine.step(bars[next++]);
            const double price = engine.price();
            if (!(price > 0)) {
                c = end;
                continue;
            }
            lastScoredWindow = window;
            nextHourAt(t, next, cells.constData() + c, cells.constData() + end);

            // The path over the horizon, for the realised comparison.
            double low = price, high = price;
            for (qsizetype i = next; i < bars.size() && bars[i].ts < t + o.horizonMs; ++i) {
                low = std::min(low, bars[i].hasMark() ? bars[i].markLow : bars[i].low);
                high = std::max(high, bars[i].hasMark() ? bars[i].markHigh : bars[i].high);
            }
            while (printAt < prints.size() && prints[printAt].ts < t)
                ++printAt;

            const int priceBin = grid.binOf(price);
            for (int side = 0; side < 2; ++side) {
                const SideWindow w = side == 0 ? SideWindow{grid.binOf(price * (1 - o.band)), priceBin}
                                               : SideWindow{priceBin, grid.binOf(price * (1 + o.band))};
                QVector<double> h(w.size(), 0.0), g(w.size(), 0.0), b(w.size(), 0.0), r(w.size(), 0.0);
                const auto liqSide = Liquidation::Side(side);
                engine.book(liqSide).forEachBin(w.lowBin, w.highBin, [&](int bin, double usd) { h[bin - w.lowBin] = usd; });
                for (qsizetype i = c; i < end; ++i)
                    if (cells[i].side == liqSide && cells[i].bin >= w.lowBin && cells[i].bin <= w.highBin)
                        g[cells[i].bin - w.lowBin] += cells[i].notional;
                const int baseLow = side == 0 ? grid.binOf(price * (1 - o.baselineWidth)) : w.lowBin;
                const int baseHigh = side == 0 ? w.highBin : grid.binOf(price * (1 + o.baselineWidth));
                double sumG = 0;
                for (int k = 0; k < w.size(); ++k) {
                    const int bin = w.lowBin + k;
                    b[k] = bin >= baseLow && bin <= baseHigh ? 1.0 : 0.0;
                    sumG += g[k];
                }
                if (!(sumG > 0))
                    continue;
                double sumH = 0;
                for (double v : h)
                    sumH += v;
                double inBaseline = 0;
                for (double v : b)
                    inBaseline += v;
                for (double &v : b)
                    v *= (sumH > 0 ? sumH : sumG) / inBaseline; // the model's mass, spread evenly
                for (qsizetype i = printAt; i < prints.size() && prints[i].ts < t + o.horizonMs; ++i)
                    if (prints[i].side == liqSide) {
                        const int bin = grid.binOf(prints[i].price);
                        if (bin >= w.lowBin && bin <= w.highBin)
                            r[bin - w.lowBin] += prints[i].notional();
                    }
                const int traversedFrom = side == 0 ? std::max(0, grid.binOf(low) - w.lowBin) : 0;
                const int traversedTo = side == 0 ? w.size() - 1 : std::min(w.size() - 1, grid.binOf(high) - w.lowBin);
                scoreSide(side, h, g, r, traversedFrom, traversedTo, o, logStep, model);
                scoreSide(side, b, g, r, traversedFrom, traversedTo, o, logStep, baseline);
            }
            if (report.snapshots == 0)
                report.range.from = t;
            report.range.to = t;
            ++report.snapshots;
            c = end;
        }
        if (job.progress)
            job.progress(double(std::min(truthExtent.to, day + dayMs) - truthExtent.from) / double(truthExtent.span()), QStringLiteral("scoring"));
    }
    if (!hasTruth) {
        // Hourly from the first bar: the next-hour test alone.
        for (qint64 t = (extent.from / o.everyMs + 1) * o.everyMs; t + o.nextHourMs <= extent.to; t += o.everyMs) {
            if (job.cancelled())
                return std::nullopt;
            while (next < bars.size() && bars[next].end() <= t)
                engine.step(bars[next++]);
            if (!(engine.price() > 0))
                continue;
            nextHourAt(t, next, nullptr, nullptr);
            if (report.snapshots == 0)
                report.range.from = t;
            report.range.to = t;
            ++report.snapshots;
            if (job.progress && t % (24 * o.everyMs) == 0)
                job.progress(double(t - extent.from) / double(extent.span()), QStringLiteral("scoring"));
        }
    }
    report.model = summarise(model);
    report.baseline = summarise(baseline);
    summariseNextHour(nextModel, report.model);
    summariseNextHour(nextProximity, report.proximity);
    summariseNextHour(nextTruth, report.truth);
    if (tapeComplete && report.model.nextHours == 0)
        report.notComputed << QStringLiteral("next-hour figures: no hour after the model's warm-up (%1 hours after the first open-interest "
                                             "sample) had liquidations in the bins price traded through")
                                  .arg(params.lookbackHours);
    return report;
}
