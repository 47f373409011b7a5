#include "clisupport.h"

#include "domain/aggregates.h"
#include "domain/timeformat.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace CliSupport {

void usage(const QString &message)
{
    throw Error(message, Usage);
}

void parse(QCommandLineParser &parser, const QStringList &args, int maxPositionals)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(args))
        usage(parser.errorText());
    if (parser.positionalArguments().size() > maxPositionals)
        usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().value(maxPositionals)));
}

QString requireValue(const QCommandLineParser &parser, const QString &name)
{
    const QString v = parser.value(name);
    if (v.isEmpty())
        usage(QStringLiteral("--%1 is required").arg(name));
    return v;
}

StoreLocator storeLocator(const QCommandLineParser &parser)
{
    const StoreLocator store = StoreLocator::parse(requireValue(parser, QStringLiteral("db")));
    if (!store.isValid())
        usage(store.error());
    return store;
}

void checkOutputFile(const QString &option, const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return;
    if (info.isDir())
        usage(QStringLiteral("--%1 %2 is a folder; name a file").arg(option, path));
    if (!info.isFile())
        usage(QStringLiteral("--%1 %2 is not a regular file (a device, FIFO or socket); refusing to replace it").arg(option, path));
}

qint64 timeValue(const QString &option, const QString &text)
{
    const auto t = TimeFormat::parse(text);
    if (!t)
        usage(QStringLiteral("--%1: '%2' is not a time (expected ISO-8601 UTC like 2026-01-20T00:00:00Z, or epoch ms)")
                  .arg(option, text));
    return *t;
}

double numberValue(const QString &option, const QString &text)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v)) // "nan" and "inf" read as numbers, and compare false with every bound
        usage(QStringLiteral("--%1: '%2' is not a finite number").arg(option, text));
    return v;
}

Instrument instrumentValue(const QString &option, const QString &text, const QString &defaultExchange)
{
    const Instrument i = Instrument::parse(text, defaultExchange);
    if (i.symbol.isEmpty())
        usage(QStringLiteral("--%1: '%2' is not an instrument (like BTCUSDT or BINANCE:BTCUSDT: letters, digits, '-', '_' or '.', "
                             "at most one ':')")
                  .arg(option, text));
    return i;
}

Instrument resolveInstrument(StoreReader &reader, const QString &text, const StoreLocator &store)
{
    const QString where = store.display();
    const QList<Instrument> all = reader.instruments();
    QStringList names;
    for (const Instrument &i : all)
        names << i.key();
    if (all.isEmpty())
        throw Error(QStringLiteral("database %1 holds no data yet (run perpscope backfill or import first)").arg(where));
    if (text.isEmpty()) {
        if (all.size() == 1)
            return all.front();
        usage(QStringLiteral("database %1 holds several instruments; pass --instrument (one of %2)").arg(where, names.join(QStringLiteral(", "))));
    }
    if (text.contains(QLatin1Char(':'))) {
        const Instrument i = Instrument::parse(text, {});
        if (all.contains(i))
            return i;
        // An aggregate (ALL:BTC): its stored set, or every venue perpetual of BTC in the store.
        if (Aggregates::isAggregate(i)) {
            if (reader.hasInstrument(i))
                return i;
            throw Error(QStringLiteral("--instrument %1: database %2 holds no venue perpetual of %3 (it has %4)")
                            .arg(text, where, i.symbol, names.join(QStringLiteral(", "))));
        }
    } else {
        QList<Instrument> matches;
        for (const Instrument &i : all)
            if (i.symbol.compare(text, Qt::CaseInsensitive) == 0)
                matches << i;
        if (matches.size() == 1)
            return matches.front();
        if (matches.size() > 1)
            usage(QStringLiteral("--instrument %1 is ambiguous in %2; say which exchange (one of %3)")
                      .arg(text, where, names.join(QStringLiteral(", "))));
    }
    throw Error(QStringLiteral("--instrument %1: not in database %2 (it has %3)").arg(text, where, names.join(QStringLiteral(", "))));
}

TimeRange resolveRange(const QCommandLineParser &parser, TimeRange extent)
{
    TimeRange r = extent;
    if (parser.isSet(QStringLiteral("from")))
        r.from = timeValue(QStringLiteral("from"), parser.value(QStringLiteral("from")));
    if (parser.isSet(QStringLiteral("to")))
        r.to = timeValue(QStringLiteral("to"), parser.value(QStringLiteral("to")));
    if (parser.isSet(QStringLiteral("from")) && parser.isSet(QStringLiteral("to")) && r.from >= r.to)
        usage(QStringLiteral("--from (%1) must be before --to (%2)").arg(TimeFormat::iso(r.from), TimeFormat::iso(r.to)));
    return r;
}

TimeRange selectionValue(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("select")))
        return {};
    const QString text = parser.value(QStringLiteral("select"));
    const QStringList ends = text.split(QLatin1Char('/'));
    if (ends.size() != 2)
        usage(QStringLiteral("--select: '%1' is not FROM/TO").arg(text));
    const TimeRange r{timeValue(QStringLiteral("select"), ends[0]), timeValue(QStringLiteral("select"), ends[1])};
    if (!r.isValid())
        usage(QStringLiteral("--select: FROM must be before TO"));
    return r;
}

IngestWorker::CommitPolicy commitPolicy()
{
    IngestWorker::CommitPolicy p;
    p.firstRetryMs = 300;
    p.maxRetryMs = 2'000;
    p.maxAttempts = 4;
    return p;
}

void printError(const QString &message)
{
    QTextStream(stderr) << "perpscope: " << message << Qt::endl;
}

namespace {
bool g_progressOpen = false;
}

void printProgress(const QString &line)
{
    const bool tty = isatty(fileno(stderr));
    QTextStream err(stderr);
    if (tty) {
        err << '\r' << line << "\x1b[K";
        g_progressOpen = true;
    } else {
        err << line << '\n';
    }
    err.flush();
}

void endProgress()
{
    if (g_progressOpen) {
        QTextStream(stderr) << '\n';
        g_progressOpen = false;
    }
}

} // namespace CliSupport
