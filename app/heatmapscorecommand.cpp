#include "heatmapscorecommand.h"

#include "analysis/heatmapscorer.h"
#include "clisupport.h"
#include "domain/timeformat.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QJsonArray>
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
        {QStringLiteral("db"), QStringLiteral("Database file: a simulator's (ground truth), or any with a complete liquidation tape."),
         QStringLiteral("path")},
        {QStringLiteral("preset"), QStringLiteral("Heatmap model preset: %1.").arg(HeatmapParams::presetNames().join(QStringLiteral(", "))),
         QStringLiteral("name"), QStringLiteral("all_leverage")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: the only one)."), QStringLiteral("symbol")},
        {QStringLiteral("params"), QStringLiteral("Model parameters as a JSON object (missing keys take the defaults), instead of --preset."),
         QStringLiteral("json")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
    });
    parse(p, args);
    const StoreLocator store = storeLocator(p);
    auto params = HeatmapParams::preset(p.value(QStringLiteral("preset")));
    if (p.isSet(QStringLiteral("params"))) {
        QString error;
        params = HeatmapParams::fromJson(p.value(QStringLiteral("params")).toUtf8(), &error);
        if (!params)
            usage(QStringLiteral("--params: %1").arg(error));
    }
    if (!params)
        usage(QStringLiteral("--preset: unknown heatmap preset '%1' (expected one of: %2)")
                  .arg(p.value(QStringLiteral("preset")), HeatmapParams::presetNames().join(QStringLiteral(", "))));

    std::optional<HeatmapScorer::Report> report;
    try {
        auto reader = MarketStore::openReadOnly(store).reader();
        const Instrument instrument = resolveInstrument(*reader, p.value(QStringLiteral("instrument")), store);
        HeatmapJob job;
        job.progress = [](double f, const QString &what) { printProgress(QStringLiteral("%1 %2 %").arg(what).arg(int(f * 100))); };
        report = HeatmapScorer::score(*reader, store, instrument, *params, HeatmapScorer::Options(), job);
        endProgress();
    } catch (const Error &) {
        throw;
    } catch (const StoreError &e) {
        throw Error(e.message());
    } catch (const std::runtime_error &e) {
        throw Error(QString::fromStdString(e.what()));
    }
    if (!report || report->snapshots == 0)
        throw Error(QStringLiteral("database %1: no snapshot could be scored (no price at any snapshot time)").arg(store.display()));
    QStringList notComputed = report->notComputed;

    QTextStream out(stdout);
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject model, baseline, ratios;
        for (const Row &r : rows) {
            const bool known = report->hasTruth && (report->tapeComplete || !QByteArray(r.key).startsWith("realized"));
            const double m = known ? report->model.*r.field : std::nan(""), b = known ? report->baseline.*r.field : std::nan("");
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
            {QStringLiteral("margin_tiers"), report->marginTiers},
            {QStringLiteral("band_pct"), report->options.band * 100},
            {QStringLiteral("baseline"), QStringLiteral("uniform over ±%1 % of price").arg(report->options.baselineWidth * 100)},
            {QStringLiteral("model"), model},
            {QStringLiteral("baseline_scores"), baseline},
            {QStringLiteral("ratio"), ratios},
            {QStringLiteral("next_hour"),
             QJsonObject{{QStringLiteral("hours"), report->model.nextHours},
                         {QStringLiteral("spearman_mean"), json(report->model.nextHours ? report->model.nextHourSpearman : std::nan(""))},
                         {QStringLiteral("capture_lift"), json(report->model.nextHours ? report->model.nextHourLift : std::nan(""))},
                         {QStringLiteral("proximity_spearman_mean"), json(report->proximity.nextHours ? report->proximity.nextHourSpearman : std::nan(""))},
                         {QStringLiteral("proximity_capture_lift"), json(report->proximity.nextHours ? report->proximity.nextHourLift : std::nan(""))},
                         {QStringLiteral("truth_spearman_mean"), json(report->truth.nextHours ? report->truth.nextHourSpearman : std::nan(""))},
                         {QStringLiteral("truth_capture_lift"), json(report->truth.nextHours ? report->truth.nextHourLift : std::nan(""))}}},
            {QStringLiteral("not_computed"), QJsonArray::fromStringList(notComputed)},
        };
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << Qt::endl;
        return Ok;
    }
    out << QStringLiteral("heatmap-score %1, model RLH-1 preset %2, %3 %4snapshots %5 .. %6")
               .arg(report->instrument.key(), report->preset)
               .arg(report->snapshots)
               .arg(report->hasTruth ? QStringLiteral("ground-truth ") : QStringLiteral("hourly "))
               .arg(TimeFormat::iso(report->range.from), TimeFormat::iso(report->range.to));
    if (!report->seed.isEmpty() || !report->simPreset.isEmpty())
        out << QStringLiteral(" (simulator seed %1, preset %2)").arg(report->seed, report->simPreset);
    out << "\n" << QStringLiteral("maintenance-margin tiers: %1\n").arg(report->marginTiers);
    if (report->hasTruth) {
        out << "\nmedians over snapshots; baseline = notional spread evenly over ±10 % of price\n\n";
        out << QStringLiteral("%1 %2 %3 %4\n").arg(QString(), -48).arg(QStringLiteral("model"), 9).arg(QStringLiteral("baseline"), 9).arg(QStringLiteral("model/base"), 11);
        for (const Row &r : rows) {
            if (!report->tapeComplete && QByteArray(r.key).startsWith("realized"))
                continue;
            const double m = report->model.*r.field, b = report->baseline.*r.field;
            out << QStringLiteral("%1 %2 %3 %4\n")
                       .arg(QString::fromUtf8(r.label), -48)
                       .arg(number(m), 9)
                       .arg(number(b), 9)
                       .arg(number(ratio(m, b)), 11);
        }
    }
    if (report->model.nextHours > 0) {
        out << QStringLiteral("\nnext hour: %1 hours after the warm-up with realized liquidations, over the bins the mark traded through; "
                              "means over hours; proximity = closeness to the last close\n\n")
                   .arg(report->model.nextHours);
        out << QStringLiteral("%1 %2 %3 %4\n").arg(QString(), -48).arg(QStringLiteral("model"), 9).arg(QStringLiteral("proximity"), 9).arg(QStringLiteral("model/prox"), 11);
        const auto row = [&](const char *label, double m, double b) {
            out << QStringLiteral("%1 %2 %3 %4\n").arg(QString::fromUtf8(label), -48).arg(number(m), 9).arg(number(b), 9).arg(number(ratio(m, b)), 11);
        };
        row("Next hour: rank corr. with realized notional", report->model.nextHourSpearman, report->proximity.nextHourSpearman);
        row("Next hour: capture lift of hot zones", report->model.nextHourLift, report->proximity.nextHourLift);
        if (report->truth.nextHours > 0)
            out << QStringLiteral("ceiling (the ground truth of each hour as the map): rank corr. %1, capture lift %2\n")
                       .arg(number(report->truth.nextHourSpearman), number(report->truth.nextHourLift));
    }
    for (const QString &n : std::as_const(notComputed))
        out << QStringLiteral("not computed: %1\n").arg(n);
    out << "\n(EMD: lower is better; every other figure: higher is better.)\n";
    return Ok;
}
