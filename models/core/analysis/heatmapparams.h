#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

// Parameters of the RLH-1 predicted liquidation heatmap (research/models.md §1.6). Plain
// data: copyable, comparable, serialisable to a JSON object so the GUI can keep user presets
// in QSettings. Presets: "all_leverage" (the reference defaults) and "high_leverage"
// (only the ≥ 20x tiers, weights renormalised).
struct HeatmapParams
{
    struct Tier
    {
        double leverage = 10;
        double weight = 1;
        friend bool operator==(const Tier &, const Tier &) = default;
    };
    // A position-size class: positions of this notional (USDT) get this bracket's MMR/cum.
    struct SizeClass
    {
        double notional = 10'000;
        double weight = 1;
        friend bool operator==(const SizeClass &, const SizeClass &) = default;
    };
    // How forced closes are added back to the OI change: Auto uses the stored liquidation tape
    // when the store has one (else the model's own consumption), Model always uses the model's.
    enum class LiquidationAdjust { Auto, Model };
    // Where the open interest that already exists at the first OI sample is placed (it was
    // opened before the data starts, at prices we can only estimate):
    // - VolumeProfile: over the traded volume of the look-back before the first OI sample
    //   (volume-at-price of the klines, side by taker share), as far as those positions
    //   would have survived the path since; without klines before the first sample, over
    //   the documented random-walk prior (entries spread by priorDailyVolatility over the
    //   look-back, ages uniform, already-crossed levels dropped);
    // - FirstBar: all of it at the first bar's prices, half long, half short (the old
    //   behaviour: bright artificial bands);
    // - None: ignored; the map shows only positions opened after the first sample.
    enum class InitialPrior { VolumeProfile, FirstBar, None };

    QString name = QStringLiteral("all_leverage");
    // New positions' leverage mix. Wider than models.md's 5/10/25/50/100x reference: traders
    // keep spare margin behind many positions, so the effective leverage of the low tiers is
    // spread (3x and 7x fill the gaps between 5x and 10x and below), and 20x and 100x carry
    // more of the flow. Measured on simulator seeds 42, 7 and 9 (not the held-out ones): long
    // rank correlation 0.38 -> 0.55, long EMD 0.33 -> 0.15 of the uniform baseline's, hot-zone
    // recall 0.67 -> 0.69 (tests/bench/score-heldout.sh reproduces the held-out figures).
    // 3x 10 %, 5x 15 %, 7x 10 %, 10x 20 %, 20x 15 %, 50x 15 %, 100x 15 % (defaultTiers()).
    QVector<Tier> tiers = defaultTiers();
    QVector<SizeClass> sizes = {{10'000, 1}}; // tier-1 bracket (0.4 %, cum 0) by default
    double binStep = 0.001;           // log-price bin width (0.1 %), the LogPriceGrid step
    int subEntries = 5;               // entries spread uniformly over the bar's range; 1 = VWAP only
    double feeBuffer = 0.0005;        // b in LP = E(1 − 1/λ + b …)
    bool fundingErosion = true;
    double decayHalfLifeHours = 0;    // 0 = no decay
    double lookbackHours = 168;       // cohorts older than this are dropped (hourly sweep)
    double maxDistance = 0.5;         // levels farther than this fraction from price are dropped
    double levelResolution = 0.0001;  // same-hour, same-tier levels closer than this merge; 0 = never
    bool consumeOnMark = true;        // mark high/low (false: last-price high/low)
    double passiveShare = 0;          // κ_passive: passive opposite side at passiveLeverage
    double passiveLeverage = 3;
    LiquidationAdjust liquidationAdjust = LiquidationAdjust::Auto;
    InitialPrior initialPrior = InitialPrior::VolumeProfile;
    double priorDailyVolatility = 0.03; // σ of daily log returns assumed by the prior without klines
    // Turnover by leverage: a position is held about as long as price needs to travel its
    // liquidation distance d in holdSigmas daily standard deviations, (d / (holdSigmas·σ))²
    // days (σ estimated from the bars), after which its owner closes it; the closed quantity
    // is reopened over the next hour at that hour's prices (the churn a net OI series hides).
    // So the tier weights describe new positions, and the map holds mostly the low-leverage
    // levels that live long. 0 = off (every position is held until OI falls or price hits it).
    double holdSigmas = 2.5;

    friend bool operator==(const HeatmapParams &, const HeatmapParams &) = default;

    static QVector<Tier> defaultTiers();

    // Empty when usable, else what is wrong ("tiers[2].weight must be > 0, got -1").
    QString validate() const;

    QByteArray toJson() const; // compact JSON object
    // Keys may be missing (defaults apply); wrong types or values give an error message.
    static std::optional<HeatmapParams> fromJson(const QByteArray &json, QString *error = nullptr);

    static QStringList presetNames();
    static std::optional<HeatmapParams> preset(const QString &name);

    // Plain-language "About this model" text for the UI: how the map is computed with these
    // parameters, what it assumes, and what it cannot know (models.md §1.7).
    QString aboutText() const;
    // The paragraph of aboutText() on the initial open interest and the warm-up.
    QString priorText() const;
};
Q_DECLARE_METATYPE(HeatmapParams)
