#include "importcommand.h"

#include "clisupport.h"
#include "sources/datathread.h"
#include "sources/import/fileimportsource.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>

using namespace CliSupport;

int ImportCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file (created if missing)."), QStringLiteral("path")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument for every file (default: from the file names; a bare symbol means "
                                                      "BINANCE)."),
         QStringLiteral("symbol")},
        {QStringLiteral("kind"), QStringLiteral("What the files hold when name and folder cannot tell: candles, mark, funding, "
                                                "predicted_funding, oi, liquidations."),
         QStringLiteral("kind")},
    });
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Files or folders to import."));
    parse(p, args, 1 << 20);
    const QStringList paths = p.positionalArguments();
    if (paths.isEmpty())
        usage(QStringLiteral("name at least one file or folder to import"));

    FileImportSource::Options o;
    if (p.isSet(QStringLiteral("instrument")))
        o.instrument = instrumentValue(QStringLiteral("instrument"), p.value(QStringLiteral("instrument")), QStringLiteral("BINANCE"));
    if (p.isSet(QStringLiteral("kind"))) {
        o.kind = DataKinds::parse(p.value(QStringLiteral("kind")));
        if (!o.kind || *o.kind == DataKind::GroundTruth)
            usage(QStringLiteral("--kind: '%1' is not one of candles, mark, funding, predicted_funding, oi, liquidations")
                      .arg(p.value(QStringLiteral("kind"))));
    }
    const StoreLocator store = storeLocator(p);
    try {
        MarketStore::open(store);
    } catch (const StoreError &e) {
        throw Error(e.message());
    }

    auto *source = new FileImportSource(paths, o);
    ImportSummary summary;
    QStringList storeErrors;
    QEventLoop loop;
    DataThread thread(store);
    QElapsedTimer sinceLast;
    sinceLast.start();
    QObject::connect(source, &FileImportSource::imported, &loop, [&](const ImportSummary &s) { summary = s; });
    QObject::connect(&thread, &DataThread::progress, &loop, [&](qint64 done, qint64 total, const QString &what) {
        if (sinceLast.elapsed() < 250 && done < total)
            return;
        sinceLast.restart();
        printProgress(total > 0 ? QStringLiteral("%1: %2 %").arg(what).arg(100.0 * done / total, 0, 'f', 1) : what);
    });
    thread.setCommitPolicy(CliSupport::commitPolicy());
    QObject::connect(&thread, &DataThread::batchRejected, &loop, [&](const QString &message) { storeErrors << message; });
    QObject::connect(&thread, &DataThread::storeFailed, &loop, [&](const QString &message) {
        storeErrors.prepend(message);
        loop.quit();
    });
    QObject::connect(&thread, &DataThread::sourceFinished, &loop, &QEventLoop::quit);
    thread.setSource(source);
    loop.exec();
    thread.stopSource();
    thread.sync();
    QCoreApplication::sendPostedEvents(); // the summary is queued from the data thread
    endProgress();

    if (!storeErrors.isEmpty())
        throw Error(storeErrors.front() + (storeErrors.size() > 1 ? QStringLiteral(" (and %1 more batches)").arg(storeErrors.size() - 1) : QString()));
    const auto &files = summary.files();
    if (files.size() == 1 && summary.totalRows() == 0 && !files.front().ok()) {
        // The per-row diagnostics say why every row failed: they go first, the one-line
        // error last (they once vanished when no row could be read).
        QTextStream err(stderr);
        for (const QString &m : files.front().messages)
            err << m << '\n';
        err.flush();
        throw Error(QStringLiteral("%1: %2").arg(files.front().name(), files.front().error));
    }
    QTextStream(stdout) << summary.text() << Qt::endl;
    if (const int failed = summary.failedFiles())
        throw Error(QStringLiteral("%1 of %2 files could not be imported completely (see the messages above)").arg(failed).arg(files.size()));
    if (files.isEmpty())
        throw Error(QStringLiteral("nothing to import: %1").arg(summary.messages().join(QStringLiteral("; "))));
    return Ok;
}
