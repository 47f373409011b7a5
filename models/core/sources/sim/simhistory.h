#pragma once

#include "domain/instrument.h"
#include "simrunrecord.h"
#include "storage/storelocator.h"

#include <QString>

#include <optional>

// What a store holds of one simulated instrument, and whether a start may continue it: the
// run that made the rows (SimRunRecord, from the meta table) and where its history ends. The
// simulator continues a stored history rather than rewrite it; only an explicit request
// (Simulator settings, `backfill --replace`) replaces it.
//
// Reads through StoreReader only (no SQL here), from whatever store the locator names.
class SimHistory
{
public:
    qint64 firstMs = 0;  // first stored 1m bar
    qint64 lastBarMs = 0; // the newest stored 1m bar (possibly the partial live minute)
    qint64 rows = 0;      // stored 1m bars
    std::optional<SimRunRecord> run; // nullopt when the rows carry no run record this build reads
    QString problem;           // why run is missing (empty when it is there)

    // nullopt when the store does not exist or holds no bars of the instrument. Throws
    // StoreError when the store exists but cannot be read.
    static std::optional<SimHistory> read(const StoreLocator &store, const Instrument &instrument);

    // Whether `requested` can start on this store: true with *out set to continue the
    // stored run (same seed, scenario, start and warm-up; resuming at the newest stored bar)
    // or to `requested` itself when nothing is stored; false with *error when the stored
    // history cannot be continued (other model, no record) or when `strict` and the
    // request names another market than the stored one. Without `strict` a request that
    // names no market explicitly (the GUI's defaults) adopts the stored one.
    template<typename Options>
    static bool resolve(const StoreLocator &store, bool strict, const Options &requested, Options *out, QString *error);

    // The sentence for a stored market a request differs from (and how to replace it).
    QString describeStored() const;
};

template<typename Options>
bool SimHistory::resolve(const StoreLocator &store, bool strict, const Options &requested, Options *out, QString *error)
{
    *out = requested;
    const auto stored = read(store, requested.instrument);
    if (!stored)
        return true; // nothing to continue: a new market
    const QString replace = QStringLiteral("it is kept as it is; to start a new market in its place use Simulator settings "
                                           "(GUI) or backfill --replace");
    if (!stored->run) {
        *error = QStringLiteral("%1 holds simulated history of %2 that cannot be continued (%3); %4")
                     .arg(store.display(), requested.instrument.key(), stored->problem, replace);
        return false;
    }
    const SimRunRecord &run = *stored->run;
    if (run.model() != SimRunRecord::modelVersion) {
        *error = QStringLiteral("%1 holds %2 made by another version of the simulator, which a replay would not reproduce; %3")
                     .arg(store.display(), stored->describeStored(), replace);
        return false;
    }
    const SimRunRecord asked(requested.scenario, requested.seed, requested.instrument, requested.startMs, requested.warmupSeconds);
    if (strict && !asked.sameMarket(run)) {
        *error = QStringLiteral("%1 holds %2; %3 would replace it: pass --replace to do so, or leave out --seed, --preset "
                                "and --param to continue the stored market")
                     .arg(store.display(), stored->describeStored(), asked.describe());
        return false;
    }
    out->scenario = run.scenario();
    out->seed = run.seed();
    out->startMs = run.startMs();
    out->warmupSeconds = run.warmupSeconds();
    out->resumeMs = stored->lastBarMs;
    out->endMs = std::max(requested.endMs, stored->lastBarMs);
    return true;
}
