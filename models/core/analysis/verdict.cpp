#include "verdict.h"

#include "domain/displayformat.h"

#include <QDateTime>

#include <cmath>

using Result = RangeAnalysis::Result;
using Verdict = RangeAnalysis::Verdict;
using Confidence = RangeAnalysis::Confidence;
using namespace DisplayFormat;

namespace {

QString clock(const Result &r, qint64 ms)
{
    const bool sameDay = r.range.span() <= 86'400'000;
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(sameDay ? QStringLiteral("HH:mm") : QStringLiteral("MM-dd HH:mm"));
}

// "the 10th percentile of 12 h windows of the trailing 30 days" or "a fixed level".
QString source(const VerdictThresholds::Level &l, double percentile, const Result &r)
{
    if (!l.fromHistory)
        return QStringLiteral("fixed level: too little history for percentiles");
    return QStringLiteral("%1 percentile of %2 windows of the trailing 30 days")
        .arg(QStringLiteral("%1th").arg(qRound(percentile * 100)), duration(r.range.span()));
}

QString perEight(double fraction)
{
    return rate(fraction) + QStringLiteral("/8h");
}

void cap(Confidence &c, Confidence most)
{
    c = std::min(c, most);
}

void lower(Confidence &c)
{
    if (c != Confidence::Low)
        c = Confidence(int(c) - 1);
}

bool near(double value, double threshold)
{
    return threshold != 0 && std::abs(value / threshold - 1) < VerdictRules::marginBand;
}

struct Reading
{
    double move = 0;
    bool up = false, down = false;
    bool oiKnown = false;
    double oiEnd = 0, fall = 0, rise = 0, forcedClearing = 0;
    bool cleared = false, partlyCleared = false, built = false, flat = false, aligned = false;
    bool liqCovered = false, liqSome = false;
    double sideShare = 0, totalShare = 0;
    bool heavy = false, footprintNone = false;
    bool fundingKnown = false, elevatedLongs = false, elevatedShorts = false, cooled = true;
    std::optional<bool> takersLead;
};

Reading read(const Result &r)
{
    const VerdictThresholds &t = r.thresholds;
    Reading x;
    x.move = r.priceChangePct / 100.0;
    x.up = x.move >= t.move.value;
    x.down = x.move <= -t.move.value;
    x.oiKnown = r.oiChangePct.has_value() && r.oiPeakToTroughPct.has_value();
    if (x.oiKnown) {
        x.oiEnd = *r.oiChangePct / 100.0;
        x.fall = *r.oiPeakToTroughPct / 100.0;
        x.rise = r.oiTroughToPeakPct.value_or(0) / 100.0;
        x.cleared = std::min(x.fall, x.oiEnd) <= t.oiCleared.value;
        x.partlyCleared = x.fall <= t.oiCleared.value * VerdictRules::partialClearing;
        x.built = x.oiEnd >= t.oiBuilt.value;
        x.flat = std::abs(x.oiEnd) < VerdictRules::flatBand * std::min(-t.oiCleared.value, t.oiBuilt.value) && !x.partlyCleared;
        // Where the clearing happened relative to the move: it must overlap the leg from the
        // opposite extreme to the move's extreme (or come within a fifth of the range after it).
        const qint64 extreme = x.down ? r.lowTime : r.highTime;
        const qint64 opposite = x.down ? r.highTime : r.lowTime;
        const qint64 legFrom = opposite < extreme ? opposite : r.range.from;
        const qint64 legTo = extreme + r.range.span() / 5;
        x.aligned = !(x.up || x.down) || (r.oiTroughTime >= legFrom && r.oiPeakTime <= legTo);
    }
    const auto &liq = r.coverage.liquidations;
    x.liqCovered = liq.share >= VerdictRules::minLiquidationShare && r.longLiqShare.has_value();
    x.liqSome = liq.share > 0 && r.longLiqShare.has_value();
    if (x.liqSome) {
        x.sideShare = x.down ? *r.longLiqShare : x.up ? *r.shortLiqShare : *r.longLiqShare + *r.shortLiqShare;
        x.totalShare = *r.longLiqShare + *r.shortLiqShare;
        x.heavy = x.sideShare >= t.liqHeavy.value;
        x.footprintNone = x.liqCovered && x.totalShare < VerdictRules::noFootprint * t.liqHeavy.value;
    }
    x.fundingKnown = r.fundingEnd.has_value();
    if (x.fundingKnown) {
        const double end = *r.fundingEnd;
        // Strictly beyond: where funding sits at a baseline most of the time, the baseline itself
        // is the 90th percentile and not elevated.
        x.elevatedLongs = end > 0 && end > t.fundingHigh.value;
        x.elevatedShorts = end < 0 && end < t.fundingLow.value;
        // Cooled: the side that paid up to hold the losing positions no longer does.
        x.cooled = x.down ? !x.elevatedLongs : x.up ? !x.elevatedShorts : !x.elevatedLongs && !x.elevatedShorts;
    }
    // Positions forced out are cleared leverage even where open interest hides it (the market
    // maker that takes the other side of a liquidation holds an unleveraged inventory): the
    // losing side's liquidations, as a share of open interest, count as clearing too.
    if (x.oiKnown && x.liqSome && (x.up || x.down)) {
        x.forcedClearing = -x.sideShare;
        x.cleared = x.cleared || x.forcedClearing <= t.oiCleared.value;
        x.partlyCleared = x.partlyCleared || x.forcedClearing <= t.oiCleared.value * VerdictRules::partialClearing;
    }
    if (r.cvdCoins && (x.up || x.down))
        x.takersLead = (*r.cvdCoins > 0) == x.up;
    return x;
}

void priceReason(Result &r, const Reading &x)
{
    const VerdictThresholds &t = r.thresholds;
    r.reasons << QStringLiteral("price %1 (%2 → %3); high %4 at %5, low %6 at %7")
                     .arg(percent(x.move, 2, true), price(r.priceOpen), price(r.priceClose), price(r.high), clock(r, r.highTime), price(r.low),
                          clock(r, r.lowTime));
    r.reasons << (x.up || x.down ? QStringLiteral("a directional move: beyond ±%1 (%2)").arg(percent(t.move.value), source(t.move, VerdictThresholds::movePercentile, r))
                                 : QStringLiteral("no directional move: within ±%1 (%2)").arg(percent(t.move.value), source(t.move, VerdictThresholds::movePercentile, r)));
}

void openInterestReason(Result &r, const Reading &x)
{
    const VerdictThresholds &t = r.thresholds;
    const auto &c = r.coverage.openInterest;
    if (!r.oiChangePct) {
        if (c.isNone())
            r.reasons << (c.startAgeMs ? QStringLiteral("no open-interest data covers this range (the last sample before it is %1 old): whether "
                                                        "leverage cleared cannot be told")
                                             .arg(duration(*c.startAgeMs))
                                       : QStringLiteral("no open-interest data covers this range: whether leverage cleared cannot be told"));
        else if (c.startStale)
            r.reasons << (c.startAgeMs ? QStringLiteral("the last open-interest sample before the start is %1 old: stale, not used")
                                              .arg(duration(*c.startAgeMs))
                                       : QStringLiteral("no open-interest sample at the start of the range"));
        else
            r.reasons << (c.endAgeMs ? QStringLiteral("the last open-interest sample before the end is %1 old: stale, not used").arg(duration(*c.endAgeMs))
                                     : QStringLiteral("no open-interest sample at the end of the range"));
        return;
    }
    QString text = QStringLiteral("open interest %1 in coins (%2 → %3)").arg(percent(x.oiEnd, 2, true), quantity(*r.oiStart), quantity(*r.oiEnd));
    if (r.oiChangeUsdPct)
        text += QStringLiteral(", %1 in USD (%2 → %3)").arg(percent(*r.oiChangeUsdPct / 100, 2, true), usd(*r.oiStartUsd), usd(*r.oiEndUsd));
    r.reasons << text;
    if (x.fall < 0) {
        QString where;
        if (x.up || x.down)
            where = x.aligned ? (x.down ? QStringLiteral(", with the drop (low at %1)") : QStringLiteral(", with the rally (high at %1)"))
                                    .arg(clock(r, x.down ? r.lowTime : r.highTime))
                              : QStringLiteral(", away from the move");
        r.reasons << QStringLiteral("open interest peak to trough %1 in coins (%2 → %3%4); meaningful: %5 or less (%6)")
                         .arg(percent(x.fall, 2, true), clock(r, r.oiPeakTime), clock(r, r.oiTroughTime), where, percent(t.oiCleared.value, 2, true),
                              source(t.oiCleared, VerdictThresholds::oiClearedPercentile, r));
    }
    if (x.built)
        r.reasons << QStringLiteral("open interest built: %1 in coins is above %2 (%3)")
                         .arg(percent(x.oiEnd, 2, true), percent(t.oiBuilt.value, 2, true), source(t.oiBuilt, VerdictThresholds::oiBuiltPercentile, r));
    if (c.share < 0.99)
        r.reasons << QStringLiteral("open interest covers %1 of the range").arg(percent(c.share, 0));
}

void liquidationReason(Result &r, const Reading &x)
{
    const VerdictThresholds &t = r.thresholds;
    const auto &c = r.coverage.liquidations;
    if (!x.liqSome) {
        r.reasons << (c.isNone() ? QStringLiteral("liquidations: not covered here (no source recorded them): unknown, not zero")
                                 : QStringLiteral("liquidations: covered, but open interest is unknown, so their weight cannot be told"));
        return;
    }
    QString text = QStringLiteral("long liquidations %1 (%2 of open interest), short %3 (%4)")
                       .arg(usd(*r.longLiqUsd), percent(*r.longLiqShare, 3), usd(*r.shortLiqUsd), percent(*r.shortLiqShare, 3));
    const QString side = x.down ? QStringLiteral("long") : x.up ? QStringLiteral("short") : QStringLiteral("total");
    text += x.heavy ? QStringLiteral(": %1 liquidations heavy, above %2 (%3)").arg(side, percent(t.liqHeavy.value, 3), source(t.liqHeavy, VerdictThresholds::liqHeavyPercentile, r))
          : x.footprintNone ? QStringLiteral(": no liquidation footprint (heavy: above %1)").arg(percent(t.liqHeavy.value, 3))
                            : QStringLiteral(": %1 liquidations light (heavy: above %2)").arg(side, percent(t.liqHeavy.value, 3));
    r.reasons << text;
    if (c.quality == CoverageQuality::Sampled)
        r.reasons << QStringLiteral("liquidations are a sample (the venue shows at most one print per second): the true totals are higher");
    if (c.share < 0.99)
        r.reasons << QStringLiteral("liquidations cover %1 of the range").arg(percent(c.share, 0));
}

void fundingReason(Result &r, const Reading &x)
{
    const VerdictThresholds &t = r.thresholds;
    if (!x.fundingKnown) {
        r.reasons << QStringLiteral("funding at the end of the range: unknown");
        return;
    }
    QString text = r.fundingStart && std::abs(*r.fundingStart - *r.fundingEnd) > 1e-9
                       ? QStringLiteral("funding %1 → %2").arg(perEight(*r.fundingStart), perEight(*r.fundingEnd))
                       : QStringLiteral("funding %1").arg(perEight(*r.fundingEnd));
    if (r.fundingMin && r.fundingMax && *r.fundingMax - *r.fundingMin > 1e-9)
        text += QStringLiteral(" (between %1 and %2)").arg(rate(*r.fundingMin), rate(*r.fundingMax));
    const QString levels = QStringLiteral("elevated: above %1 or below %2, %3").arg(rate(t.fundingHigh.value), rate(t.fundingLow.value),
                                                                                   t.fundingHigh.fromHistory ? QStringLiteral("the 90th/10th percentiles of the trailing 30 days")
                                                                                                             : QStringLiteral("fixed levels"));
    if (x.elevatedLongs)
        text += QStringLiteral(": elevated, longs still pay up (%1)").arg(levels);
    else if (x.elevatedShorts)
        text += QStringLiteral(": elevated, shorts still pay up (%1)").arg(levels);
    else
        text += (x.up || x.down) && x.cooled ? QStringLiteral(": cooled, not elevated (%1)").arg(levels) : QStringLiteral(": not elevated (%1)").arg(levels);
    r.reasons << text;
}

void takerReason(Result &r)
{
    if (!r.cvdCoins)
        return;
    r.reasons << QStringLiteral("taker flow (perp CVD): net %1 %2 coins (≈ %3), %4 of volume bought by takers")
                     .arg(*r.cvdCoins >= 0 ? QStringLiteral("buys") : QStringLiteral("sells"), quantity(std::abs(*r.cvdCoins)),
                          signedUsd(*r.cvdUsd), percent(*r.takerBuyShare, 1));
}

Verdict decide(const Reading &x, QString *why)
{
    const bool dir = x.up || x.down;
    const QString side = x.down ? QStringLiteral("long") : QStringLiteral("short");
    if (!dir) {
        if (x.cleared) {
            *why = QStringLiteral("open interest cleared meaningfully without a directional move: deleveraging");
            return Verdict::Deleveraging;
        }
        *why = QStringLiteral("no directional move and no meaningful change of open interest");
        return Verdict::Quiet;
    }
    if (x.built) {
        // Built by the end, whatever cleared on the way: the leverage is back.
        *why = x.cleared ? QStringLiteral("open interest cleared inside the range but was rebuilt above where it started: leverage is back")
             : x.down    ? QStringLiteral("open interest grew into the drop: new positions (shorts pressing, longs catching it) were added, "
                                          "leverage was not cleared")
                         : QStringLiteral("open interest grew with the rally: leverage was built, not cleared");
        return Verdict::StillLoaded;
    }
    if (x.cleared && x.aligned) {
        if (x.cooled && (x.heavy || !x.liqSome)) {
            *why = x.liqSome ? QStringLiteral("open interest cleared with the move, heavy %1 liquidations, funding cooled").arg(side)
                             : QStringLiteral("open interest cleared with the move and funding cooled; liquidations are not covered, so forced "
                                              "closing cannot be confirmed");
            return x.down ? Verdict::Flush : Verdict::Squeeze;
        }
        *why = !x.cooled ? QStringLiteral("open interest cleared with the move, but funding has not cooled")
                         : QStringLiteral("open interest cleared with the move, but few %1s were liquidated: positions were closed, not forced out").arg(side);
        return Verdict::PartialFlush;
    }
    if (x.cleared || (x.partlyCleared && (x.heavy || !x.liqCovered))) {
        *why = x.cleared ? QStringLiteral("open interest cleared, but away from the move") : QStringLiteral("some open interest cleared with the move");
        return Verdict::PartialFlush;
    }
    if (x.flat && (x.footprintNone || !x.liqCovered)) {
        *why = x.liqCovered ? QStringLiteral("a move with flat open interest and no liquidation footprint: led by spot or by taker flow")
                            : QStringLiteral("a move with flat open interest (liquidations not covered): led by spot or by taker flow");
        return Verdict::SpotLed;
    }
    *why = x.elevatedLongs || x.elevatedShorts ? QStringLiteral("price moved while open interest held and funding is elevated: the leveraged positions are still there")
                                               : QStringLiteral("price moved while open interest held: leverage was not cleared");
    return Verdict::StillLoaded;
}

Confidence confidence(const Result &r, const Reading &x, Verdict v)
{
    Confidence c = Confidence::High;
    const auto &liq = r.coverage.liquidations;
    const bool liqMatters = v == Verdict::Flush || v == Verdict::Squeeze || v == Verdict::PartialFlush || v == Verdict::SpotLed;
    if (liq.share < VerdictRules::minOpenInterestShare || !x.liqSome)
        cap(c, liqMatters ? Confidence::Low : Confidence::Medium);
    else if (liq.quality == CoverageQuality::Sampled || liq.share < VerdictRules::minLiquidationShare)
        cap(c, liqMatters ? Confidence::Medium : Confidence::High);
    const auto &oi = r.coverage.openInterest;
    if (oi.share < 0.9)
        cap(c, Confidence::Medium);
    if (!x.fundingKnown && (v == Verdict::Flush || v == Verdict::Squeeze || v == Verdict::StillLoaded))
        cap(c, Confidence::Medium);
    if (!r.thresholds.move.fromHistory || !r.thresholds.oiCleared.fromHistory)
        cap(c, Confidence::Medium);
    // A deciding figure near its threshold.
    const VerdictThresholds &t = r.thresholds;
    bool close = near(std::abs(x.move), t.move.value);
    if (v == Verdict::Flush || v == Verdict::Squeeze || v == Verdict::Deleveraging || v == Verdict::PartialFlush)
        close = close || near(std::min(x.fall, x.oiEnd), t.oiCleared.value) || (x.liqSome && near(x.sideShare, t.liqHeavy.value));
    if (v == Verdict::StillLoaded && x.built)
        close = close || near(x.oiEnd, t.oiBuilt.value);
    if (close)
        lower(c);
    if (v == Verdict::SpotLed && (x.takersLead == false || x.elevatedLongs || x.elevatedShorts))
        lower(c); // perp takers leaned against the move, or one side still pays up: less clear-cut
    return c;
}

} // namespace

