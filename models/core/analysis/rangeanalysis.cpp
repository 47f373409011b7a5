#include "rangeanalysis.h"

#include "analysis/heatmapservice.h"
#include "analysis/venuebreakdown.h"
#include "analysis/verdict.h"
#include "domain/aggregates.h"
#include "domain/displayformat.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "storage/storereader.h"

#include <cmath>

namespace {

constexpr qint64 minuteMs = Timeframes::minuteMs;
constexpr int staleIntervals = 3;         // an edge sample older than this many intervals is stale
constexpr qint64 minStaleMs = 3 * minuteMs;
constexpr qint64 defaultOiStepMs = 5 * minuteMs;
constexpr int pathBuckets = 600;          // the OI path is read at about this many buckets

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

QVector<Segment> segments(TimeRange minutes)
{
    QVector<Segment> out;
    decompose(minutes, int(Timeframes::all.size()) - 1, out);
    return out;
}

// Bars are counted by their open time, at minute resolution.
TimeRange toMinutes(TimeRange r)
{
    return {Timeframes::floor(Timeframe::M1, r.from + minuteMs - 1), Timeframes::floor(Timeframe::M1, r.to + minuteMs - 1)};
}

RangeAnalysis::KindCoverage coverageOf(const CoverageSummary &s)
{
    RangeAnalysis::KindCoverage k;
    k.share = s.share();
    k.quality = s.quality;
    k.resolutionMs = s.finestResolutionMs;
    return k;
}

qint64 staleAfter(const RangeAnalysis::KindCoverage &c, qint64 fallbackStep)
{
    return std::max(minStaleMs, staleIntervals * std::max<qint64>(1, c.resolutionMs.value_or(fallbackStep)));
}

} // namespace

RangeAnalysis::RangeAnalysis(StoreReader &reader)
    : m_reader(reader)
{
}

void RangeAnalysis::setHeatmap(HeatmapService *service, const HeatmapParams *params)
{
    m_heatmap = service;
    m_heatmapParams = params;
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
    const TimeRange minutes = toMinutes(range);
    measurePrice(r, minutes);
    measureOpenInterest(r);
    measureFunding(r);
    measureLiquidations(r, minutes);
    r.liquidationTapeComplete = r.coverage.liquidations.isKnown() && r.coverage.liquidations.quality == CoverageQuality::Complete;
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
    r.thresholds = m_trailing ? VerdictThresholds::trailing(m_reader, instrument, range) : VerdictThresholds::fixed(range.span());
    VerdictRules::judge(r);
    if (Aggregates::isAggregate(instrument)) {
        // Venue by venue, and which members leave a sum partial (unknown there, not smaller).
        r.venues = VenueBreakdown::measure(m_reader, instrument, range);
        r.priceReference = r.venues.isEmpty() ? Instrument{} : r.venues.front().instrument;
        r.reasons << VenueBreakdown::partialReasons(r.venues);
    }
    if (r.consumption && r.consumption->isKnown()) {
        const HeatmapConsumption &c = *r.consumption;
        QString reason = QStringLiteral("predicted liquidations consumed by the path: %1 longs, %2 shorts")
                             .arg(DisplayFormat::usd(c.longUsd), DisplayFormat::usd(c.shortUsd));
        if (r.liquidationTapeComplete)
            reason += QStringLiteral(" (realized %1 / %2)").arg(DisplayFormat::usd(*r.longLiqUsd), DisplayFormat::usd(*r.shortLiqUsd));
        if (c.isPartial())
            reason += QStringLiteral(", counted from %1 (heatmap warming up before)").arg(TimeFormat::iso(c.counted.from));
        r.reasons << reason;
    } else if (r.consumption) {
        r.reasons << QStringLiteral("predicted heatmap still warming up (until %1): consumption not counted").arg(TimeFormat::iso(r.consumption->warmUntil));
    }
    return r;
}

