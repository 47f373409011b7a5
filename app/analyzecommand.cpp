#include "analyzecommand.h"

#include "analysis/heatmapparams.h"
#include "analysis/heatmapservice.h"
#include "analysis/rangeanalysis.h"
#include "analysis/rangefigures.h"
#include "domain/timeformat.h"
#include "clisupport.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QTextStream>

using namespace CliSupport;

int AnalyzeCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("from"), QStringLiteral("Start (ISO-8601 UTC or epoch ms)."), QStringLiteral("time")},
        {QStringLiteral("to"), QStringLiteral("End, exclusive."), QStringLiteral("time")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: the only one)."), QStringLiteral("symbol")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
        {QStringLiteral("preset"), QStringLiteral("Heatmap preset for the hot zones consumed."), QStringLiteral("name"), QStringLiteral("all_leverage")},
    });
    parse(p, args);
    const StoreLocator store = storeLocator(p);
    if (!p.isSet(QStringLiteral("from")) || !p.isSet(QStringLiteral("to")))
        usage(QStringLiteral("--from and --to are required"));
    const TimeRange range = resolveRange(p, {});
    const auto params = HeatmapParams::preset(p.value(QStringLiteral("preset")));
    if (!params)
        usage(QStringLiteral("--preset: '%1' is not one of %2").arg(p.value(QStringLiteral("preset")), HeatmapParams::presetNames().join(QStringLiteral(", "))));

    try {
        auto reader = MarketStore::openReadOnly(store).reader();
        const Instrument instrument = resolveInstrument(*reader, p.value(QStringLiteral("instrument")), store);
        HeatmapService heatmap(store);
        RangeAnalysis analysis(*reader);
        analysis.setHeatmap(&heatmap, &*params);
        const RangeAnalysis::Result r = analysis.analyze(instrument, range);
        QTextStream out(stdout);
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) << '\n';
            return Ok;
        }
        const auto line = [&out](const QString &name, const QString &value) { out << name.leftJustified(22) << value << '\n'; };
        line(QStringLiteral("instrument"), instrument.key());
        line(QStringLiteral("range"), TimeFormat::iso(r.range.from) + QStringLiteral(" .. ") + TimeFormat::iso(r.range.to));
        line(QStringLiteral("verdict"), QStringLiteral("%1 (confidence %2)").arg(RangeAnalysis::verdictName(r.verdict), RangeAnalysis::confidenceName(r.confidence)));
        line(QStringLiteral("price"), RangeFigures::price(r));
        line(QStringLiteral("high / low"), RangeFigures::highLow(r));
        line(QStringLiteral("realized vol"), RangeFigures::realizedVol(r));
        line(QStringLiteral("open interest"), RangeFigures::openInterest(r));
        line(QStringLiteral("oi change"), RangeFigures::oiChange(r));
        line(QStringLiteral("oi path"), RangeFigures::oiPath(r));
        line(QStringLiteral("taker flow"), RangeFigures::takerFlow(r));
        line(QStringLiteral("funding"), RangeFigures::funding(r));
        line(QStringLiteral("funding mean / peak"), RangeFigures::fundingMeanPeak(r));
        line(QStringLiteral("funding paid"), RangeFigures::fundingPaid(r));
        line(QStringLiteral("long liquidations"), RangeFigures::longLiquidations(r));
        line(QStringLiteral("short liquidations"), RangeFigures::shortLiquidations(r));
        line(QStringLiteral("largest print"), RangeFigures::largestPrint(r));
        line(QStringLiteral("zones consumed"), RangeFigures::consumption(r));
        line(QStringLiteral("coverage"), RangeFigures::coverage(r));
        if (r.priceReference.isValid())
            line(QStringLiteral("price from"), r.priceReference.key());
        for (const RangeAnalysis::Venue &v : r.venues)
            line(QStringLiteral("  ") + v.instrument.key(), RangeFigures::venue(v));
        for (const QString &reason : r.reasons)
            out << "  - " << reason << '\n';
    } catch (const StoreError &e) {
        throw Error(e.message());
    } catch (const RangeAnalysis::Error &e) {
        throw Error(QString::fromStdString(e.what()));
    }
    return Ok;
}
