#include "analyzecommand.h"

#include "analysis/heatmapparams.h"
#include "analysis/heatmapservice.h"
#include "analysis/rangeanalysis.h"
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
    const QString path = dbPath(p);
    if (!p.isSet(QStringLiteral("from")) || !p.isSet(QStringLiteral("to")))
        usage(QStringLiteral("--from and --to are required"));
    const TimeRange range = resolveRange(p, {});
    const auto params = HeatmapParams::preset(p.value(QStringLiteral("preset")));
    if (!params)
        usage(QStringLiteral("--preset: '%1' is not one of %2").arg(p.value(QStringLiteral("preset")), HeatmapParams::presetNames().join(QStringLiteral(", "))));

    try {
        auto reader = MarketStore::openReadOnly(path).reader();
        const Instrument instrument = resolveInstrument(*reader, p.value(QStringLiteral("instrument")), path);
        HeatmapService heatmap(path);
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
        line(QStringLiteral("range"), r.toJson().value(QStringLiteral("from")).toString() + QStringLiteral(" .. ") +
                                          r.toJson().value(QStringLiteral("to")).toString());
        line(QStringLiteral("price"), QStringLiteral("%1 -> %2 (%3%)").arg(r.priceOpen).arg(r.priceClose).arg(r.priceChangePct, 0, 'f', 2));
        line(QStringLiteral("high / low"), QStringLiteral("%1 / %2").arg(r.high).arg(r.low));
        line(QStringLiteral("realized vol"), QStringLiteral("%1% annualised").arg(r.realizedVolPct, 0, 'f', 1));
        line(QStringLiteral("open interest"), QStringLiteral("%1 -> %2 (%3, %4%)")
                                                  .arg(r.oiStart, 0, 'f', 2)
                                                  .arg(r.oiEnd, 0, 'f', 2)
                                                  .arg(r.oiChange, 0, 'f', 2)
                                                  .arg(r.oiChangePct, 0, 'f', 2));
        line(QStringLiteral("funding"), QStringLiteral("mean %1%, peak %2%, paid $%3 over %4 settlements")
                                            .arg(r.fundingMean * 100, 0, 'f', 4)
                                            .arg(r.fundingPeak * 100, 0, 'f', 4)
                                            .arg(r.fundingPaidUsd, 0, 'f', 0)
                                            .arg(r.fundingSettlements));
        line(QStringLiteral("liquidations"), QStringLiteral("longs $%1 (%2), shorts $%3 (%4), largest $%5")
                                                 .arg(r.longLiqUsd, 0, 'f', 0)
                                                 .arg(r.longLiqCount)
                                                 .arg(r.shortLiqUsd, 0, 'f', 0)
                                                 .arg(r.shortLiqCount)
                                                 .arg(r.largestLiqUsd, 0, 'f', 0));
        line(QStringLiteral("zones consumed"), r.zonesConsumed ? QStringLiteral("%1 ($%2)").arg(*r.zonesConsumed).arg(r.zonesConsumedUsd, 0, 'f', 0)
                                                               : QStringLiteral("n/a (no heatmap)"));
        line(QStringLiteral("verdict"), RangeAnalysis::verdictName(r.verdict));
        for (const QString &reason : r.reasons)
            out << "  - " << reason << '\n';
    } catch (const StoreError &e) {
        throw Error(e.message());
    } catch (const RangeAnalysis::Error &e) {
        throw Error(QString::fromStdString(e.what()));
    }
    return Ok;
}
