#include "heatmapparams.h"

#include "domain/displayformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

const char *adjustName(HeatmapParams::LiquidationAdjust a)
{
    switch (a) {
    case HeatmapParams::LiquidationAdjust::Model: return "model";
    case HeatmapParams::LiquidationAdjust::Auto: break;
    }
    return "auto";
}

const char *priorName(HeatmapParams::InitialPrior p)
{
    switch (p) {
    case HeatmapParams::InitialPrior::FirstBar: return "first_bar";
    case HeatmapParams::InitialPrior::None: return "none";
    case HeatmapParams::InitialPrior::VolumeProfile: break;
    }
    return "volume_profile";
}

QString fmt(double v)
{
    return QString::number(v, 'g', 6);
}

QString percent(double fraction)
{
    return DisplayFormat::percentShort(fraction);
}

// Reads one JSON member with type checking; a missing member leaves the default.
class Reader
{
public:
    explicit Reader(const QJsonObject &o)
        : m_o(o)
    {
    }
    QString error;

    void number(const char *key, double &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isDouble())
            fail(key, "a number");
        else
            out = v.toDouble();
    }
    void integer(const char *key, int &out)
    {
        double d = out;
        number(key, d);
        if (d != std::floor(d) || std::abs(d) > 1e6)
            fail(key, "a whole number");
        else
            out = int(d);
    }
    void boolean(const char *key, bool &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isBool())
            fail(key, "true or false");
        else
            out = v.toBool();
    }
    void string(const char *key, QString &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isString())
            fail(key, "a string");
        else
            out = v.toString();
    }
    template<typename T>
    void pairs(const char *key, const char *first, const char *second, QVector<T> &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isArray()) {
            fail(key, "an array");
            return;
        }
        QVector<T> items;
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonObject o = a.at(i).toObject();
            const QJsonValue x = o.value(QLatin1String(first)), w = o.value(QLatin1String(second));
            if (!x.isDouble() || !w.isDouble()) {
                if (error.isEmpty())
                    error = QStringLiteral("%1[%2] must be an object with numbers \"%3\" and \"%4\"").arg(QLatin1String(key)).arg(i).arg(
                        QLatin1String(first), QLatin1String(second));
                return;
            }
            items.push_back({x.toDouble(), w.toDouble()});
        }
        out = items;
    }

private:
    void fail(const char *key, const char *expected)
    {
        if (error.isEmpty())
            error = QStringLiteral("\"%1\" must be %2").arg(QLatin1String(key), QLatin1String(expected));
    }
    const QJsonObject &m_o;
};

} // namespace

QVector<HeatmapParams::Tier> HeatmapParams::defaultTiers()
{
    return {{3, 0.10}, {5, 0.15}, {7, 0.10}, {10, 0.20}, {20, 0.15}, {50, 0.15}, {100, 0.15}};
}

