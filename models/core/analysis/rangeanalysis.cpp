#include "rangeanalysis.h"

#include "analysis/heatmapservice.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "storage/storereader.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

namespace {

struct Segment
{
    Timeframe tf;
    TimeRange range;
};

qint64 ceilTo(Timeframe tf, qint64 t)
{
    const qint64 f = Timeframes::floor(tf, t);
    return f == t ? t : f + Timeframes::ms(tf);
}

// Splits [from, to) (minute-aligned) into the fewest tier-aligned pieces: the coarsest tier
// that fits whole buckets takes the middle, finer tiers the edges. The tiers nest (each
// divides the next), so the pieces tile the range exactly.
void decompose(TimeRange r, int maxTier, QVector<Segment> &out)
{
    if (!r.isValid())
        return;
    for (int k = maxTier; k >= 0; --k) {
        const Timeframe tf = Timeframes::all[size_t(k)];
        const qint64 a = ceilTo(tf, r.from), b = Timeframes::floor(tf, r.to);
        if (a < b) {
            decompose({r.from, a}, k - 1, out);
            out.push_back({tf, {a, b}});
            decompose({b, r.to}, k - 1, out);
            return;
        }
    }
}

QString money(double usd)
{
    const QLocale c = QLocale::c();
    const double a = std::abs(usd);
    if (a >= 1e9)
        return QStringLiteral("$%1B").arg(c.toString(usd / 1e9, 'f', 2));
    if (a >= 1e6)
        return QStringLiteral("$%1M").arg(c.toString(usd / 1e6, 'f', 1));
    if (a >= 1e3)
        return QStringLiteral("$%1K").arg(c.toString(usd / 1e3, 'f', 0));
    return QStringLiteral("$%1").arg(c.toString(usd, 'f', 0));
}

QString pct(double fraction, int decimals = 1)
{
    return QStringLiteral("%1%2%").arg(fraction > 0 ? QStringLiteral("+") : QString()).arg(fraction * 100, 0, 'f', decimals);
}

QString rate(double r)
{
    return QStringLiteral("%1%").arg(r * 100, 0, 'f', 4);
}

} // namespace

RangeAnalysis::RangeAnalysis(StoreReader &reader)
    : RangeAnalysis(reader, Rules())
{
}

RangeAnalysis::RangeAnalysis(StoreReader &reader, Rules rules)
    : m_reader(reader)
    , m_rules(rules)
{
}

void RangeAnalysis::setHeatmap(HeatmapService *service, const HeatmapParams *params)
{
    m_heatmap = service;
    m_heatmapParams = params;
}

QString RangeAnalysis::verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Quiet: return QStringLiteral("quiet");
    case Verdict::Flush: return QStringLiteral("flush");
    case Verdict::PartialFlush: return QStringLiteral("partial_flush");
    case Verdict::StillLoaded: return QStringLiteral("still_loaded");
    case Verdict::SpotLed: return QStringLiteral("spot_led");
    }
    return {};
}

QString RangeAnalysis::verdictTitle(Verdict v)
{
    switch (v) {
    case Verdict::Quiet: return QStringLiteral("Quiet");
    case Verdict::Flush: return QStringLiteral("Leverage flush");
    case Verdict::PartialFlush: return QStringLiteral("Partial flush");
    case Verdict::StillLoaded: return QStringLiteral("Still loaded");
    case Verdict::SpotLed: return QStringLiteral("Spot-led move");
    }
    return {};
}

