#include "exportcsvcommand.h"

#include "analysis/heatmapparams.h"
#include "clisupport.h"
#include "storage/csvexporter.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <unistd.h>

using namespace CliSupport;

int ExportCsvCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("kind"), QStringLiteral("One of: %1.").arg(CsvExporter::kinds().join(QStringLiteral(", "))), QStringLiteral("kind")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: the only one)."), QStringLiteral("symbol")},
        {QStringLiteral("from"), QStringLiteral("Start (ISO-8601 UTC or epoch ms)."), QStringLiteral("time")},
        {QStringLiteral("to"), QStringLiteral("End, exclusive."), QStringLiteral("time")},
        {QStringLiteral("timeframe"), QStringLiteral("Candle timeframe: 1m 5m 15m 1h 4h 1d."), QStringLiteral("tf"), QStringLiteral("1m")},
        {QStringLiteral("out"), QStringLiteral("Output file, or - for stdout."), QStringLiteral("file")},
        {QStringLiteral("preset"), QStringLiteral("Heatmap model preset (kind heatmap): %1.").arg(HeatmapParams::presetNames().join(QStringLiteral(", "))),
         QStringLiteral("name"), QStringLiteral("all_leverage")},
    });
    parse(p, args);

    CsvExporter::Spec spec;
    spec.kind = requireValue(p, QStringLiteral("kind"));
    if (!CsvExporter::kinds().contains(spec.kind))
        usage(QStringLiteral("--kind: unknown kind '%1' (expected one of: %2)").arg(spec.kind, CsvExporter::kinds().join(QStringLiteral(", "))));
    const auto tf = Timeframes::parse(p.value(QStringLiteral("timeframe")));
    if (!tf)
        usage(QStringLiteral("--timeframe: '%1' is not one of 1m, 5m, 15m, 1h, 4h, 1d").arg(p.value(QStringLiteral("timeframe"))));
    spec.timeframe = *tf;
    const auto preset = HeatmapParams::preset(p.value(QStringLiteral("preset")));
    if (!preset)
        usage(QStringLiteral("--preset: unknown heatmap preset '%1' (expected one of: %2)")
                  .arg(p.value(QStringLiteral("preset")), HeatmapParams::presetNames().join(QStringLiteral(", "))));
    const QString outPath = requireValue(p, QStringLiteral("out"));
    if (outPath != QLatin1String("-"))
        checkOutputFile(QStringLiteral("out"), outPath);
    const StoreLocator store = storeLocator(p);

    try {
        auto reader = MarketStore::openReadOnly(store).reader();
        spec.instrument = resolveInstrument(*reader, p.value(QStringLiteral("instrument")), store);
        TimeRange extent = reader->extent(spec.instrument, CsvExporter::extentKind(spec.kind));
        spec.range = resolveRange(p, extent);
        if (!spec.range.isValid() && !p.isSet(QStringLiteral("from")) && !p.isSet(QStringLiteral("to")))
            spec.range = {0, 1}; // an empty series exports just the header
        CsvExporter exporter(*reader);
        exporter.setHeatmapParams(*preset);
        qint64 rows = 0;
        if (outPath == QLatin1String("-")) {
            // Straight to the descriptor (no stdio buffer hiding a failed write), and the
            // flush checked: a full disk or a closed pipe is an error, not "exported N rows".
            QFile out;
            if (!out.open(STDOUT_FILENO, QIODevice::WriteOnly, QFileDevice::DontCloseHandle))
                throw Error(QStringLiteral("cannot write to stdout"));
            try {
                rows = exporter.write(spec, out);
            } catch (const std::runtime_error &) {
                throw Error(QStringLiteral("--out -: cannot write to stdout (%1); the export is incomplete").arg(out.errorString()));
            }
            if (!out.flush() || out.error() != QFileDevice::NoError)
                throw Error(QStringLiteral("--out -: cannot write to stdout (%1); the export is incomplete").arg(out.errorString()));
        } else {
            QSaveFile out(outPath);
            if (!out.open(QIODevice::WriteOnly))
                throw Error(QStringLiteral("--out %1: cannot write (%2)").arg(outPath, out.errorString()));
            try {
                rows = exporter.write(spec, out);
            } catch (const std::runtime_error &) {
                out.cancelWriting();
                throw Error(QStringLiteral("--out %1: cannot write (%2); nothing was written").arg(outPath, out.errorString()));
            }
            if (!out.commit())
                throw Error(QStringLiteral("--out %1: cannot write (%2)").arg(outPath, out.errorString()));
        }
        QTextStream(stderr) << "exported " << rows << " " << spec.kind << " rows of " << spec.instrument.key() << Qt::endl;
    } catch (const Error &) {
        throw;
    } catch (const StoreError &e) {
        throw Error(e.message());
    } catch (const std::invalid_argument &e) {
        throw Error(QString::fromStdString(e.what()), Usage);
    } catch (const std::runtime_error &e) {
        throw Error(QString::fromStdString(e.what()));
    }
    return Ok;
}
