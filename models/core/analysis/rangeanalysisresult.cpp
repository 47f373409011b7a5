#include "rangeanalysis.h"

#include "domain/timeformat.h"

#include <QJsonArray>

// The result's names and its JSON (analyze --json): unknown figures are null, never 0.

namespace {

QJsonValue number(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonValue number(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonValue ms(const std::optional<qint64> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue();
}

QJsonValue time(qint64 t, bool known)
{
    return known ? QJsonValue(TimeFormat::iso(t)) : QJsonValue();
}

struct Named
{
    RangeAnalysis::Verdict verdict;
    const char *name;
    const char *title;
};

constexpr Named verdicts[] = {
    {RangeAnalysis::Verdict::Flush, "flush", "Leverage flush"},
    {RangeAnalysis::Verdict::Squeeze, "squeeze", "Short squeeze"},
    {RangeAnalysis::Verdict::PartialFlush, "partial_flush", "Partial flush"},
    {RangeAnalysis::Verdict::StillLoaded, "still_loaded", "Still loaded"},
    {RangeAnalysis::Verdict::Deleveraging, "deleveraging", "Deleveraging"},
    {RangeAnalysis::Verdict::SpotLed, "spot_led", "Spot-led move"},
    {RangeAnalysis::Verdict::Quiet, "quiet", "Quiet"},
    {RangeAnalysis::Verdict::InsufficientData, "insufficient_data", "Insufficient data"},
};

} // namespace

QString RangeAnalysis::verdictName(Verdict v)
{
    for (const Named &n : verdicts)
        if (n.verdict == v)
            return QString::fromLatin1(n.name);
    return {};
}

QString RangeAnalysis::verdictTitle(Verdict v)
{
    for (const Named &n : verdicts)
        if (n.verdict == v)
            return QString::fromLatin1(n.title);
    return {};
}

std::optional<RangeAnalysis::Verdict> RangeAnalysis::parseVerdict(const QString &name)
{
    for (const Named &n : verdicts)
        if (name == QLatin1String(n.name))
            return n.verdict;
    return std::nullopt;
}

QString RangeAnalysis::confidenceName(Confidence c)
{
    switch (c) {
    case Confidence::High: return QStringLiteral("high");
    case Confidence::Medium: return QStringLiteral("medium");
    case Confidence::Low: return QStringLiteral("low");
    }
    return {};
}

QJsonObject RangeAnalysis::KindCoverage::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("covered_share")] = share;
    o[QStringLiteral("quality")] = quality ? QJsonValue(Coverages::qualityName(*quality)) : QJsonValue();
    o[QStringLiteral("resolution_ms")] = ms(resolutionMs);
    o[QStringLiteral("start_age_ms")] = ms(startAgeMs);
    o[QStringLiteral("end_age_ms")] = ms(endAgeMs);
    o[QStringLiteral("start_stale")] = startStale;
    o[QStringLiteral("end_stale")] = endStale;
    return o;
}