void RangeAnalysis::measurePrice(Result &r, TimeRange minutes) const
{
    const Instrument &i = r.instrument;
    bool any = false;
    double buy = 0, volume = 0, cvdUsd = 0, knownVolume = 0;
    const TakerBuyCoverage taker{m_reader.coverageSummary(i, DataKind::Candles, r.range), m_reader.coverageSummary(i, DataKind::TakerBuy, r.range)};
    Timeframe highTf = Timeframe::M1, lowTf = Timeframe::M1;
    for (const Segment &s : segments(minutes)) {
        for (const Candle &c : m_reader.candles(i, s.tf, s.range)) {
            if (!any) {
                r.priceOpen = c.open;
                r.high = c.high;
                r.low = c.low;
                r.highTime = r.lowTime = c.ts;
                highTf = lowTf = s.tf;
                any = true;
            }
            if (c.high > r.high) {
                r.high = c.high;
                r.highTime = c.ts;
                highTf = s.tf;
            }
            if (c.low < r.low) {
                r.low = c.low;
                r.lowTime = c.ts;
                lowTf = s.tf;
            }
            r.priceClose = c.close;
            volume += c.volume;
            if (!taker.isUnknown({c.ts, c.ts + Timeframes::ms(s.tf)})) {
                buy += c.takerBuyVolume;
                knownVolume += c.volume;
                cvdUsd += (2 * c.takerBuyVolume - c.volume) * c.vwap();
            }
        }
    }
    if (!any) {
        const TimeRange extent = m_reader.extent(i, DataKind::Candles);
        throw Error((extent.isValid() ? QStringLiteral("no price data between %1 and %2 for %3 (its data covers %4 to %5)")
                                            .arg(TimeFormat::iso(r.range.from), TimeFormat::iso(r.range.to), i.key(), TimeFormat::iso(extent.from),
                                                 TimeFormat::iso(extent.to))
                                      : QStringLiteral("no price data for %1").arg(i.key()))
                        .toStdString());
    }
    r.priceChangePct = (r.priceClose / r.priceOpen - 1.0) * 100.0;
    // When the extremes happened: down the tiers inside the coarse bar that held each one
    // (a few reads of a few bars), so the path can be told at minute resolution.
    const auto pinpoint = [&](qint64 &ts, Timeframe tf, bool high) {
        for (auto child = Timeframes::child(tf); child; child = Timeframes::child(tf)) {
            const auto bars = m_reader.candles(i, *child, {ts, ts + Timeframes::ms(tf)});
            const auto hit = std::find_if(bars.cbegin(), bars.cend(), [&](const Candle &c) { return high ? c.high >= r.high : c.low <= r.low; });
            if (hit == bars.cend())
                return; // held only at this resolution
            ts = hit->ts;
            tf = *child;
        }
    };
    pinpoint(r.highTime, highTf, true);
    pinpoint(r.lowTime, lowTf, false);
    r.coverage.candles = coverageOf(m_reader.coverageSummary(i, DataKind::Candles, r.range));
    // Taker flow: known where the bars carry taker-buy volume (coverage.taker_buy); a source
    // without it (Bybit, OKX klines) stores 0 there, which must not read as "all sells".
    r.coverage.takerBuy = coverageOf(taker.takerBuy);
    if (knownVolume > 0 && knownVolume >= 0.99 * volume) {
        r.cvdCoins = 2 * buy - knownVolume;
        r.cvdUsd = cvdUsd;
        r.takerBuyShare = buy / knownVolume;
    }

    // Realized volatility from about a few thousand bars of the range, annualised.
    const Timeframe volTf = std::max(Timeframes::fitting(minutes.span(), 3000), Timeframes::fitting(r.coverage.candles.resolutionMs.value_or(minuteMs), 1));
    const auto volBars = m_reader.candles(i, volTf, minutes);
    if (volBars.size() > 2) {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (qsizetype k = 1; k < volBars.size(); ++k) {
            const double lr = std::log(volBars[k].close / volBars[k - 1].close);
            sum += lr;
            sumSq += lr * lr;
            ++n;
        }
        const double var = std::max(0.0, (sumSq - sum * sum / n) / std::max(1, n - 1));
        r.realizedVolPct = std::sqrt(var * (365.0 * 1440.0 / Timeframes::minutes(volTf))) * 100.0;
    }
}

