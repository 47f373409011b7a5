#include "simscenario.h"

#include "domain/numbers.h"

#include <cmath>
#include <vector>

namespace {

struct Descriptor
{
    const char *name;
    double SimScenario::Params::*member;
    double min;
    double max;
    bool minExclusive;
    bool integer;
    const char *description;
};

using P = SimScenario::Params;

const std::vector<Descriptor> &descriptors()
{
    static const std::vector<Descriptor> table = {
        {"agents", &P::agents, 1, 1e6, false, true, "size of the speculator crowd; the arrival rates of every population scale with it"},
        {"depth", &P::depth, 0, 1e12, true, false, "order-book depth within 1 % of mid per side in a calm market, USD"},
        {"leverage", &P::leverage, 0, 10, true, false, "leverage appetite: weight multiplier of the 20x and higher tiers"},
        {"volatility", &P::volatility, 0, 5, true, false, "annualised volatility of the spot fundamental, calm regime"},
        {"stress_volatility", &P::stressVolatility, 0, 10, true, false, "annualised volatility of the spot fundamental, stress regime"},
        {"stress_share", &P::stressShare, 0, 0.9, false, false, "long-run share of time spent in the stress regime"},
        {"jumps_per_day", &P::jumpsPerDay, 0, 50, false, false, "rate of news jumps in the spot fundamental"},
        {"jump_size", &P::jumpSize, 0, 0.5, false, false, "mean absolute size of a news jump (fraction of price)"},
        {"drift", &P::drift, -10, 10, false, false, "annualised drift of the spot fundamental"},
        {"momentum", &P::momentum, 0, 50, false, false, "how strongly momentum traders respond to trends"},
        {"long_bias", &P::longBias, -3, 3, false, false, "speculators' preference for longs (probit shift)"},
        {"arb_capital", &P::arbCapital, 0, 1e13, false, false, "capital of the carry and basis arbitrageurs, USD (what they commit varies over days around it)"},
        {"spot_depth", &P::spotDepth, 0, 1e13, true, false, "net spot flow that moves the index by 1 %, USD"},
        {"round_entries", &P::roundEntries, 0, 1, false, false, "share of entries resting as limit orders at round numbers"},
        {"round_step", &P::roundStep, 1, 1e6, false, false, "spacing of round numbers, USD"},
        {"mm_withdrawal", &P::mmWithdrawal, 0, 20, false, false, "how hard the market maker pulls depth as volatility rises"},
        {"resilience", &P::resilience, 0, 86400, true, false, "seconds for a swept book level to refill (1/e time)"},
        {"funding_interval", &P::fundingInterval, 1, 8, false, true, "funding interval in hours: 1, 2, 4 or 8"},
        {"start_price", &P::startPrice, 1000, 1e7, false, false, "price where the simulated market starts (a week of warm-up before the history), USD"},
        {"truth_minutes", &P::truthMinutes, 1, 60, false, true, "ground-truth snapshot interval in minutes (a divisor of 60)"},
        {"insurance_fund", &P::insuranceFund, 0, 1e13, false, false, "insurance fund at the start, USD"},
    };
    return table;
}

const Descriptor *find(const QString &name)
{
    for (const Descriptor &d : descriptors())
        if (name == QLatin1String(d.name))
            return &d;
    return nullptr;
}

// Presets differ in leverage appetite, book depth, volatility regime and trend; everything
// else keeps its default. treadmill is the default Params.
std::optional<P> presetParams(const QString &name)
{
    P p;
    if (name == QLatin1String("treadmill"))
        return p;
    if (name == QLatin1String("calm")) {
        // A quiet, slowly rising month: less leverage appetite, deeper books, spot calm.
        p.leverage = 0.5;
        p.depth = 6e6;
        p.spotDepth = 20e6;
        p.volatility = 0.22;
        p.stressVolatility = 0.55;
        p.stressShare = 0.04;
        p.jumpsPerDay = 1.0;
        p.jumpSize = 0.003;
        p.drift = 0.2;
        p.momentum = 0.6;
        p.mmWithdrawal = 1.0;
        p.arbCapital = 12e6;
        return p;
    }
    if (name == QLatin1String("crash")) {
        // A bear month with crash days: more leverage chasing a falling market, thin books
        // that the maker pulls hard, spot in its volatile regime a fifth of the time, big
        // news, scarce arbitrage capital.
        p.leverage = 1.6;
        p.depth = 2.5e6;
        p.spotDepth = 8e6;
        p.volatility = 0.35;
        p.stressVolatility = 1.2;
        p.stressShare = 0.2;
        p.jumpsPerDay = 2.0;
        p.jumpSize = 0.007;
        p.drift = -2.0;
        p.momentum = 1.5;
        p.longBias = 0.25;
        p.arbCapital = 8e6;
        p.mmWithdrawal = 2.5;
        p.resilience = 60;
        return p;
    }
    return std::nullopt;
}

QString rangeText(const Descriptor &d)
{
    if (d.integer && QLatin1String(d.name) == QLatin1String("funding_interval"))
        return QStringLiteral("one of 1, 2, 4, 8");
    if (d.integer && QLatin1String(d.name) == QLatin1String("truth_minutes"))
        return QStringLiteral("a whole divisor of 60 (1 ... 60)");
    const QString lo = QString::fromLatin1(Numbers::format(d.min));
    const QString hi = QString::fromLatin1(Numbers::format(d.max));
    if (d.minExclusive)
        return QStringLiteral("%1 > 0 and <= %2").arg(d.integer ? QStringLiteral("an integer") : QStringLiteral("a number"), hi);
    return QStringLiteral("%1 between %2 and %3").arg(d.integer ? QStringLiteral("an integer") : QStringLiteral("a number"), lo, hi);
}

bool inRange(const Descriptor &d, double v)
{
    if (!std::isfinite(v))
        return false;
    if (d.integer && v != std::floor(v))
        return false;
    if (d.minExclusive ? v <= d.min : v < d.min)
        return false;
    if (v > d.max)
        return false;
    if (QLatin1String(d.name) == QLatin1String("funding_interval"))
        return v == 1 || v == 2 || v == 4 || v == 8;
    if (QLatin1String(d.name) == QLatin1String("truth_minutes"))
        return 60 % int(v) == 0;
    return true;
}

} // namespace

