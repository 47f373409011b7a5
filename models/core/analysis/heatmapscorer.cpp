#include "heatmapscorer.h"

#include "heatmapengine.h"
#include "heatmapfeed.h"
#include "scoremetrics.h"
#include "storage/storereader.h"

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
            // Lift: share of realised notional inside predicted hot zones over the share of the
            // traversed range those zones cover.
            const QVector<int> hot = hotBins(ht, o.hotQuantile);
            int covered = 0;
            double captured = 0;
            for (int i = 0; i < ht.size(); ++i) {
                auto it = std::lower_bound(hot.begin(), hot.end(), i - o.toleranceBins);
                if (it != hot.end() && *it <= i + o.toleranceBins) {
                    ++covered;
                    captured += rt[i];
                }
            }
            if (covered > 0)
                out.lift.push_back((captured / realised) / (double(covered) / double(ht.size())));
        }
    }
}

} // namespace

std::optional<HeatmapScorer::Report> HeatmapScorer::score(StoreReader &reader, const QString &dbPath, const Instrument &instrument,
                                                          const HeatmapParams &params, const Options &o, const HeatmapJob &job)
{
    const TimeRange truthExtent = reader.extent(instrument, DataKind::GroundTruth);
    if (!truthExtent.isValid())
        throw std::runtime_error(QStringLiteral("database %1 holds no simulator ground truth for %2; heatmap-score needs a database written "
                                                "by the simulator (perpscope backfill --source sim)")
                                     .arg(dbPath, instrument.key())
                                     .toStdString());
    // Bins are compared one for one, so the model must use the ground truth's grid.
    const QString truthStep = reader.meta(QStringLiteral("sim.truth_grid_step"));
    if (!truthStep.isEmpty() && std::abs(truthStep.toDouble() - params.binStep) > 1e-12)
        throw std::runtime_error(QStringLiteral("database %1 holds ground truth on %2 % bins but preset %3 uses %4 % bins; scoring compares bin "
                                                "for bin, so use a preset with the same bin width")
                                     .arg(dbPath)
                                     .arg(truthStep.toDouble() * 100)
                                     .arg(params.name)
                                     .arg(params.binStep * 100)
                                     .toStdString());
    HeatmapFeed feed(reader, instrument);
    if (!feed.extent().isValid() || !feed.hasOpenInterest())
        throw std::runtime_error(
            QStringLiteral("database %1 has ground truth for %2 but no candles or open interest to run the model on").arg(dbPath, instrument.key()).toStdString());
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

    const LogPriceGrid grid(params.binStep);
    const double logStep = std::log1p(params.binStep);
    HeatmapEngine engine(params);
    Samples model, baseline;
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
    report.model = summarise(model);
    report.baseline = summarise(baseline);
    return report;
}