QJsonObject RangeAnalysis::Result::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("instrument")] = instrument.key();
    o[QStringLiteral("from")] = TimeFormat::iso(range.from);
    o[QStringLiteral("to")] = TimeFormat::iso(range.to);
    o[QStringLiteral("price_open")] = priceOpen;
    o[QStringLiteral("price_close")] = priceClose;
    o[QStringLiteral("price_change_pct")] = priceChangePct;
    o[QStringLiteral("high")] = high;
    o[QStringLiteral("high_time")] = TimeFormat::iso(highTime);
    o[QStringLiteral("low")] = low;
    o[QStringLiteral("low_time")] = TimeFormat::iso(lowTime);
    o[QStringLiteral("realized_vol_pct")] = number(realizedVolPct);
    // Open interest: coins (oi_*) and USD (oi_*_usd).
    o[QStringLiteral("oi_start")] = number(oiStart);
    o[QStringLiteral("oi_end")] = number(oiEnd);
    o[QStringLiteral("oi_change")] = number(oiChange);
    o[QStringLiteral("oi_change_pct")] = number(oiChangePct);
    o[QStringLiteral("oi_start_usd")] = number(oiStartUsd);
    o[QStringLiteral("oi_end_usd")] = number(oiEndUsd);
    o[QStringLiteral("oi_change_usd")] = number(oiChangeUsd);
    o[QStringLiteral("oi_change_usd_pct")] = number(oiChangeUsdPct);
    o[QStringLiteral("oi_peak_to_trough_pct")] = number(oiPeakToTroughPct);
    o[QStringLiteral("oi_trough_to_peak_pct")] = number(oiTroughToPeakPct);
    o[QStringLiteral("oi_peak_time")] = time(oiPeakTime, oiPeakToTroughPct.has_value());
    o[QStringLiteral("oi_trough_time")] = time(oiTroughTime, oiPeakToTroughPct.has_value());
    o[QStringLiteral("cvd_coins")] = number(cvdCoins);
    o[QStringLiteral("cvd_usd")] = number(cvdUsd);
    o[QStringLiteral("taker_buy_share")] = number(takerBuyShare);
    // Funding: rates per 8 h at the edges and extremes; settlements as stored.
    o[QStringLiteral("funding_start")] = number(fundingStart);
    o[QStringLiteral("funding_end")] = number(fundingEnd);
    o[QStringLiteral("funding_min")] = number(fundingMin);
    o[QStringLiteral("funding_max")] = number(fundingMax);
    o[QStringLiteral("funding_mean")] = number(fundingMean);
    o[QStringLiteral("funding_peak")] = number(fundingPeak);
    o[QStringLiteral("funding_paid_usd")] = number(fundingPaidUsd);
    o[QStringLiteral("funding_settlements")] = fundingSettlements;
    o[QStringLiteral("long_liq_usd")] = number(longLiqUsd);
    o[QStringLiteral("short_liq_usd")] = number(shortLiqUsd);
    o[QStringLiteral("long_liq_count")] = number(longLiqCount);
    o[QStringLiteral("short_liq_count")] = number(shortLiqCount);
    o[QStringLiteral("liq_count")] = number(liqCount());
    o[QStringLiteral("largest_liq_usd")] = number(largestLiqUsd);
    o[QStringLiteral("long_liq_share_of_oi")] = number(longLiqShare);
    o[QStringLiteral("short_liq_share_of_oi")] = number(shortLiqShare);
    o[QStringLiteral("zones_consumed")] = number(zonesConsumed);
    o[QStringLiteral("zones_consumed_usd")] = zonesConsumed ? QJsonValue(zonesConsumedUsd) : QJsonValue();
    if (consumption)
        o[QStringLiteral("predicted_consumed")] = consumption->toJson(liquidationTapeComplete ? longLiqUsd : std::nullopt,
                                                                     liquidationTapeComplete ? shortLiqUsd : std::nullopt);
    else
        o[QStringLiteral("predicted_consumed")] = QJsonValue();
    QJsonObject cov;
    cov[QStringLiteral("candles")] = coverage.candles.toJson();
    cov[QStringLiteral("oi")] = coverage.openInterest.toJson();
    cov[QStringLiteral("funding")] = coverage.funding.toJson();
    cov[QStringLiteral("predicted_funding")] = coverage.predictedFunding.toJson();
    cov[QStringLiteral("liquidations")] = coverage.liquidations.toJson();
    cov[QStringLiteral("taker_buy")] = coverage.takerBuy.toJson();
    o[QStringLiteral("coverage")] = cov;
    o[QStringLiteral("thresholds")] = thresholds.toJson();
    o[QStringLiteral("verdict")] = verdictName(verdict);
    o[QStringLiteral("confidence")] = confidenceName(confidence);
    o[QStringLiteral("reasons")] = QJsonArray::fromStringList(reasons);
    if (instrument.exchange == QLatin1String("ALL")) {
        o[QStringLiteral("price_reference")] = priceReference.isValid() ? QJsonValue(priceReference.key()) : QJsonValue();
        QJsonArray v;
        for (const Venue &venue : venues)
            v.append(venue.toJson());
        o[QStringLiteral("venues")] = v;
    }
    return o;
}
