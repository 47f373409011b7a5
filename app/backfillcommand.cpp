#include "backfillcommand.h"

#include "analysis/margintierchoice.h"
#include "clisupport.h"
#include "domain/plausibility.h"
#include "domain/timeformat.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>

using namespace CliSupport;

int BackfillCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file (created if missing)."), QStringLiteral("path")},
        {QStringLiteral("source"), SourceFactory::nameList() + QLatin1Char('.'), QStringLiteral("name"), QStringLiteral("sim")},
        {QStringLiteral("seed"), QStringLiteral("Simulator seed."), QStringLiteral("n"), QStringLiteral("42")},
        {QStringLiteral("days"), QStringLiteral("Days of history."), QStringLiteral("d"), QStringLiteral("30")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument, e.g. BTCUSDT."), QStringLiteral("symbol")},
        {QStringLiteral("preset"), QStringLiteral("Simulator scenario."), QStringLiteral("name")},
        {QStringLiteral("end"), QStringLiteral("History ends here (default: start of today, UTC; exchanges: now)."), QStringLiteral("time")},
        {QStringLiteral("param"), QStringLiteral("Simulator scenario parameter (repeatable), e.g. depth=5e6."), QStringLiteral("key=value")},
        {QStringLiteral("replace"),
         QStringLiteral("Simulator: start a new market in place of the stored one (its history is deleted). Without it a "
                        "database that holds a simulated market continues it.")},
        {QStringLiteral("source-option"),
         QStringLiteral("Source setting KEY=VALUE, repeatable (exchanges: rest_url, ws_url for a testnet or a test server; see perpscope --help)."),
         QStringLiteral("key=value")},
    });
    parse(p, args);

    SourceOptions o;
    o.source = p.value(QStringLiteral("source"));
    bool ok = false;
    o.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok)
        usage(QStringLiteral("--seed: '%1' is not a non-negative integer").arg(p.value(QStringLiteral("seed"))));
    o.days = numberValue(QStringLiteral("days"), p.value(QStringLiteral("days")));
    if (o.days <= 0 || o.days > SourceOptions::maxDays) // 1e300 days once overflowed into a run that did nothing
        usage(QStringLiteral("--days must be above 0 and at most %1 (got %2)").arg(SourceOptions::maxDays).arg(p.value(QStringLiteral("days"))));
    if (p.isSet(QStringLiteral("instrument")))
        o.instrument = instrumentValue(QStringLiteral("instrument"), p.value(QStringLiteral("instrument")),
                                       SourceFactory::defaultExchange(o.source));
    o.preset = p.value(QStringLiteral("preset"));
    if (p.isSet(QStringLiteral("end"))) {
        // 0 used to mean "the default end", so --end 0 was silently ignored.
        o.endMs = timeValue(QStringLiteral("end"), p.value(QStringLiteral("end")));
        if (!Plausibility::time(o.endMs))
            usage(QStringLiteral("--end: %1 is outside 2009 ... 2100, where market data can be").arg(TimeFormat::iso(o.endMs)));
    }
    for (const QString &kv : p.values(QStringLiteral("param"))) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            usage(QStringLiteral("--param: expected key=value (got '%1')").arg(kv));
        const QString key = kv.left(eq).trimmed();
        if (o.extra.contains(key))
            usage(QStringLiteral("--param: '%1' is given twice").arg(key));
        o.extra.insert(key, kv.mid(eq + 1).trimmed());
    }
    if (!o.extra.isEmpty() && o.source != QLatin1String("sim"))
        usage(QStringLiteral("--param is only for --source sim"));
    for (const QString &kv : p.values(QStringLiteral("source-option"))) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            usage(QStringLiteral("--source-option: '%1' is not KEY=VALUE").arg(kv));
        o.extra.insert(kv.left(eq), kv.mid(eq + 1));
    }

    const StoreLocator store = storeLocator(p);
    o.store = store;
    o.replaceHistory = p.isSet(QStringLiteral("replace"));
    o.runExplicit = p.isSet(QStringLiteral("seed")) || p.isSet(QStringLiteral("preset")) || p.isSet(QStringLiteral("param"));
    if (o.replaceHistory && o.source != QLatin1String("sim"))
        usage(QStringLiteral("--replace is only for --source sim"));
    QString error;
    DataSource *source = SourceFactory::create(o, &error);
    if (!source)
        usage(error);
    try {
        MarketStore::open(store);
    } catch (const StoreError &e) {
        delete source;
        throw Error(e.message());
    }

    const QList<Instrument> instruments = source->instruments();
    QString failure;
    QEventLoop loop;
    DataThread thread(store);
    QElapsedTimer sinceLast;
    sinceLast.start();
    QObject::connect(&thread, &DataThread::progress, &loop, [&](qint64 done, qint64 total, const QString &what) {
        if (sinceLast.elapsed() < 250 && done < total)
            return;
        sinceLast.restart();
        printProgress(total > 0 ? QStringLiteral("%1: %2 / %3 (%4 %)").arg(what).arg(done).arg(total).arg(100.0 * done / total, 0, 'f', 1)
                                : QStringLiteral("%1: %2").arg(what).arg(done));
    });
    QObject::connect(&thread, &DataThread::sourceFailed, &loop, [&](const QString &reason) {
        failure = reason;
        loop.quit();
    });
    // A commit the store cannot take is retried a few times (a lock held for long, a disk
    // freed meanwhile); then the command fails with what the store said. Rejected batches
    // end the run too: a backfill must not complete with a hole.
    thread.setCommitPolicy(CliSupport::commitPolicy());
    QObject::connect(&thread, &DataThread::storeFailed, &loop, [&](const QString &message) {
        failure = message;
        loop.quit();
    });
    QObject::connect(&thread, &DataThread::batchRejected, &loop, [&](const QString &message) {
        failure = message;
        loop.quit();
    });
    QObject::connect(&thread, &DataThread::sourceFinished, &loop, &QEventLoop::quit);
    if (const QString plan = source->plan(); !plan.isEmpty())
        QTextStream(stdout) << plan << '\n';
    thread.setSource(source);
    loop.exec();
    thread.stopSource();
    thread.sync();
    endProgress();
    if (!failure.isEmpty())
        throw Error(failure);

    auto reader = MarketStore::openExisting(store).reader();
    QTextStream out(stdout);
    for (const Instrument &i : instruments) {
        const TimeRange span = reader->extent(i, DataKind::Candles);
        out << "backfilled " << i.key() << ": " << reader->count(i, DataKind::Candles) << " 1m candles";
        if (span.isValid())
            out << " from " << TimeFormat::iso(span.from) << " to " << TimeFormat::iso(span.to);
        out << ", " << reader->count(i, DataKind::Funding) << " funding, " << reader->count(i, DataKind::OpenInterest) << " OI, "
            << reader->count(i, DataKind::Liquidations) << " liquidations\n";
        // The venue's maintenance-margin tiers, where it publishes them (the heatmap uses them).
        if (const MarginTierChoice tiers = MarginTierChoice::forInstrument(*reader, i); !tiers.isDefault())
            out << "  margin tiers: " << tiers.describe() << "\n";
    }
    return Ok;
}
