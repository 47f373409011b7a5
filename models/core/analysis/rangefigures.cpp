#include "rangefigures.h"

#include "domain/displayformat.h"

#include <QDateTime>

using namespace DisplayFormat;
using Result = RangeAnalysis::Result;

namespace {

// A time inside the range's own UTC day reads as HH:mm; anything else (a longer range, or a
// moment outside it such as the end of the heatmap's warm-up) carries its date.
QString clock(const Result &r, qint64 ms)
{
    constexpr qint64 day = 86'400'000;
    const qint64 first = r.range.from / day * day; // epoch ms of a market are positive
    const bool sameDay = r.range.to - 1 < first + day && ms >= first && ms < first + day;
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(sameDay ? QStringLiteral("HH:mm") : QStringLiteral("MM-dd HH:mm"));
}

QString perEight(double fraction)
{
    return rate(fraction) + QStringLiteral("/8h");
}

// What is known of a liquidation figure: nothing, all of it, part of it, or a sample.
QString liqQualifier(const Result &r)
{
    const auto &c = r.coverage.liquidations;
    QStringList notes;
    if (c.quality == CoverageQuality::Sampled)
        notes << QStringLiteral("sampled");
    if (c.share < 0.99)
        notes << QStringLiteral("%1 covered").arg(percent(c.share, 0));
    return notes.isEmpty() ? QString() : QStringLiteral(" · ") + notes.join(QStringLiteral(", "));
}

QString oiUnknown(const Result &r)
{
    const auto &c = r.coverage.openInterest;
    if (c.isNone())
        return RangeFigures::noData;
    if (c.startStale && c.startAgeMs)
        return QStringLiteral("stale (last sample %1 before the start)").arg(duration(*c.startAgeMs));
    if (c.endStale && c.endAgeMs)
        return QStringLiteral("stale (last sample %1 before the end)").arg(duration(*c.endAgeMs));
    return RangeFigures::noData;
}

QString share(const RangeAnalysis::KindCoverage &c)
{
    if (c.isNone())
        return QStringLiteral("none");
    QString s = percent(c.share, 0);
    if (c.quality == CoverageQuality::Sampled)
        s += QStringLiteral(" sampled");
    return s;
}

} // namespace