void RangeAnalysis::measureOpenInterest(Result &r) const
{
    const Instrument &i = r.instrument;
    KindCoverage &cov = r.coverage.openInterest;
    cov = coverageOf(m_reader.coverageSummary(i, DataKind::OpenInterest, r.range));
    if (cov.isNone()) {
        // Nothing covered: unknown, whatever rows may lie around; say how old the last one is.
        if (const auto last = m_reader.openInterestAt(i, r.range.from))
            cov.startAgeMs = r.range.from - last->ts;
        cov.startStale = cov.endStale = true;
        return;
    }
    const qint64 stale = staleAfter(cov, defaultOiStepMs);
    // The edges: the last sample at or before each edge, unless it is stale; at the start, a
    // sample shortly after it stands in.
    std::optional<OpenInterestSample> start = m_reader.openInterestAt(i, r.range.from);
    if (start)
        cov.startAgeMs = r.range.from - start->ts;
    if (!start || r.range.from - start->ts > stale) {
        const auto after = m_reader.openInterest(i, {r.range.from, std::min(r.range.to, r.range.from + stale + 1)});
        if (!after.isEmpty()) {
            start = after.front();
            cov.startAgeMs = r.range.from - start->ts;
        } else {
            start.reset();
            cov.startStale = true;
        }
    }
    const auto end = m_reader.openInterestAt(i, r.range.to - 1);
    if (end)
        cov.endAgeMs = r.range.to - 1 - end->ts;
    if (!end || r.range.to - 1 - end->ts > stale || (start && end->ts < start->ts))
        cov.endStale = true;
    if (!start || cov.endStale)
        return;
    r.oiStart = start->openInterest;
    r.oiStartUsd = start->openInterestUsd;
    r.oiEnd = end->openInterest;
    r.oiEndUsd = end->openInterestUsd;
    r.oiChange = *r.oiEnd - *r.oiStart;
    r.oiChangePct = *r.oiStart > 0 ? std::optional(*r.oiChange / *r.oiStart * 100.0) : std::nullopt;
    r.oiChangeUsd = *r.oiEndUsd - *r.oiStartUsd;
    r.oiChangeUsdPct = *r.oiStartUsd > 0 ? std::optional(*r.oiChangeUsd / *r.oiStartUsd * 100.0) : std::nullopt;

    // The path: the largest fall from a running peak and rise from a running trough (coins),
    // at about pathBuckets buckets. A bucket's own high and low are not paired with each
    // other (their order inside the bucket is unknown).
    const Timeframe tf = Timeframes::fitting(r.range.span(), pathBuckets);
    const auto bars = m_reader.lineBars(i, LineSeries::OpenInterest, tf, {Timeframes::floor(tf, r.range.from), r.range.to});
    double peak = *r.oiStart, trough = *r.oiStart, fall = 0, rise = 0;
    qint64 peakTs = start->ts, fallPeakTs = start->ts, fallTroughTs = start->ts;
    for (const LineBar &b : bars) {
        if (b.ts + Timeframes::ms(tf) <= r.range.from)
            continue;
        if (peak > 0 && b.low / peak - 1 < fall) {
            fall = b.low / peak - 1;
            fallPeakTs = peakTs;
            fallTroughTs = b.ts;
        }
        if (trough > 0 && b.high / trough - 1 > rise)
            rise = b.high / trough - 1;
        if (b.high > peak) {
            peak = b.high;
            peakTs = b.ts;
        }
        trough = std::min(trough, b.low);
    }
    if (peak > 0 && *r.oiEnd / peak - 1 < fall) {
        fall = *r.oiEnd / peak - 1;
        fallPeakTs = peakTs;
        fallTroughTs = end->ts;
    }
    r.oiPeakToTroughPct = fall * 100.0;
    r.oiTroughToPeakPct = std::max(rise, trough > 0 ? *r.oiEnd / trough - 1 : 0.0) * 100.0;
    r.oiPeakTime = fallPeakTs;
    r.oiTroughTime = fallTroughTs;
}