namespace VerdictRules {

void judge(Result &r)
{
    r.reasons.clear();
    const Reading x = read(r);
    priceReason(r, x);
    const bool priceOk = r.coverage.candles.share >= minPriceShare;
    const bool oiOk = x.oiKnown && r.coverage.openInterest.share >= minOpenInterestShare;
    openInterestReason(r, x);
    liquidationReason(r, x);
    fundingReason(r, x);
    takerReason(r);
    if (!priceOk || !oiOk) {
        r.verdict = Verdict::InsufficientData;
        r.confidence = Confidence::Low;
        if (!priceOk)
            r.reasons << QStringLiteral("price covers only %1 of the range").arg(percent(r.coverage.candles.share, 0));
        if (x.oiKnown && !oiOk)
            r.reasons << QStringLiteral("open interest covers only %1 of the range").arg(percent(r.coverage.openInterest.share, 0));
        r.reasons << QStringLiteral("insufficient data: price and open interest must both cover the range to tell whether leverage cleared");
        return;
    }
    QString why;
    r.verdict = decide(x, &why);
    r.confidence = confidence(r, x, r.verdict);
    r.reasons << why;
}

QString aboutText()
{
    return QStringLiteral(
               "The verdict on a selected range says what leverage did during the move. It reads price, open interest (in coins: a "
               "price move alone shifts open interest in USD), liquidations by side, funding and taker flow, and it judges the path "
               "inside the range, not only its two ends: open interest that collapsed during a crash and was rebuilt on the bounce "
               "still cleared.\n\n"
               "flush: price fell, open interest cleared meaningfully with the fall (peak to trough), long liquidations were heavy "
               "where they are covered, and funding cooled.\n"
               "squeeze: the mirror: price rose, open interest cleared, short liquidations were heavy, shorts stopped paying up.\n"
               "partial_flush: some open interest cleared, but not all of a flush (too little, away from the move, few forced "
               "closes, or funding still elevated).\n"
               "still_loaded: price moved while open interest held or grew: leverage was not cleared, or was built with the move "
               "(shorts added into a drop, longs chasing a rally), or funding is still elevated.\n"
               "deleveraging: open interest cleared meaningfully without a directional move.\n"
               "spot_led: a directional move with flat open interest and no liquidation footprint where liquidations are covered: "
               "the move came from spot or taker flow, not from leverage.\n"
               "quiet: no directional move and no meaningful change of open interest.\n"
               "insufficient_data: price or open interest does not cover the range, or the open-interest samples at its edges are "
               "stale (older than three sampling intervals): the verdict would be a guess.\n\n"
               "Confidence is high, medium or low. It is lowered when liquidations are unknown (klines and metrics imports hold "
               "none: a flush cannot be confirmed, so it is at most low) or sampled (Binance shows at most one print per second: at "
               "most medium), when open interest covers part of the range, when the thresholds are the fixed fallbacks, and when a "
               "deciding figure lies within 15 % of its threshold.\n\n")
        + VerdictThresholds::explanation();
}

} // namespace VerdictRules