namespace RangeFigures {

QString price(const Result &r)
{
    return QStringLiteral("%1 → %2  (%3)").arg(DisplayFormat::price(r.priceOpen), DisplayFormat::price(r.priceClose), percent(r.priceChangePct / 100, 2, true));
}

QString highLow(const Result &r)
{
    return DisplayFormat::price(r.high) + QStringLiteral(" / ") + DisplayFormat::price(r.low);
}

QString realizedVol(const Result &r)
{
    return r.realizedVolPct ? QStringLiteral("%1 annualised").arg(percent(*r.realizedVolPct / 100, 1)) : noData;
}

QString openInterest(const Result &r)
{
    if (!r.oiStart)
        return oiUnknown(r);
    QString s = QStringLiteral("%1 → %2 coins").arg(quantity(*r.oiStart), quantity(*r.oiEnd));
    if (r.oiStartUsd)
        s += QStringLiteral(" · %1 → %2").arg(usd(*r.oiStartUsd), usd(*r.oiEndUsd));
    return s;
}

QString oiChange(const Result &r)
{
    if (!r.oiChangePct)
        return oiUnknown(r);
    QString s = QStringLiteral("%1 coins (%2)").arg(signedQuantity(*r.oiChange), percent(*r.oiChangePct / 100, 2, true));
    if (r.oiChangeUsdPct)
        s += QStringLiteral(" · %1 (%2)").arg(signedUsd(*r.oiChangeUsd), percent(*r.oiChangeUsdPct / 100, 2, true));
    return s;
}

QString oiChangeShort(const Result &r)
{
    if (!r.oiChangePct)
        return oiUnknown(r).section(QLatin1Char(' '), 0, 0);
    QString s = percent(*r.oiChangePct / 100, 2, true) + QStringLiteral(" coins");
    if (r.oiChangeUsdPct)
        s += QStringLiteral(" · ") + percent(*r.oiChangeUsdPct / 100, 2, true) + QStringLiteral(" USD");
    return s;
}

QString oiPath(const Result &r)
{
    if (!r.oiPeakToTroughPct)
        return oiUnknown(r);
    if (*r.oiPeakToTroughPct >= 0)
        return QStringLiteral("no fall; rise up to %1").arg(percent(r.oiTroughToPeakPct.value_or(0) / 100, 2, true));
    return QStringLiteral("peak to trough %1 (%2 → %3)").arg(percent(*r.oiPeakToTroughPct / 100, 2, true), clock(r, r.oiPeakTime), clock(r, r.oiTroughTime));
}

QString takerFlow(const Result &r)
{
    if (!r.cvdCoins && r.coverage.takerBuy.isNone())
        return r.coverage.candles.isNone() ? QStringLiteral("unknown (no coverage recorded for these candles)")
                                           : QStringLiteral("unknown (the source's candles carry no taker-buy volume)");
    if (!r.cvdCoins)
        return QStringLiteral("unknown (taker-buy volume covers %1 of the range)").arg(percent(r.coverage.takerBuy.share, 0));
    return QStringLiteral("net %1 %2 coins (%3)")
        .arg(*r.cvdCoins >= 0 ? QStringLiteral("buys") : QStringLiteral("sells"), quantity(std::abs(*r.cvdCoins)), signedUsd(*r.cvdUsd));
}

QString funding(const Result &r)
{
    if (!r.fundingStart && !r.fundingEnd)
        return noData;
    const QString a = r.fundingStart ? perEight(*r.fundingStart) : noData;
    const QString b = r.fundingEnd ? perEight(*r.fundingEnd) : noData;
    return a == b ? a : a + QStringLiteral(" → ") + b;
}

QString fundingMeanPeak(const Result &r)
{
    if (r.coverage.funding.isNone())
        return noData;
    if (!r.fundingMean)
        return QStringLiteral("no settlement in range");
    return QStringLiteral("%1 / %2").arg(rate(*r.fundingMean), rate(*r.fundingPeak));
}

QString fundingMean(const Result &r)
{
    if (r.coverage.funding.isNone())
        return noData;
    return r.fundingMean ? rate(*r.fundingMean) : QStringLiteral("–");
}

QString fundingPaid(const Result &r)
{
    if (!r.fundingPaidUsd)
        return noData;
    if (r.fundingSettlements == 0)
        return QStringLiteral("no settlement in range");
    return QStringLiteral("%1 %2").arg(usd(std::abs(*r.fundingPaidUsd)), *r.fundingPaidUsd >= 0 ? QStringLiteral("longs → shorts") : QStringLiteral("shorts → longs"));
}

QString longLiquidations(const Result &r)
{
    if (!r.longLiqUsd)
        return noData;
    return QStringLiteral("%1  (%2)%3").arg(usd(*r.longLiqUsd)).arg(*r.longLiqCount).arg(liqQualifier(r));
}

QString shortLiquidations(const Result &r)
{
    if (!r.shortLiqUsd)
        return noData;
    return QStringLiteral("%1  (%2)%3").arg(usd(*r.shortLiqUsd)).arg(*r.shortLiqCount).arg(liqQualifier(r));
}

QString liquidationCount(const Result &r)
{
    const auto n = r.liqCount();
    return n ? QString::number(*n) + liqQualifier(r) : noData;
}

QString largestPrint(const Result &r)
{
    return r.largestLiqUsd ? usd(*r.largestLiqUsd) + liqQualifier(r) : noData;
}

QString consumption(const Result &r)
{
    if (!r.consumption)
        return QStringLiteral("n/a (no heatmap)");
    const HeatmapConsumption &c = *r.consumption;
    if (!c.isKnown())
        return QStringLiteral("heatmap warming up until %1").arg(clock(r, c.warmUntil));
    QString text = QStringLiteral("%1 %2 · longs %3, shorts %4")
                       .arg(c.zones.size())
                       .arg(c.zones.size() == 1 ? QStringLiteral("zone") : QStringLiteral("zones"))
                       .arg(usd(c.longUsd), usd(c.shortUsd));
    if (r.liquidationTapeComplete && r.longLiqUsd && r.shortLiqUsd)
        text += QStringLiteral(" (realized %1, %2)").arg(usd(*r.longLiqUsd), usd(*r.shortLiqUsd));
    if (c.isPartial())
        text += QStringLiteral(" · counted from %1").arg(clock(r, c.counted.from));
    return text;
}

QString coverage(const Result &r)
{
    const auto &c = r.coverage;
    return QStringLiteral("price %1 · OI %2 · funding %3 · liquidations %4")
        .arg(share(c.candles), share(c.openInterest), share(c.predictedFunding.isNone() ? c.funding : c.predictedFunding), share(c.liquidations));
}

QString verdict(const Result &r)
{
    if (r.verdict == RangeAnalysis::Verdict::InsufficientData)
        return RangeAnalysis::verdictTitle(r.verdict);
    return QStringLiteral("%1 · %2 confidence").arg(RangeAnalysis::verdictTitle(r.verdict), RangeAnalysis::confidenceName(r.confidence));
}

} // namespace RangeFigures

QString RangeFigures::venue(const RangeAnalysis::Venue &v)
{
    if (!v.error.isEmpty())
        return v.error;
    QStringList parts;
    parts << QStringLiteral("price ") + (v.priceChangePct ? DisplayFormat::percent(*v.priceChangePct / 100, 2, true) : noData)
                  + (v.priceReference ? QStringLiteral(" (reference)") : QString());
    if (v.oiStartUsd && v.oiEndUsd)
        parts << QStringLiteral("OI %1 → %2%3")
                     .arg(DisplayFormat::usd(*v.oiStartUsd), DisplayFormat::usd(*v.oiEndUsd),
                          v.oiChangeUsdPct ? QStringLiteral(" (") + DisplayFormat::percent(*v.oiChangeUsdPct / 100, 1, true) + QLatin1Char(')') : QString());
    else
        parts << QStringLiteral("OI ") + noData;
    parts << QStringLiteral("funding ") + (v.fundingMean8h ? DisplayFormat::rate(*v.fundingMean8h) + QStringLiteral("/8h") : noData)
                  + (v.intervalHours != 8 ? QStringLiteral(" (settles every %1 h)").arg(v.intervalHours) : QString());
    if (v.longLiqUsd && v.shortLiqUsd)
        parts << QStringLiteral("liq %1 L / %2 S%3")
                     .arg(DisplayFormat::usd(*v.longLiqUsd), DisplayFormat::usd(*v.shortLiqUsd),
                          v.liquidations.quality == CoverageQuality::Sampled ? QStringLiteral(" (sampled)") : QString());
    else
        parts << QStringLiteral("liq ") + noData;
    if (!v.missing.isEmpty())
        parts << QStringLiteral("missing ") + v.missing.join(QStringLiteral(", "));
    return parts.join(QStringLiteral(" · "));
}