void RangeAnalysis::measureFunding(Result &r) const
{
    const Instrument &i = r.instrument;
    r.coverage.funding = coverageOf(m_reader.coverageSummary(i, DataKind::Funding, r.range));
    r.coverage.predictedFunding = coverageOf(m_reader.coverageSummary(i, DataKind::PredictedFunding, r.range));
    const KindCoverage &settled = r.coverage.funding;
    const KindCoverage &predicted = r.coverage.predictedFunding;
    if (!settled.isNone()) {
        // Each settlement with the open interest it was paid on (one query, not one per
        // settlement: five years hold thousands).
        const auto settlements = m_reader.fundingWithOpenInterest(i, r.range);
        double sum = 0, peak = 0, paid = 0;
        bool paidKnown = r.oiStart.has_value();
        for (const StoreReader::SettlementWithOi &s : settlements) {
            const FundingSample &f = s.settlement;
            sum += f.rate;
            if (std::abs(f.rate) > std::abs(peak))
                peak = f.rate;
            if (paidKnown) {
                if (s.openInterestUsd)
                    paid += f.rate * *s.openInterestUsd;
                else
                    paidKnown = false;
            }
        }
        r.fundingSettlements = int(settlements.size());
        if (!settlements.isEmpty()) {
            r.fundingMean = sum / double(settlements.size());
            r.fundingPeak = peak;
        }
        if (paidKnown)
            r.fundingPaidUsd = paid;
    }
    // The rate in force at an edge: the running estimate where it is fresh, else the last
    // settlement of the interval that was running (when that is not older than an interval
    // and a half).
    const qint64 predictedStale = staleAfter(predicted, minuteMs);
    const auto inForce = [&](qint64 t, std::optional<qint64> *age) -> std::optional<double> {
        if (!predicted.isNone())
            if (const auto p = m_reader.predictedFundingAt(i, t); p && t - p->ts <= predictedStale) {
                *age = t - p->ts;
                return p->rate * 8.0 / std::max(1, p->intervalHours);
            }
        if (!settled.isNone())
            if (const auto f = m_reader.fundingAt(i, t); f && t - f->ts <= qint64(1.5 * f->intervalHours * 3'600'000)) {
                *age = t - f->ts;
                return f->rate * 8.0 / std::max(1, f->intervalHours);
            }
        return std::nullopt;
    };
    std::optional<qint64> startAge, endAge;
    r.fundingStart = inForce(r.range.from, &startAge);
    r.fundingEnd = inForce(r.range.to - 1, &endAge);
    KindCoverage &edges = predicted.isNone() ? r.coverage.funding : r.coverage.predictedFunding;
    edges.startAgeMs = startAge;
    edges.endAgeMs = endAge;
    edges.startStale = !r.fundingStart;
    edges.endStale = !r.fundingEnd;
    // Extremes of the rate in force: the running estimate's range, else the settlements'.
    if (!predicted.isNone()) {
        const Timeframe tf = Timeframes::fitting(r.range.span(), pathBuckets);
        for (const LineBar &b : m_reader.lineBars(i, LineSeries::PredictedFunding, tf, {Timeframes::floor(tf, r.range.from), r.range.to})) {
            r.fundingMin = std::min(r.fundingMin.value_or(b.low), b.low);
            r.fundingMax = std::max(r.fundingMax.value_or(b.high), b.high);
        }
    }
    for (const auto &edge : {r.fundingStart, r.fundingEnd})
        if (edge) {
            r.fundingMin = std::min(r.fundingMin.value_or(*edge), *edge);
            r.fundingMax = std::max(r.fundingMax.value_or(*edge), *edge);
        }
}

void RangeAnalysis::measureLiquidations(Result &r, TimeRange minutes) const
{
    const Instrument &i = r.instrument;
    const CoverageSummary s = m_reader.coverageSummary(i, DataKind::Liquidations, r.range);
    r.coverage.liquidations = coverageOf(s);
    if (s.isNone())
        return; // not zero: unknown
    double longUsd = 0, shortUsd = 0, largest = 0;
    int longN = 0, shortN = 0;
    // Only what the covered spans hold (a print outside them was not recorded as part of a
    // covered stretch, so it says nothing about the rest).
    for (const TimeRange &covered : s.covered) {
        const TimeRange part = toMinutes(TimeRange{std::max(covered.from, minutes.from), std::min(covered.to, minutes.to)});
        for (const Segment &seg : segments(part))
            for (const LiquidationBar &b : m_reader.liquidationBars(i, seg.tf, seg.range)) {
                longUsd += b.longUsd;
                shortUsd += b.shortUsd;
                longN += b.longCount;
                shortN += b.shortCount;
                largest = std::max(largest, b.largestUsd);
            }
    }
    r.longLiqUsd = longUsd;
    r.shortLiqUsd = shortUsd;
    r.longLiqCount = longN;
    r.shortLiqCount = shortN;
    r.largestLiqUsd = largest;
    if (r.oiStartUsd && *r.oiStartUsd > 0) {
        r.longLiqShare = longUsd / *r.oiStartUsd;
        r.shortLiqShare = shortUsd / *r.oiStartUsd;
    }
}