QStringList SimScenario::presets()
{
    return {QStringLiteral("calm"), QStringLiteral("treadmill"), QStringLiteral("crash")};
}

QStringList SimScenario::parameterNames()
{
    QStringList names;
    for (const Descriptor &d : descriptors())
        names << QString::fromLatin1(d.name);
    return names;
}

QString SimScenario::describe(const QString &parameter)
{
    const Descriptor *d = find(parameter);
    return d ? QStringLiteral("%1: %2 (%3)").arg(parameter, QLatin1String(d->description), rangeText(*d)) : QString();
}

std::optional<SimScenario> SimScenario::build(const QString &preset, const QMap<QString, QString> &overrides, QString *error)
{
    SimScenario s;
    s.m_preset = preset.isEmpty() ? defaultPreset() : preset;
    const auto base = presetParams(s.m_preset);
    if (!base) {
        *error = QStringLiteral("unknown preset '%1' (expected one of: %2)").arg(s.m_preset, presets().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    s.m_params = *base;
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
        const Descriptor *d = find(it.key());
        if (!d) {
            *error = QStringLiteral("unknown parameter '%1' (expected one of: %2)").arg(it.key(), parameterNames().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        const auto value = Numbers::parse(it.value().trimmed().toLatin1());
        if (!value) {
            *error = QStringLiteral("parameter '%1': '%2' is not a number").arg(it.key(), it.value());
            return std::nullopt;
        }
        if (!inRange(*d, *value)) {
            *error = QStringLiteral("parameter '%1' must be %2 (got %3)").arg(it.key(), rangeText(*d), it.value());
            return std::nullopt;
        }
        s.m_params.*(d->member) = *value;
        s.m_overrides.insert(it.key(), QString::fromLatin1(Numbers::format(*value)));
    }
    return s;
}

QHash<QString, QString> SimScenario::metadata() const
{
    QHash<QString, QString> meta;
    for (const Descriptor &d : descriptors())
        meta.insert(QStringLiteral("sim.param.") + QLatin1String(d.name), QString::fromLatin1(Numbers::format(m_params.*(d.member))));
    return meta;
}
