#pragma once

#include "domain/coverage.h"
#include "sourceoptions.h"

#include <QStringList>
#include <functional>
#include <optional>

class DataSource;

// The source registry: one row per source (the simulator, the synthetic walk, each venue).
// The command line (backfill --source, --help), the GUI's source picker and the man page
// (checked by tst_manpage) all read this table, so a venue is one folder with its adapter
// and create function plus one row here.
namespace SourceFactory {

struct Entry
{
    QString name;     // "bybit": --source, the picker's key, QSettings
    QString label;    // "Bybit USDT perpetual (live)": what the picker shows
    // The venue key of its instruments ("BYBIT": BYBIT:BTCUSDT), what a bare symbol means;
    // empty for the simulator and the walk, which put any symbol on their own venue.
    QString exchange;
    // How completely it sees liquidations: complete (every one), sampled (a snapshot feed);
    // nullopt for a spot market, which has none (instrumentKinds says "spot").
    std::optional<CoverageQuality> liquidations;
    QStringList instrumentKinds; // "linear perpetual", "spot"
    QString help;                // one sentence for --help and the man page
    QStringList optionKeys;      // what --source-option takes
    std::function<DataSource *(const SourceOptions &, QString *)> create;
};

const QList<Entry> &entries();
// A spot source (its instrumentKinds are "spot"): no open interest, funding or liquidations.
bool isSpot(const Entry &entry);
const Entry *entry(const QString &name); // nullptr for an unknown name
QStringList names();
// "sim, synthetic or binance" (with extra names such as "none" at the end), for help texts.
QString nameList(const QStringList &extra = {});
// What the GUI's source picker shows for a name ("Binance USDS-M (live)").
QString label(const QString &name);
// The venue a bare symbol means for this source ("BINANCE" for binance; empty for sim).
QString defaultExchange(const QString &name);
// Builds the source named in the options. Returns nullptr and sets *error (a sentence
// naming the bad option) when the options are unusable.
DataSource *create(const SourceOptions &options, QString *error);
} // namespace SourceFactory
