#pragma once

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

#include <QtGlobal>

#include <optional>

// The simulator's scenario: a named preset (calm, treadmill, crash) plus parameter overrides,
// validated with messages that name the offending parameter. Every value is kept as a double
// (integers are checked to be whole) so one table describes, validates and records them all.
class SimScenario
{
public:
    struct Params
    {
        double agents = 20'000;          // speculator crowd: every population's arrivals scale with it
        double depth = 4e6;              // USD within 1 % of mid, per side, calm book
        double leverage = 1.0;           // weight multiplier of the 20x and higher tiers
        double volatility = 0.28;        // annualised, calm regime
        double stressVolatility = 0.8;   // annualised, stress regime
        double stressShare = 0.1;        // long-run share of time in stress
        double jumpsPerDay = 1.5;
        double jumpSize = 0.004;         // mean |jump| of the fundamental
        double drift = -0.5;             // annualised drift of the fundamental
        double momentum = 1.0;           // trend response of momentum traders
        double longBias = 0.15;          // probit shift towards longs
        double arbCapital = 15e6;        // USD of carry and basis arbitrage capital (varies over days)
        double spotDepth = 10e6;         // USD of net spot flow that moves the index 1 %
        double roundEntries = 0.35;      // share of entries resting at round numbers
        double roundStep = 1000;         // USD between round numbers
        double mmWithdrawal = 1.5;       // depth withdrawal per unit of excess volatility
        double resilience = 30;          // seconds for a swept level to refill (1/e)
        double fundingInterval = 8;      // hours
        double startPrice = 100'000;     // where the warm-up starts
        double truthMinutes = 60;        // ground-truth snapshot interval
        double insuranceFund = 3e6;      // USD at the start
    };

    // Simulated before the recorded history: a week, so positions held for days to weeks
    // have built up most of the open interest when the record begins.
    static constexpr qint64 warmupSeconds = 7 * 86400;

    static QStringList presets();
    static QString defaultPreset() { return QStringLiteral("treadmill"); }
    static QStringList parameterNames();
    static QString describe(const QString &parameter); // one line for --help / errors

    // preset empty = the default. Returns nothing and sets *error on an unknown preset or
    // parameter, a value that is not a number, or one outside its range.
    static std::optional<SimScenario> build(const QString &preset, const QMap<QString, QString> &overrides, QString *error);

    const QString &preset() const { return m_preset; }
    const Params &params() const { return m_params; }
    // The parameters given besides the preset (as given): what rebuilds this scenario.
    const QMap<QString, QString> &overrides() const { return m_overrides; }
    // "sim.param.<name>" -> exact number text, for the store's meta table.
    QHash<QString, QString> metadata() const;

private:
    QString m_preset;
    Params m_params;
    QMap<QString, QString> m_overrides;
};
