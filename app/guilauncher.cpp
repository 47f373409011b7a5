#include "guilauncher.h"

#include "clisupport.h"
#include "mainwindow.h"
#include "singleinstance.h"
#include "sourcecontroller.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "terminationsignals.h"
#include "timesync.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QStyleFactory>
#include <QTimer>

#include <limits>

int GuiLauncher::run(QApplication &app, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("source"), SourceFactory::nameList({SourceController::none()}) + QLatin1Char('.'), QStringLiteral("name")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument, e.g. BTCUSDT."), QStringLiteral("symbol")},
        {QStringLiteral("theme"), QStringLiteral("dark or light."), QStringLiteral("name")},
        // For documentation and walking the journeys on a headless machine: grab the
        // window after a delay and quit.
        {QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to FILE and quit."), QStringLiteral("file")},
        {QStringLiteral("screenshot-after"), QStringLiteral("Seconds to wait before the screenshot."), QStringLiteral("s"), QStringLiteral("5")},
        {QStringLiteral("size"), QStringLiteral("Window size WxH."), QStringLiteral("WxH")},
        {QStringLiteral("from"), QStringLiteral("Open the view at this time (with --to)."), QStringLiteral("time")},
        {QStringLiteral("to"), QStringLiteral("End of the opening view."), QStringLiteral("time")},
        {QStringLiteral("select"), QStringLiteral("Select a time range FROM/TO (ISO-8601 interval) and analyse it."), QStringLiteral("interval")},
        {QStringLiteral("source-option"), QStringLiteral("Setting KEY=VALUE of the source (repeatable), as for backfill."), QStringLiteral("key=value")},
    });
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Files to import (the desktop's \"Open with\")."));
    QStringList files;
    QMap<QString, QString> sourceOptions;
    TimeRange view, selection;
    try {
        CliSupport::parse(p, args, std::numeric_limits<int>::max());
        if (p.isSet(QStringLiteral("from")) != p.isSet(QStringLiteral("to")))
            CliSupport::usage(QStringLiteral("--from and --to go together"));
        if (p.isSet(QStringLiteral("from")))
            view = CliSupport::resolveRange(p, {});
        selection = CliSupport::selectionValue(p);
        for (const QString &kv : p.values(QStringLiteral("source-option"))) {
            const qsizetype eq = kv.indexOf(QLatin1Char('='));
            if (eq <= 0)
                CliSupport::usage(QStringLiteral("--source-option: '%1' is not KEY=VALUE").arg(kv));
            sourceOptions.insert(kv.left(eq), kv.mid(eq + 1));
        }
        for (const QString &f : p.positionalArguments()) {
            if (!QFileInfo::exists(f))
                CliSupport::usage(QStringLiteral("%1: no such file").arg(f));
            files << QFileInfo(f).absoluteFilePath();
        }
    } catch (const CliSupport::Error &e) {
        CliSupport::printError(QString::fromStdString(e.what()));
        return CliSupport::Usage;
    }

    const StoreLocator store = p.isSet(QStringLiteral("db")) ? StoreLocator::parse(p.value(QStringLiteral("db"))) : MarketStore::defaultLocator();
    if (!store.isValid()) {
        CliSupport::printError(store.error());
        return CliSupport::Usage;
    }
    // A second launch on the same database raises the first window and hands it the files.
    // --screenshot is a one-off tool run and keeps to itself.
    SingleInstance instance(store);
    if (!p.isSet(QStringLiteral("screenshot")) && instance.acquire() == SingleInstance::Role::Secondary) {
        QString error;
        if (instance.handOver(files, &error))
            return CliSupport::Ok;
        CliSupport::printError(error);
        return CliSupport::Failure;
    }

    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    try {
        MarketStore::open(store);
    } catch (const StoreError &e) {
        CliSupport::printError(e.message());
        QMessageBox::critical(nullptr, QStringLiteral("Perpscope"), e.message());
        return CliSupport::Failure;
    }

    MainWindow::Options options;
    options.store = store;
    options.source = p.value(QStringLiteral("source"));
    options.instrument = p.value(QStringLiteral("instrument"));
    options.theme = p.value(QStringLiteral("theme"));
    options.sourceOptions = sourceOptions;
    MainWindow window(options);
    if (p.isSet(QStringLiteral("size"))) {
        const QStringList wh = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    window.show();
    if (view.isValid()) {
        window.timeSync()->setFollowLatest(false);
        window.timeSync()->setVisibleRange(view, &window);
    }
    if (selection.isValid())
        window.timeSync()->setSelection(selection, &window);
    QObject::connect(&instance, &SingleInstance::activationRequested, &window, &MainWindow::openFiles);
    // A stop request from outside quits as the Quit action does: the history stays whole.
    TerminationSignals termination;
    QObject::connect(&termination, &TerminationSignals::triggered, &window, [&window] { window.close(); });
    if (!files.isEmpty())
        QTimer::singleShot(0, &window, [&window, files] { window.openFiles(files); });
    if (p.isSet(QStringLiteral("screenshot"))) {
        const QString file = p.value(QStringLiteral("screenshot"));
        QTimer::singleShot(int(p.value(QStringLiteral("screenshot-after")).toDouble() * 1000), &window, [&window, file] {
            if (!window.grab().save(file))
                CliSupport::printError(QStringLiteral("--screenshot %1: cannot write the image").arg(file));
            window.close();
        });
    }
    return app.exec();
}
