#include "commandline.h"

#include "analyzecommand.h"
#include "backfillcommand.h"
#include "clisupport.h"
#include "aggregatecommand.h"
#include "coveragecommand.h"
#include "exportcsvcommand.h"
#include "exportimagecommand.h"
#include "importcommand.h"
#include "recordcommand.h"
#include "statuscommand.h"
#include "heatmapscorecommand.h"
#include "sources/sourcefactory.h"

#include <QFileInfo>
#include <QTextStream>

#include <functional>
#include <map>

namespace {

using Runner = std::function<int(const QStringList &)>;

// "export csv" and "export image" are two words; everything else one.
QString commandName(const QStringList &args)
{
    if (args.size() < 2)
        return {};
    const QString first = args.at(1);
    if (first == QLatin1String("export"))
        return args.size() > 2 ? QStringLiteral("export ") + args.at(2) : first;
    return first;
}

const std::map<QString, Runner> &commands()
{
    static const std::map<QString, Runner> table = {
        {QStringLiteral("backfill"), BackfillCommand::run},
        {QStringLiteral("export csv"), ExportCsvCommand::run},
        {QStringLiteral("export image"), ExportImageCommand::run},
        {QStringLiteral("analyze"), AnalyzeCommand::run},
        {QStringLiteral("import"), ImportCommand::run},
        {QStringLiteral("heatmap-score"), HeatmapScoreCommand::run},
        {QStringLiteral("coverage"), CoverageCommand::run},
        {QStringLiteral("aggregate"), AggregateCommand::run},
        {QStringLiteral("record"), RecordCommand::run},
        {QStringLiteral("status"), StatusCommand::run},
    };
    return table;
}

// Headless commands parse their own options: strip "perpscope" (and "export") so the parser
// sees "<command> --opt ...".
QStringList commandArgs(const QStringList &args)
{
    QStringList rest = args.mid(1);
    if (rest.value(0) == QLatin1String("export"))
        rest.removeFirst();
    return rest;
}

bool isFlag(const QStringList &args, const char *flag)
{
    return args.size() == 2 && args.at(1) == QLatin1String(flag);
}

} // namespace

CommandLine::Mode CommandLine::mode(const QStringList &args)
{
    const QString name = commandName(args);
    if (isFlag(args, "--version") || isFlag(args, "-v") || isFlag(args, "--help") || isFlag(args, "-h") || name == QLatin1String("help"))
        return Mode::Headless;
    if (name == QLatin1String("export image"))
        return Mode::HeadlessPainting;
    if (name.isEmpty() || name.startsWith(QLatin1Char('-')))
        return Mode::Gui;
    // "perpscope FILE..." (the desktop's Open with): the GUI imports the files. Command names
    // win over files of the same name in the working directory.
    if (commands().count(name) == 0 && QFileInfo::exists(args.at(1)))
        return Mode::Gui;
    return Mode::Headless;
}

QString CommandLine::versionText()
{
    return QStringLiteral("perpscope %1").arg(QStringLiteral(PERPSCOPE_VERSION));
}

