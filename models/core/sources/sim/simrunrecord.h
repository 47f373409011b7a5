#pragma once

#include "domain/instrument.h"
#include "simscenario.h"

#include <QString>

#include <optional>

// What decides a simulated market minute by minute: the scenario (preset and parameters),
// the seed, the instrument, where the history starts and how long the unrecorded warm-up
// runs, and the simulator model itself. Two runs with the same identity produce the same
// rows, so a stored history can be continued by replaying its run (SimEngine is
// deterministic and steps in whole seconds whatever the slicing).
//
// Kept in the store's meta table per instrument (metaKey()), as JSON, so a later start -
// the GUI's or `backfill`'s - knows which market the stored rows belong to.
class SimRunRecord
{
public:
    // Bump whenever a change makes the engine produce other rows for the same run: a stored
    // history of an older model cannot be continued (a replay would not reproduce it).
    static constexpr int modelVersion = 3; // 3: bar volumes are the decimals they sum to (CandleBuilder)

    SimRunRecord(SimScenario scenario, quint64 seed, Instrument instrument, qint64 startMs, qint64 warmupSeconds);

    const SimScenario &scenario() const { return m_scenario; }
    quint64 seed() const { return m_seed; }
    const Instrument &instrument() const { return m_instrument; }
    qint64 startMs() const { return m_startMs; }
    qint64 warmupSeconds() const { return m_warmupSeconds; }
    int model() const { return m_model; }

    // The same market: preset, every parameter value, seed and instrument. The start and
    // the model are not part of it (a request names no start; a model change is its own
    // refusal, with its own message).
    bool sameMarket(const SimRunRecord &other) const;
    // "treadmill · seed 42" plus the parameters given besides the preset.
    QString describe() const;

    static QString metaKey(const Instrument &instrument) { return QStringLiteral("sim.run.") + instrument.key(); }
    QString toJson() const;
    // nullopt and *error when the text is not a run record this build can rebuild.
    static std::optional<SimRunRecord> fromJson(const QString &text, QString *error);

private:
    SimScenario m_scenario;
    quint64 m_seed;
    Instrument m_instrument;
    qint64 m_startMs;
    qint64 m_warmupSeconds;
    int m_model = modelVersion;
};
