#pragma once

#include "domain/instrument.h"
#include "storage/storelocator.h"

#include <QList>
#include <QMap>
#include <QString>

// What the command line or the GUI's source picker asks of a source. Fields a source does
// not use are ignored; `extra` carries source-specific settings (e.g. base URLs).
struct SourceOptions
{
    QString source = QStringLiteral("sim"); // sim, synthetic, binance, ...
    Instrument instrument;                  // invalid = the source's default
    // Several instruments in one source (the recorder): an exchange client fetches and
    // streams them together, on one request budget and one socket per endpoint, as the venue
    // counts them. When set, `instrument` is ignored by the sources that take a list.
    QList<Instrument> instruments;
    quint64 seed = 42;
    QString preset;        // simulator scenario
    static constexpr double maxDays = 36'500; // a century: beyond, day counts overflow ms arithmetic
    double days = 30;      // history to backfill
    qint64 endMs = 0;      // backfill ends here (0 = source default)
    bool live = false;     // keep streaming after the backfill
    double speed = 1.0;    // simulator live speed (simulated seconds per real second)
    QMap<QString, QString> extra;
    // The store the source will write to. The simulator continues the history it holds
    // rather than rewrite it.
    StoreLocator store;
    // Explicit requests about a stored simulated history: replaceHistory starts a new market
    // in its place (the user confirmed it); runExplicit says the seed, preset or parameters
    // were asked for (the command line), so a stored market of other ones is an error rather
    // than continued in their place.
    bool replaceHistory = false;
    bool runExplicit = false;
};