QString CommandLine::helpText()
{
    // The sources and their settings come from the registry (SourceFactory::entries()).
    const QString sources = SourceFactory::names().join(QLatin1Char('|'));
    QString venues;
    for (const SourceFactory::Entry &e : SourceFactory::entries()) {
        venues += QStringLiteral("  %1: %2").arg(e.name, e.help);
        if (e.liquidations)
            venues += QStringLiteral("; liquidation coverage %1").arg(Coverages::qualityName(*e.liquidations));
        else if (SourceFactory::isSpot(e))
            venues += QStringLiteral("; liquidation coverage not applicable (spot)");
        venues += QStringLiteral(".\n");
        if (!e.optionKeys.isEmpty())
            venues += QStringLiteral("      --source-option keys: %1\n").arg(e.optionKeys.join(QStringLiteral(", ")));
    }
    return QStringLiteral(
        "Usage: perpscope [--db PATH] [--source %1|none] [--instrument BTCUSDT] [FILE...]   (opens the GUI)\n"
        "                 [--source-option KEY=VALUE]...\n"
        "       perpscope --version | --help\n"
        "       perpscope backfill --db PATH --source %1 [--seed N] [--days D]\n"
        "                          [--instrument I] [--preset calm|treadmill|crash] [--end T]\n"
        "                          [--param key=value]...   (simulator scenario parameters)\n"
        "                          [--replace]   (sim: a new market in place of the stored one; without it, continue it)\n"
        "                          [--source-option KEY=VALUE]...   (exchanges: rest_url, ws_url, ca_file, ...)\n"
        "       perpscope import --db PATH FILE|DIR... [--instrument I] [--kind KIND]\n"
        "                          (Binance data.binance.vision dumps, zipped or not; Perpscope CSV exports)\n"
        "       perpscope export csv --db PATH --kind KIND [--instrument I] [--from T --to T]\n"
        "                            [--timeframe 1m|5m|15m|1h|4h|1d] [--preset NAME] --out FILE|-\n"
        "       perpscope export image --db PATH --pane price|funding|oi|liquidations|workspace\n"
        "                              [--from T --to T] [--select FROM/TO] [--size WxH] [--scale S]\n"
        "                              [--theme dark|light] [--instrument I] --out FILE   (.png .jpg .pdf .svg)\n"
        "       perpscope analyze --db PATH --from T --to T [--instrument I] [--preset NAME] [--json]\n"
        "                         (I = ALL:BTC: the venues' perpetuals of BTC as one, with a per-venue breakdown)\n"
        "       perpscope aggregate --db PATH [--define ALL:U --members I,I... | --clear ALL:U] [--json]\n"
        "                           (aggregated instruments and their members; --define stores a set in the database)\n"
        "       perpscope heatmap-score --db PATH [--preset all_leverage|high_leverage | --params JSON] [--instrument I] [--json]\n"
        "                               (simulator databases: scores the predicted heatmap against ground truth)\n"
        "       perpscope coverage --db PATH [--instrument I] [--json]\n"
        "                          (what the store covered per kind: span, quality, resolution, holes)\n"
        "       perpscope record --db PATH|URI --source NAME[,NAME]... --instrument I[,I]... [--days D]\n"
        "                        [--commit-ms MS] [--source-option [NAME.]KEY=VALUE]... [--stop-timeout S]\n"
        "                        [--seed N] [--preset P] [--param key=value]... [--speed X]   (sim)\n"
        "                        (headless recorder: backfills what is missing, streams, one log line per event\n"
        "                        on stderr; SIGTERM/SIGINT commit what was received and exit 0)\n"
        "       perpscope status --db PATH|URI [--instrument I] [--now T] [--json]\n"
        "                        (per instrument and kind: newest row, lag behind now, coverage)\n"
        "\n"
        "Sources (instruments are VENUE:SYMBOL, e.g. BINANCE:BTCUSDT; a bare symbol is on the source's venue):\n"
        "%2"
        "\n"
        "GUI options: --theme dark|light, --size WxH, --from T --to T, --select FROM/TO,\n"
        "             --screenshot FILE [--screenshot-after S]\n"
        "(save a picture of the window after S seconds, default 5, and quit). FILEs are imported;\n"
        "a second launch on the same database raises the running window and hands it its FILEs.\n"
        "\n"
        "Times are ISO-8601 UTC (2026-01-20T00:00:00Z) or epoch milliseconds.\n"
        "CSV kinds: candles, mark, funding, predicted_funding, oi, liquidations, heatmap.\n"
        "Progress goes to stderr, results to stdout or files; any error prints one line\n"
        "\"perpscope: <reason>\" and exits non-zero (2 = bad arguments, 1 = failure).\n")
        .arg(sources, venues);
}

int CommandLine::run(const QStringList &args)
{
    QTextStream out(stdout);
    if (isFlag(args, "--version") || isFlag(args, "-v")) {
        out << versionText() << Qt::endl;
        return CliSupport::Ok;
    }
    const QString name = commandName(args);
    if (isFlag(args, "--help") || isFlag(args, "-h") || name == QLatin1String("help")) {
        out << helpText();
        return CliSupport::Ok;
    }
    const auto it = commands().find(name);
    try {
        if (it == commands().end())
            CliSupport::usage(QStringLiteral("unknown command '%1' (try perpscope --help)").arg(name));
        return it->second(commandArgs(args));
    } catch (const CliSupport::Error &e) {
        CliSupport::endProgress();
        CliSupport::printError(QString::fromStdString(e.what()));
        return e.code();
    }
}