QString HeatmapParams::validate() const
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("name must not be empty");
    if (tiers.isEmpty())
        return QStringLiteral("at least one leverage tier is needed");
    double total = 0;
    for (qsizetype i = 0; i < tiers.size(); ++i) {
        if (!(tiers[i].leverage > 1 && tiers[i].leverage <= 1000))
            return QStringLiteral("tiers[%1].leverage must be in (1, 1000], got %2").arg(i).arg(fmt(tiers[i].leverage));
        if (!(tiers[i].weight >= 0 && std::isfinite(tiers[i].weight)))
            return QStringLiteral("tiers[%1].weight must be >= 0, got %2").arg(i).arg(fmt(tiers[i].weight));
        total += tiers[i].weight;
    }
    if (!(total > 0))
        return QStringLiteral("the tier weights must not all be zero");
    if (sizes.isEmpty())
        return QStringLiteral("at least one position size class is needed");
    double sizeTotal = 0;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        if (!(sizes[i].notional > 0 && std::isfinite(sizes[i].notional)))
            return QStringLiteral("sizes[%1].notional must be > 0, got %2").arg(i).arg(fmt(sizes[i].notional));
        if (!(sizes[i].weight >= 0 && std::isfinite(sizes[i].weight)))
            return QStringLiteral("sizes[%1].weight must be >= 0, got %2").arg(i).arg(fmt(sizes[i].weight));
        sizeTotal += sizes[i].weight;
    }
    if (!(sizeTotal > 0))
        return QStringLiteral("the size class weights must not all be zero");
    if (tiers.size() * sizes.size() > 200)
        return QStringLiteral("too many tier x size combinations (%1, at most 200)").arg(tiers.size() * sizes.size());
    if (!(binStep >= 0.0001 && binStep <= 0.05))
        return QStringLiteral("binStep must be in [0.0001, 0.05], got %1").arg(fmt(binStep));
    if (subEntries < 1 || subEntries > 20)
        return QStringLiteral("subEntries must be in [1, 20], got %1").arg(subEntries);
    if (!(feeBuffer >= 0 && feeBuffer <= 0.01))
        return QStringLiteral("feeBuffer must be in [0, 0.01], got %1").arg(fmt(feeBuffer));
    if (!(decayHalfLifeHours >= 0 && std::isfinite(decayHalfLifeHours)))
        return QStringLiteral("decayHalfLifeHours must be >= 0 (0 = off), got %1").arg(fmt(decayHalfLifeHours));
    if (!(lookbackHours >= 1 && lookbackHours <= 24 * 366 * 5))
        return QStringLiteral("lookbackHours must be in [1, 43920], got %1").arg(fmt(lookbackHours));
    if (!(maxDistance > 0.01 && maxDistance <= 0.99))
        return QStringLiteral("maxDistance must be in (0.01, 0.99], got %1").arg(fmt(maxDistance));
    if (!(levelResolution >= 0 && levelResolution <= binStep))
        return QStringLiteral("levelResolution must be in [0, binStep], got %1").arg(fmt(levelResolution));
    if (!(passiveShare >= 0 && passiveShare <= 1))
        return QStringLiteral("passiveShare must be in [0, 1], got %1").arg(fmt(passiveShare));
    if (!(passiveLeverage > 1 && passiveLeverage <= 1000))
        return QStringLiteral("passiveLeverage must be in (1, 1000], got %1").arg(fmt(passiveLeverage));
    if (!(priorDailyVolatility > 0 && priorDailyVolatility <= 0.5))
        return QStringLiteral("priorDailyVolatility must be in (0, 0.5], got %1").arg(fmt(priorDailyVolatility));
    if (!(holdSigmas >= 0 && holdSigmas <= 20))
        return QStringLiteral("holdSigmas must be in [0, 20] (0 = off), got %1").arg(fmt(holdSigmas));
    return {};
}

