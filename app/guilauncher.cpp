#include "guilauncher.h"

#include "clisupport.h"
#include "mainwindow.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QStyleFactory>

int GuiLauncher::run(QApplication &app, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("source"), QStringLiteral("sim or binance."), QStringLiteral("name")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument, e.g. BTCUSDT."), QStringLiteral("symbol")},
        {QStringLiteral("theme"), QStringLiteral("dark or light."), QStringLiteral("name")},
    });
    try {
        CliSupport::parse(p, args);
    } catch (const CliSupport::Error &e) {
        CliSupport::printError(QString::fromStdString(e.what()));
        return CliSupport::Usage;
    }

    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QString dbPath = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : MarketStore::defaultPath();
    try {
        MarketStore::open(dbPath);
    } catch (const StoreError &e) {
        CliSupport::printError(e.message());
        QMessageBox::critical(nullptr, QStringLiteral("Perpscope"), e.message());
        return CliSupport::Failure;
    }

    MainWindow::Options options;
    options.dbPath = dbPath;
    options.source = p.value(QStringLiteral("source"));
    options.instrument = p.value(QStringLiteral("instrument"));
    options.theme = p.value(QStringLiteral("theme"));
    MainWindow window(options);
    window.show();
    return app.exec();
}
