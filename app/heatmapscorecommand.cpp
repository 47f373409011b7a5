#include "heatmapscorecommand.h"

#include "analysis/heatmapscorer.h"
#include "clisupport.h"
#include "domain/timeformat.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cmath>

using namespace CliSupport;

namespace {

struct Row
{
    const char *key;   // JSON name
    const char *label; // table label
    double HeatmapScorer::Figures::*field;
    bool lowerIsBetter;
};

const Row rows[] = {
    {"spearman", "Spearman rank correlation per bin (±15 %)", &HeatmapScorer::Figures::spearman, false},
    {"spearman_long", "  longs", &HeatmapScorer::Figures::spearmanLong, false},
    {"spearman_short", "  shorts", &HeatmapScorer::Figures::spearmanShort, false},
    {"emd_pct", "Earth mover's distance, log-price (% of price)", &HeatmapScorer::Figures::emdPercent, true},
    {"emd_long_pct", "  longs", &HeatmapScorer::Figures::emdLong, true},
    {"emd_short_pct", "  shorts", &HeatmapScorer::Figures::emdShort, true},
    {"hot_precision", "Hot-zone precision (top decile, ±0.2 %)", &HeatmapScorer::Figures::precision, false},
    {"hot_recall", "Hot-zone recall", &HeatmapScorer::Figures::recall, false},
    {"hot_f1", "Hot-zone F1", &HeatmapScorer::Figures::f1, false},
    {"realized_spearman", "Realized: rank corr. on traversed bins (24 h)", &HeatmapScorer::Figures::realizedSpearman, false},
    {"realized_capture_lift", "Realized: capture lift of hot zones (24 h)", &HeatmapScorer::Figures::captureLift, false},
    {"mass_ratio", "Mass ratio predicted / true", &HeatmapScorer::Figures::massRatio, false},
};

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("n/a");
}

double ratio(double model, double baseline)
{
    return std::isfinite(model) && std::isfinite(baseline) && baseline > 0 ? model / baseline : std::nan("");
}

QJsonValue json(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

} // namespace

int HeatmapScoreCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Simulator database file."), QStringLiteral("path")},
        {QStringLiteral("preset"), QStringLiteral("Heatmap model preset: %1.").arg(HeatmapParams::presetNames().join(QStringLiteral(", "))),
         QStringLiteral("name"), QStringLiteral("all_leverage")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: the only one)."), QStringLiteral("symbol")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
    });
    parse(p, args);
    const QString path = dbPath(p);
    const auto params = HeatmapParams::preset(p.value(QStringLiteral("preset")));
    if (!params)
        usage(QStringLiteral("--preset: unknown heatmap preset '%1' (expected one of: %2)")
                  .arg(p.value(QStringLiteral("preset")), HeatmapParams::presetNames().join(QStringLiteral(", "))));

    std::optional<HeatmapScorer::Report> report;
    try {
        auto reader = MarketStore::openReadOnly(path).reader();
        const Instrument instrument = resolveInstrument(*reader, p.value(QStringLiteral("instrument")), path);
        HeatmapJob job;
        job.progress = [](double f, const QString &what) { printProgress(QStringLiteral("%1 %2 %").arg(what).arg(int(f * 100))); };
        report = HeatmapScorer::score(*reader, path, instrument, *params, HeatmapScorer::Options(), job);
        endProgress();
    } catch (const Error &) {
        throw;
    } catch (const StoreError &e) {
        throw Error(e.message());
    } catch (const std::runtime_error &e) {
        throw Error(QString::fromStdString(e.what()));
    }
    if (!report || report->snapshots == 0)
        throw Error(QStringLiteral("database %1: no ground-truth snapshot could be scored (no price at any snapshot time)").arg(path));

    QTextStream out(stdout);
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject model, baseline, ratios;
        for (const Row &r : rows) {
            const double m = report->model.*r.field, b = report->baseline.*r.field;
            model.insert(QLatin1String(r.key), json(m));
            baseline.insert(QLatin1String(r.key), json(b));
            ratios.insert(QLatin1String(r.key), json(ratio(m, b)));
        }
        const QJsonObject o{
            {QStringLiteral("instrument"), report->instrument.key()},
            {QStringLiteral("preset"), report->preset},
            {QStringLiteral("snapshots"), report->snapshots},
            {QStringLiteral("from"), TimeFormat::iso(report->range.from)},
            {QStringLiteral("to"), TimeFormat::iso(report->range.to)},
            {QStringLiteral("sim_seed"), report->seed},
            {QStringLiteral("sim_preset"), report->simPreset},
            {QStringLiteral("band_pct"), report->options.band * 100},
            {QStringLiteral("baseline"), QStringLiteral("uniform over ±%1 % of price").arg(report->options.baselineWidth * 100)},
            {QStringLiteral("model"), model},
            {QStringLiteral("baseline_scores"), baseline},
            {QStringLiteral("ratio"), ratios},
        };
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << Qt::endl;
        return Ok;
    }
    out << QStringLiteral("heatmap-score %1, model RLH-1 preset %2, %3 ground-truth snapshots %4 .. %5")
               .arg(report->instrument.key(), report->preset)
               .arg(report->snapshots)
               .arg(TimeFormat::iso(report->range.from), TimeFormat::iso(report->range.to));
    if (!report->seed.isEmpty() || !report->simPreset.isEmpty())
        out << QStringLiteral(" (simulator seed %1, preset %2)").arg(report->seed, report->simPreset);
    out << "\nmedians over snapshots; baseline = notional spread evenly over ±10 % of price\n\n";
    out << QStringLiteral("%1 %2 %3 %4\n").arg(QString(), -48).arg(QStringLiteral("model"), 9).arg(QStringLiteral("baseline"), 9).arg(QStringLiteral("model/base"), 11);
    for (const Row &r : rows) {
        const double m = report->model.*r.field, b = report->baseline.*r.field;
        out << QStringLiteral("%1 %2 %3 %4\n")
                   .arg(QString::fromUtf8(r.label), -48)
                   .arg(number(m), 9)
                   .arg(number(b), 9)
                   .arg(number(ratio(m, b)), 11);
    }
    out << "\n(EMD: lower is better; every other figure: higher is better.)\n";
    return Ok;
}