QByteArray HeatmapParams::toJson() const
{
    QJsonArray t, s;
    for (const Tier &x : tiers)
        t.append(QJsonObject{{QStringLiteral("leverage"), x.leverage}, {QStringLiteral("weight"), x.weight}});
    for (const SizeClass &x : sizes)
        s.append(QJsonObject{{QStringLiteral("notional"), x.notional}, {QStringLiteral("weight"), x.weight}});
    const QJsonObject o{
        {QStringLiteral("model"), QStringLiteral("RLH-1")},
        {QStringLiteral("name"), name},
        {QStringLiteral("tiers"), t},
        {QStringLiteral("sizes"), s},
        {QStringLiteral("binStep"), binStep},
        {QStringLiteral("subEntries"), subEntries},
        {QStringLiteral("feeBuffer"), feeBuffer},
        {QStringLiteral("fundingErosion"), fundingErosion},
        {QStringLiteral("decayHalfLifeHours"), decayHalfLifeHours},
        {QStringLiteral("lookbackHours"), lookbackHours},
        {QStringLiteral("maxDistance"), maxDistance},
        {QStringLiteral("levelResolution"), levelResolution},
        {QStringLiteral("consumeOn"), consumeOnMark ? QStringLiteral("mark") : QStringLiteral("last")},
        {QStringLiteral("passiveShare"), passiveShare},
        {QStringLiteral("passiveLeverage"), passiveLeverage},
        {QStringLiteral("liquidationAdjust"), QLatin1String(adjustName(liquidationAdjust))},
        {QStringLiteral("initialPrior"), QLatin1String(priorName(initialPrior))},
        {QStringLiteral("priorDailyVolatility"), priorDailyVolatility},
        {QStringLiteral("holdSigmas"), holdSigmas},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<HeatmapParams> HeatmapParams::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<HeatmapParams> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("heatmap parameters: not JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("heatmap parameters: expected a JSON object"));
    const QJsonObject o = doc.object();
    const QString model = o.value(QLatin1String("model")).toString(QStringLiteral("RLH-1"));
    if (model != QLatin1String("RLH-1"))
        return fail(QStringLiteral("heatmap parameters: unknown model '%1' (this version knows RLH-1)").arg(model));

    HeatmapParams p;
    Reader r(o);
    r.string("name", p.name);
    r.pairs("tiers", "leverage", "weight", p.tiers);
    r.pairs("sizes", "notional", "weight", p.sizes);
    r.number("binStep", p.binStep);
    r.integer("subEntries", p.subEntries);
    r.number("feeBuffer", p.feeBuffer);
    r.boolean("fundingErosion", p.fundingErosion);
    r.number("decayHalfLifeHours", p.decayHalfLifeHours);
    r.number("lookbackHours", p.lookbackHours);
    r.number("maxDistance", p.maxDistance);
    r.number("levelResolution", p.levelResolution);
    QString consumeOn = p.consumeOnMark ? QStringLiteral("mark") : QStringLiteral("last");
    r.string("consumeOn", consumeOn);
    r.number("passiveShare", p.passiveShare);
    r.number("passiveLeverage", p.passiveLeverage);
    QString adjust = QLatin1String(adjustName(p.liquidationAdjust));
    r.string("liquidationAdjust", adjust);
    // Presets saved before the prior existed say only whether to seed at all.
    bool legacySeed = true;
    r.boolean("seedInitialOpenInterest", legacySeed);
    QString prior = QLatin1String(priorName(legacySeed ? p.initialPrior : InitialPrior::None));
    r.string("initialPrior", prior);
    r.number("priorDailyVolatility", p.priorDailyVolatility);
    r.number("holdSigmas", p.holdSigmas);
    if (!r.error.isEmpty())
        return fail(QStringLiteral("heatmap parameters: ") + r.error);

    if (consumeOn == QLatin1String("mark") || consumeOn == QLatin1String("last"))
        p.consumeOnMark = consumeOn == QLatin1String("mark");
    else
        return fail(QStringLiteral("heatmap parameters: \"consumeOn\" must be \"mark\" or \"last\", got \"%1\"").arg(consumeOn));
    if (adjust == QLatin1String("auto"))
        p.liquidationAdjust = LiquidationAdjust::Auto;
    else if (adjust == QLatin1String("model"))
        p.liquidationAdjust = LiquidationAdjust::Model;
    else
        return fail(QStringLiteral("heatmap parameters: \"liquidationAdjust\" must be \"auto\" or \"model\", got \"%1\"").arg(adjust));

    if (prior == QLatin1String("volume_profile"))
        p.initialPrior = InitialPrior::VolumeProfile;
    else if (prior == QLatin1String("first_bar"))
        p.initialPrior = InitialPrior::FirstBar;
    else if (prior == QLatin1String("none"))
        p.initialPrior = InitialPrior::None;
    else
        return fail(QStringLiteral("heatmap parameters: \"initialPrior\" must be \"volume_profile\", \"first_bar\" or \"none\", got \"%1\"").arg(prior));

    if (const QString problem = p.validate(); !problem.isEmpty())
        return fail(QStringLiteral("heatmap parameters: ") + problem);
    return p;
}

QStringList HeatmapParams::presetNames()
{
    return {QStringLiteral("all_leverage"), QStringLiteral("high_leverage")};
}

std::optional<HeatmapParams> HeatmapParams::preset(const QString &name)
{
    HeatmapParams p;
    if (name == QLatin1String("all_leverage"))
        return p;
    if (name == QLatin1String("high_leverage")) {
        p.name = name;
        QVector<Tier> high;
        double total = 0;
        for (const Tier &t : std::as_const(p.tiers))
            if (t.leverage >= 20) {
                high.push_back(t);
                total += t.weight;
            }
        for (Tier &t : high)
            t.weight /= total;
        p.tiers = high;
        return p;
    }
    return std::nullopt;
}

QString HeatmapParams::priorText() const
{
    const QString warm = QStringLiteral(" Until one look-back (%1 hours) has passed since the first open-interest sample the map is marked as "
                                        "warming up: it is drawn faded and left out of zones consumed and of scoring.")
                             .arg(fmt(lookbackHours));
    switch (initialPrior) {
    case InitialPrior::VolumeProfile:
        return QStringLiteral(" Open interest that already exists at the first open-interest sample was opened before the data starts, at "
                              "prices the model can only estimate: it is spread over the volume traded at each price during the look-back "
                              "before that sample (split long/short by taker flow, and only as far as those positions would have survived "
                              "the price path since), so no 0.1 % price bin starts with more than 3 % of it and no 1 % band with more than 15 %. Where "
                              "no price history precedes the first sample, it is spread over a random-walk "
                              "prior instead: entries opened evenly over the look-back, at prices that wandered with a daily volatility of "
                              "%1, half long and half short, without the levels the price has already crossed.")
                   .arg(percent(priorDailyVolatility))
            + warm;
    case InitialPrior::FirstBar:
        return QStringLiteral(" Open interest that already exists when the history starts is assumed to have been opened at the first bar's "
                              "prices, half long and half short.")
            + warm;
    case InitialPrior::None:
        break;
    }
    return QStringLiteral(" Open interest that already exists when the history starts is left out: the map shows only positions opened "
                          "after the first open-interest sample.")
        + warm;
}

QString HeatmapParams::aboutText() const
{
    double total = 0;
    for (const Tier &t : tiers)
        total += t.weight;
    QStringList mix;
    for (const Tier &t : tiers)
        mix << QStringLiteral("%1x %2").arg(fmt(t.leverage), percent(t.weight / total));

    QString text;
    text += QStringLiteral("Predicted liquidation heatmap: model RLH-1, preset \"%1\". This is a model estimate, not exchange data.\n\n").arg(name);
    text += QStringLiteral(
        "How it is computed. Every time open interest rises, the model assumes new leveraged positions were opened during that bar. "
        "It splits them into longs and shorts by the share of taker buying versus taker selling (the aggressive side is assumed to be "
        "the leveraged trader), places their entry at the bar's traded prices%1, and spreads them over an assumed leverage mix: %2. "
        "For each position it computes where the exchange would liquidate it, using Binance's isolated-margin formula with the "
        "maintenance-margin bracket%3. The liquidation prices are summed into price bins %4 wide. When open interest falls, positions "
        "are closed in proportion to their size, split between longs and shorts by the share of taker selling (longs close by "
        "selling) and buying. When the %5 price trades through a level, the level is removed and recorded as a predicted "
        "liquidation.%6%7 Levels older than %8 or farther than %9 from price are dropped.%10\n\n")
                .arg(subEntries > 1 ? QStringLiteral(" (spread evenly over the bar's high-low range)") : QStringLiteral(" (the bar's average price)"),
                     mix.join(QStringLiteral(", ")),
                     feeBuffer > 0 ? QStringLiteral(" and a fee reserve of %1").arg(percent(feeBuffer)) : QString(), percent(binStep),
                     consumeOnMark ? QStringLiteral("mark") : QStringLiteral("last traded"),
                     fundingErosion ? QStringLiteral(" Funding payments are taken from the positions' margin: when longs pay, their levels creep "
                                                     "toward price and the shorts' levels move away (and the reverse when shorts pay).")
                                    : QString(),
                     (decayHalfLifeHours > 0 ? QStringLiteral(" Older positions fade with a half-life of %1 hours.").arg(fmt(decayHalfLifeHours))
                                             : QString())
                         + (holdSigmas > 0 ? QStringLiteral(
                                                 " Positions are not held forever: a trader keeps a position about as long as price needs to travel "
                                                 "its liquidation distance in %1 daily standard deviations of the recent price moves, so a 100x "
                                                 "position turns over in minutes and a 5x one in about a week; what its owners close is reopened over "
                                                 "the next hour at that hour's prices (open interest is a net figure and hides this churn). The "
                                                 "leverage mix therefore describes new positions; the map holds mostly low-leverage levels, as it "
                                                 "must: with a fixed mix of held positions a 3 % daily move would liquidate a tenth of the "
                                                 "open interest, where the real market liquidates about 0.2 % of it on a median day.")
                                                 .arg(fmt(holdSigmas))
                                           : QString()),
                     QStringLiteral("%1 hours").arg(fmt(lookbackHours)), percent(maxDistance))
                .arg(priorText());
    text += QStringLiteral(
        "Read it as relative intensity: where positions are likely stacked, not how many dollars exactly.\n\n"
        "What it cannot know:\n"
        "- The leverage mix is assumed and fixed. Real traders use more leverage in calm uptrends and less after a crash. Cross-margin "
        "accounts with spare balance have no fixed liquidation price at all.\n"
        "- Open interest is a net number. A bar where many positions open and as many close looks like nothing happened, so busy "
        "sideways markets are under-counted.\n"
        "- Long/short is a guess: the taker is assumed to be the leveraged speculator. Market makers and hedged basis traders sit on "
        "the other side; if speculators use limit orders the split is wrong.\n"
        "- Entry prices are only known to within the bar's range; with 5-minute bars in a fast market that error is larger than the "
        "distance to a 100x liquidation.\n"
        "- Stop-losses and take-profits are not liquidations, but they trigger the same forced selling and buying near round numbers; "
        "the model does not include them.\n"
        "- Larger positions have higher maintenance margin, partial liquidation, fees and funding move real liquidation prices; the "
        "model uses one size bracket unless configured otherwise.\n"
        "- Levels are consumed on the mark price; last-price wicks that the mark never reached leave levels alive.\n"
        "- Absolute dollar amounts are overstated; only the relative structure is meaningful without calibration.\n"
        "- Without decay, old low-leverage levels far from price persist until the look-back drops them.\n"
        "- No feedback: the map describes where positions may sit. Cascades, thinning order books and price being drawn to liquidity "
        "are not modelled.\n");
    return text;
}
