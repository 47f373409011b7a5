#include "recordcommand.h"

#include "clisupport.h"
#include "recorder.h"
#include "sources/sourcefactory.h"
#include "terminationsignals.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QRegularExpression>

#include <csignal>
#include <cstdio>

using namespace CliSupport;

namespace {

// "binance,bybit" or "binance bybit" (one systemd ${VAR} argument) or repeated options.
QStringList listValues(const QCommandLineParser &p, const QString &name)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    QStringList out;
    for (const QString &v : p.values(name))
        for (const QString &item : v.split(separators, Qt::SkipEmptyParts))
            if (!out.contains(item))
                out << item;
    return out;
}

// Plain lines, written at once: journald (or a pipe) gets each event as it happens.
void logLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace

int RecordCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Store: an SQLite file (created if missing) or a postgresql:// URI."), QStringLiteral("locator")},
        {QStringLiteral("source"), QStringLiteral("Source to record, repeatable or comma-separated: ") + SourceFactory::nameList() + QLatin1Char('.'),
         QStringLiteral("name")},
        {QStringLiteral("instrument"),
         QStringLiteral("Instrument, repeatable or comma-separated. VENUE:SYMBOL goes to that venue's source, a bare symbol to every source."),
         QStringLiteral("symbol")},
        {QStringLiteral("days"), QStringLiteral("History to backfill where the store has none (default 30)."), QStringLiteral("d"), QStringLiteral("30")},
        {QStringLiteral("commit-ms"), QStringLiteral("Exchanges: stream rows are committed in batches this far apart (default 1000)."),
         QStringLiteral("ms"), QStringLiteral("1000")},
        {QStringLiteral("source-option"),
         QStringLiteral("Exchange source setting KEY=VALUE for every exchange source, or NAME.KEY=VALUE for one (rest_url, ws_url, ...)."),
         QStringLiteral("key=value")},
        {QStringLiteral("seed"), QStringLiteral("Simulator seed."), QStringLiteral("n"), QStringLiteral("42")},
        {QStringLiteral("preset"), QStringLiteral("Simulator scenario."), QStringLiteral("name")},
        {QStringLiteral("param"), QStringLiteral("Simulator scenario parameter (repeatable)."), QStringLiteral("key=value")},
        {QStringLiteral("speed"), QStringLiteral("Simulator: simulated seconds per real second (default 1)."), QStringLiteral("x"), QStringLiteral("1")},
        {QStringLiteral("stop-timeout"), QStringLiteral("Seconds a stop waits for an unavailable store to take what is held (default 60)."),
         QStringLiteral("s"), QStringLiteral("60")},
    });
    parse(p, args);

    Recorder::Options options;
    options.store = storeLocator(p);
    // A database restart takes seconds: retry soon, and never give up (nothing is dropped
    // until the backlog bound, IngestWorker::CommitPolicy::maxBacklogRows).
    options.commits.firstRetryMs = 500;
    options.commits.maxRetryMs = 10'000;
    options.commits.maxAttempts = 0;
    const QStringList sources = listValues(p, QStringLiteral("source"));
    const QStringList instruments = listValues(p, QStringLiteral("instrument"));
    if (sources.isEmpty())
        usage(QStringLiteral("record needs --source (%1)").arg(SourceFactory::nameList()));
    if (instruments.isEmpty())
        usage(QStringLiteral("record needs --instrument (e.g. BTCUSDT or BINANCE:BTCUSDT)"));
    const double days = numberValue(QStringLiteral("days"), p.value(QStringLiteral("days")));
    if (days < 0 || days > SourceOptions::maxDays)
        usage(QStringLiteral("--days must be 0 ... %1 (got %2)").arg(SourceOptions::maxDays).arg(p.value(QStringLiteral("days"))));
    const double commitMs = numberValue(QStringLiteral("commit-ms"), p.value(QStringLiteral("commit-ms")));
    if (commitMs < 1 || commitMs > 3'600'000)
        usage(QStringLiteral("--commit-ms must be 1 ... 3600000 (got %1)").arg(p.value(QStringLiteral("commit-ms"))));
    const double stopTimeout = numberValue(QStringLiteral("stop-timeout"), p.value(QStringLiteral("stop-timeout")));
    if (stopTimeout < 0 || stopTimeout > 86'400)
        usage(QStringLiteral("--stop-timeout must be 0 ... 86400 seconds (got %1)").arg(p.value(QStringLiteral("stop-timeout"))));
    options.stopTimeoutMs = qint64(stopTimeout * 1000);
    bool seedOk = false;
    const quint64 seed = p.value(QStringLiteral("seed")).toULongLong(&seedOk);
    if (!seedOk)
        usage(QStringLiteral("--seed: '%1' is not a non-negative integer").arg(p.value(QStringLiteral("seed"))));
    const double speed = numberValue(QStringLiteral("speed"), p.value(QStringLiteral("speed")));

    // --source-option: KEY=VALUE for every exchange source, NAME.KEY=VALUE for one.
    QMap<QString, QMap<QString, QString>> sourceExtra;
    for (const QString &kv : p.values(QStringLiteral("source-option"))) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            usage(QStringLiteral("--source-option: '%1' is not KEY=VALUE").arg(kv));
        QString key = kv.left(eq);
        QString target; // empty: every exchange source
        if (const qsizetype dot = key.indexOf(QLatin1Char('.')); dot > 0 && SourceFactory::entry(key.left(dot))) {
            target = key.left(dot);
            key = key.mid(dot + 1);
        }
        sourceExtra[target].insert(key, kv.mid(eq + 1));
    }
    QMap<QString, QString> simParams;
    for (const QString &kv : p.values(QStringLiteral("param"))) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            usage(QStringLiteral("--param: expected key=value (got '%1')").arg(kv));
        simParams.insert(kv.left(eq).trimmed(), kv.mid(eq + 1).trimmed());
    }

    QStringList unassigned = instruments;
    for (const QString &name : sources) {
        const SourceFactory::Entry *entry = SourceFactory::entry(name);
        if (!entry)
            usage(QStringLiteral("--source: unknown source '%1' (known: %2)").arg(name, SourceFactory::nameList()));
        const QString venue = entry->exchange.isEmpty() ? (name == QLatin1String("sim") ? QStringLiteral("SIM") : QStringLiteral("SYNTH"))
                                                        : entry->exchange;
        QList<Instrument> mine;
        for (const QString &text : instruments) {
            const Instrument i = instrumentValue(QStringLiteral("instrument"), text, venue);
            if (text.contains(QLatin1Char(':')) && i.exchange != venue)
                continue; // another venue's
            mine << i;
            unassigned.removeAll(text);
        }
        if (mine.isEmpty())
            usage(QStringLiteral("no --instrument for --source %1 (a bare symbol or %2:SYMBOL)").arg(name, venue));
        SourceOptions o;
        o.source = name;
        o.live = true;
        o.days = days;
        o.seed = seed;
        o.speed = speed;
        o.preset = p.value(QStringLiteral("preset"));
        o.runExplicit = p.isSet(QStringLiteral("seed")) || p.isSet(QStringLiteral("preset")) || p.isSet(QStringLiteral("param"));
        if (entry->exchange.isEmpty()) {
            // The simulator and the walk are one instrument each: a source per instrument.
            o.extra = name == QLatin1String("sim") ? simParams : QMap<QString, QString>{};
            for (const Instrument &i : std::as_const(mine)) {
                o.instrument = i;
                options.sources << o;
            }
            continue;
        }
        o.extra.insert(QStringLiteral("batch_ms"), QString::number(qint64(commitMs)));
        for (const QString &target : {QString(), name}) { // the source's own settings win
            const QMap<QString, QString> settings = sourceExtra.value(target);
            for (auto it = settings.cbegin(); it != settings.cend(); ++it)
                o.extra.insert(it.key(), it.value());
        }
        o.instruments = mine;
        options.sources << o;
    }
    if (!unassigned.isEmpty())
        usage(QStringLiteral("--instrument %1: no --source for its venue").arg(unassigned.join(QStringLiteral(", "))));

    // SIGTERM (systemctl stop) and SIGINT (Ctrl+C): stop, flush, exit 0. SIGPIPE (a log
    // reader gone) must not kill the process mid-batch.
    std::signal(SIGPIPE, SIG_IGN);
    TerminationSignals terminations;
    QEventLoop loop;
    Recorder recorder(options, logLine);
    int exitCode = Ok;
    bool done = false;
    QObject::connect(&terminations, &TerminationSignals::triggered, &recorder, [&recorder](int signal) {
        recorder.stop(signal == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM"));
    });
    QObject::connect(&recorder, &Recorder::finished, &loop, [&](int code) {
        exitCode = code;
        done = true;
        loop.quit();
    });
    recorder.start();
    if (!done) // a start that failed at once has finished already
        loop.exec();
    return exitCode;
}