RangeAnalysis::Result RangeAnalysis::analyze(const Instrument &instrument, TimeRange range) const
{
    if (!range.isValid())
        throw Error(QStringLiteral("the range is empty: from (%1) must be before to (%2)")
                        .arg(TimeFormat::iso(range.from), TimeFormat::iso(range.to))
                        .toStdString());
    Result r;
    r.instrument = instrument;
    r.range = range;
    // Bars are counted by their open time, at minute resolution.
    const TimeRange minutes{Timeframes::floor(Timeframe::M1, range.from + Timeframes::minuteMs - 1),
                            Timeframes::floor(Timeframe::M1, range.to + Timeframes::minuteMs - 1)};
    QVector<Segment> segments;
    decompose(minutes, int(Timeframes::all.size()) - 1, segments);

    bool any = false;
    for (const Segment &s : segments) {
        const auto bars = m_reader.candles(instrument, s.tf, s.range);
        for (const Candle &c : bars) {
            if (!any) {
                r.priceOpen = c.open;
                r.high = c.high;
                r.low = c.low;
                any = true;
            }
            r.high = std::max(r.high, c.high);
            r.low = std::min(r.low, c.low);
            r.priceClose = c.close;
        }
        for (const LiquidationBar &b : m_reader.liquidationBars(instrument, s.tf, s.range)) {
            r.longLiqUsd += b.longUsd;
            r.shortLiqUsd += b.shortUsd;
            r.longLiqCount += b.longCount;
            r.shortLiqCount += b.shortCount;
            r.largestLiqUsd = std::max(r.largestLiqUsd, b.largestUsd);
        }
    }
    if (!any) {
        const TimeRange extent = m_reader.extent(instrument, DataKind::Candles);
        throw Error((extent.isValid() ? QStringLiteral("no price data between %1 and %2 for %3 (its data covers %4 to %5)")
                                            .arg(TimeFormat::iso(range.from), TimeFormat::iso(range.to), instrument.key(),
                                                 TimeFormat::iso(extent.from), TimeFormat::iso(extent.to))
                                      : QStringLiteral("no price data for %1").arg(instrument.key()))
                        .toStdString());
    }
    r.priceChangePct = (r.priceClose / r.priceOpen - 1.0) * 100.0;

    // Realized volatility from about a few thousand bars of the range, annualised.
    const Timeframe volTf = Timeframes::fitting(minutes.span(), 3000);
    const auto volBars = m_reader.candles(instrument, volTf, minutes);
    if (volBars.size() > 2) {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (qsizetype i = 1; i < volBars.size(); ++i) {
            const double lr = std::log(volBars[i].close / volBars[i - 1].close);
            sum += lr;
            sumSq += lr * lr;
            ++n;
        }
        const double var = std::max(0.0, (sumSq - sum * sum / n) / std::max(1, n - 1));
        r.realizedVolPct = std::sqrt(var * (365.0 * 1440.0 / Timeframes::minutes(volTf))) * 100.0;
    }

    // Open interest at both ends (the last sample at or before each end).
    const auto oiStart = m_reader.openInterestAt(instrument, range.from);
    const auto oiEnd = m_reader.openInterestAt(instrument, range.to - 1);
    const auto firstInRange = m_reader.openInterest(instrument, {range.from, std::min(range.to, range.from + 86'400'000)});
    const std::optional<OpenInterestSample> start = oiStart ? oiStart : (firstInRange.isEmpty() ? std::nullopt : std::optional(firstInRange.front()));
    if (start && oiEnd) {
        r.oiStart = start->openInterest;
        r.oiStartUsd = start->openInterestUsd;
        r.oiEnd = oiEnd->openInterest;
        r.oiChange = r.oiEnd - r.oiStart;
        r.oiChangePct = r.oiStart > 0 ? r.oiChange / r.oiStart * 100.0 : 0;
    }

    // Funding: settlements inside the range, and the rate in force at each end (the running
    // prediction where the source has one, else the last settlement).
    const auto settlements = m_reader.funding(instrument, range);
    for (const FundingSample &f : settlements) {
        r.fundingMean += f.rate;
        if (std::abs(f.rate) > std::abs(r.fundingPeak))
            r.fundingPeak = f.rate;
        if (const auto oi = m_reader.openInterestAt(instrument, f.ts))
            r.fundingPaidUsd += f.rate * oi->openInterestUsd;
    }
    r.fundingSettlements = int(settlements.size());
    if (!settlements.isEmpty())
        r.fundingMean /= settlements.size();
    const auto fundingIn = [&](qint64 t) {
        if (const auto p = m_reader.predictedFundingAt(instrument, t); p && p->ts > t - 3 * 3600'000)
            return p->rate;
        if (const auto f = m_reader.fundingAt(instrument, t))
            return f->rate;
        return 0.0;
    };
    r.fundingStart = fundingIn(range.from);
    r.fundingEnd = fundingIn(range.to - 1);

    r.liquidationTapeComplete = m_reader.liquidationFeed(instrument) == QLatin1String("full");
    if (m_heatmap && m_heatmapParams) {
        if (auto c = m_heatmap->consumption(instrument, range, *m_heatmapParams); c && c->hasOpenInterest) {
            r.consumption = std::move(c);
            if (r.consumption->isKnown()) {
                r.zonesConsumed = int(r.consumption->zones.size());
                for (const HeatmapZone &z : std::as_const(r.consumption->zones))
                    r.zonesConsumedUsd += z.notionalUsd;
            }
        }
    }
    judge(r, m_rules);
    if (r.consumption && r.consumption->isKnown()) {
        const HeatmapConsumption &c = *r.consumption;
        QString reason = QStringLiteral("predicted liquidations consumed by the path: %1 longs, %2 shorts").arg(money(c.longUsd), money(c.shortUsd));
        if (r.liquidationTapeComplete)
            reason += QStringLiteral(" (realized %1 / %2)").arg(money(r.longLiqUsd), money(r.shortLiqUsd));
        if (c.isPartial())
            reason += QStringLiteral(", counted from %1 (heatmap warming up before)").arg(TimeFormat::iso(c.counted.from));
        r.reasons << reason;
    } else if (r.consumption) {
        r.reasons << QStringLiteral("predicted heatmap still warming up (until %1): consumption not counted").arg(TimeFormat::iso(r.consumption->warmUntil));
    }
    return r;
}

void RangeAnalysis::judge(Result &r, const Rules &rules)
{
    r.reasons.clear();
    const double move = r.priceChangePct / 100.0;
    const double oi = r.oiChangePct / 100.0;
    const bool down = move <= -rules.move;
    const bool up = move >= rules.move;
    const double oiUsd = r.oiStartUsd > 0 ? r.oiStartUsd : 0;
    const double sideLiq = down ? r.longLiqUsd : up ? r.shortLiqUsd : r.longLiqUsd + r.shortLiqUsd;
    const double liqShare = oiUsd > 0 ? sideLiq / oiUsd : 0;
    const double allLiqShare = oiUsd > 0 ? (r.longLiqUsd + r.shortLiqUsd) / oiUsd : 0;
    const QString side = down ? QStringLiteral("long") : up ? QStringLiteral("short") : QStringLiteral("total");

    r.reasons << QStringLiteral("price %1 (%2 to %3)").arg(pct(move)).arg(r.priceOpen, 0, 'f', 2).arg(r.priceClose, 0, 'f', 2);
    if (oiUsd > 0) {
        r.reasons << QStringLiteral("open interest %1%2").arg(pct(oi), oi <= rules.oiCollapse ? QStringLiteral(": positions were closed")
                                                                     : oi > rules.oiHolding ? QStringLiteral(": positions still open")
                                                                                            : QString());
        r.reasons << QStringLiteral("%1 liquidations %2 = %3 of open interest").arg(side, money(sideLiq)).arg(pct(liqShare, 2).remove(QLatin1Char('+')));
    } else {
        r.reasons << QStringLiteral("no open interest data: the verdict rests on price alone");
    }

    if (!down && !up) {
        if (oiUsd > 0 && oi <= rules.oiCollapse && allLiqShare >= rules.liqSignificant) {
            r.verdict = Verdict::Flush;
            r.reasons << QStringLiteral("price ended flat, but both sides were flushed (whipsaw)");
        } else {
            r.verdict = Verdict::Quiet;
            r.reasons << QStringLiteral("price moved less than %1").arg(pct(rules.move).remove(QLatin1Char('+')));
        }
        return;
    }
    if (oiUsd <= 0) {
        r.verdict = Verdict::SpotLed;
        return;
    }
    // Funding "reset" means the side that was paying stopped paying: for a down move, longs
    // (funding falls to about zero or below); for an up move, shorts (funding back up to >= 0).
    // "Elevated" means the losing side still pays to keep its positions.
    const bool fundingReset = down ? r.fundingEnd <= rules.fundingReset : (r.fundingStart < 0 && r.fundingEnd >= 0);
    const bool fundingElevated = down ? r.fundingEnd >= rules.fundingElevated : r.fundingEnd < 0;
    const bool fell = std::abs(r.fundingEnd - r.fundingStart) > 1e-6;
    const QString fundingNote = fundingReset ? (fell ? QStringLiteral(" (reset)") : down ? QStringLiteral(" (at the baseline: longs are not paying up)")
                                                                                         : QStringLiteral(" (shorts no longer paid)"))
                              : fundingElevated ? QStringLiteral(" (still elevated)")
                                                : QString();
    r.reasons << (fell ? QStringLiteral("funding %1 → %2%3").arg(rate(r.fundingStart), rate(r.fundingEnd), fundingNote)
                       : QStringLiteral("funding %1%2").arg(rate(r.fundingEnd), fundingNote));

    const bool oiHeld = oi > rules.oiHolding;
    const bool noFootprint = std::abs(oi) < rules.oiFootprint && liqShare < rules.liqFootprint;
    if (oi <= rules.oiCollapse && liqShare >= rules.liqSignificant && fundingReset) {
        r.verdict = Verdict::Flush;
        r.reasons << QStringLiteral("collapsing open interest, heavy %1 liquidations and a funding reset").arg(side);
    } else if (oiHeld && (fundingElevated || oi >= rules.oiFootprint)) {
        r.verdict = Verdict::StillLoaded;
        r.reasons << QStringLiteral("open interest held and funding is still elevated: the leveraged positions are still there");
    } else if (noFootprint || (oiHeld && liqShare < rules.liqSignificant)) {
        r.verdict = Verdict::SpotLed;
        r.reasons << QStringLiteral("the move left no leverage footprint: open interest and liquidations barely changed");
    } else {
        r.verdict = Verdict::PartialFlush;
        r.reasons << (fundingReset ? QStringLiteral("some leverage was cleared, but open interest fell less than %1").arg(pct(-rules.oiCollapse).remove(QLatin1Char('+')))
                                   : QStringLiteral("leverage was cleared, but funding has not reset"));
    }
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
    o[QStringLiteral("low")] = low;
    o[QStringLiteral("realized_vol_pct")] = realizedVolPct;
    o[QStringLiteral("oi_start")] = oiStart;
    o[QStringLiteral("oi_end")] = oiEnd;
    o[QStringLiteral("oi_change")] = oiChange;
    o[QStringLiteral("oi_change_pct")] = oiChangePct;
    o[QStringLiteral("oi_start_usd")] = oiStartUsd;
    o[QStringLiteral("funding_mean")] = fundingMean;
    o[QStringLiteral("funding_peak")] = fundingPeak;
    o[QStringLiteral("funding_paid_usd")] = fundingPaidUsd;
    o[QStringLiteral("funding_settlements")] = fundingSettlements;
    o[QStringLiteral("funding_start")] = fundingStart;
    o[QStringLiteral("funding_end")] = fundingEnd;
    o[QStringLiteral("long_liq_usd")] = longLiqUsd;
    o[QStringLiteral("short_liq_usd")] = shortLiqUsd;
    o[QStringLiteral("long_liq_count")] = longLiqCount;
    o[QStringLiteral("short_liq_count")] = shortLiqCount;
    o[QStringLiteral("liq_count")] = liqCount();
    o[QStringLiteral("largest_liq_usd")] = largestLiqUsd;
    o[QStringLiteral("zones_consumed")] = zonesConsumed ? QJsonValue(*zonesConsumed) : QJsonValue();
    o[QStringLiteral("zones_consumed_usd")] = zonesConsumed ? QJsonValue(zonesConsumedUsd) : QJsonValue();
    if (consumption)
        o[QStringLiteral("predicted_consumed")] = consumption->toJson(liquidationTapeComplete ? std::optional(longLiqUsd) : std::nullopt,
                                                                     liquidationTapeComplete ? std::optional(shortLiqUsd) : std::nullopt);
    else
        o[QStringLiteral("predicted_consumed")] = QJsonValue();
    o[QStringLiteral("verdict")] = verdictName(verdict);
    o[QStringLiteral("reasons")] = QJsonArray::fromStringList(reasons);
    return o;
}
