#include "heatmapengine.h"

#include "liquidationprice.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr qint64 hourMs = 3'600'000;
constexpr qint64 dayMs = 24 * hourMs;

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Long share of new positions: the taker-buy share (the aggressor is assumed to be the
// leveraged speculator), or the candle colour when the bar has no volume split.
double takerLongShare(const HeatmapBar &bar)
{
    if (bar.volume > 0 && bar.takerBuyVolume >= 0)
        return std::clamp(bar.takerBuyVolume / bar.volume, 0.0, 1.0);
    if (bar.close > bar.open)
        return 1;
    if (bar.close < bar.open)
        return 0;
    return 0.5;
}

// Φ⁻¹(u) for 0 < u < 1 (Acklam's rational approximation, relative error < 1.2e-9).
double inverseNormal(double u)
{
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                                   -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                                   -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                                   4.374664141464968e+00, 2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    if (u < 0.02425) {
        const double q = std::sqrt(-2 * std::log(u));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (u > 1 - 0.02425)
        return -inverseNormal(1 - u);
    const double q = u - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

} // namespace

HeatmapEngine::HeatmapEngine(const HeatmapParams &params, const QVector<LiquidationPrice::Bracket> &brackets)
    : m_params(params)
    , m_longs(Liquidation::Side::Long, params.binStep, params.levelResolution)
    , m_shorts(Liquidation::Side::Short, params.binStep, params.levelResolution)
{
    double tierTotal = 0, sizeTotal = 0;
    for (const auto &t : params.tiers)
        tierTotal += std::max(0.0, t.weight);
    for (const auto &s : params.sizes)
        sizeTotal += std::max(0.0, s.weight);
    auto makeKind = [&](double leverage, double weight, double notional) {
        Kind k;
        k.leverage = leverage;
        k.weight = weight;
        const auto lp = LiquidationPrice::forLong(1.0, leverage, notional, brackets, params.feeBuffer);
        const auto sp = LiquidationPrice::forShort(1.0, leverage, notional, brackets, params.feeBuffer);
        k.ratio[0] = lp.price;
        k.ratio[1] = sp.price;
        k.fundingFactor[0] = 1.0 / (1.0 - brackets[lp.bracket].mmr);
        k.fundingFactor[1] = 1.0 / (1.0 + brackets[sp.bracket].mmr);
        if (!(k.ratio[0] > 0))
            k.weight = 0; // cannot be liquidated: such positions never show on the map
        else
            k.logRatio[0] = std::log(k.ratio[0]);
        k.logRatio[1] = std::log(k.ratio[1]);
        m_kinds.push_back(k);
        m_leverageOfKind.push_back(leverage);
    };
    for (const auto &t : params.tiers)
        for (const auto &s : params.sizes)
            makeKind(t.leverage, tierTotal > 0 && sizeTotal > 0 ? std::max(0.0, t.weight) / tierTotal * std::max(0.0, s.weight) / sizeTotal : 0,
                     s.notional);
    m_activeKinds = int(m_kinds.size());
    for (const auto &s : params.sizes)
        makeKind(params.passiveLeverage, sizeTotal > 0 ? std::max(0.0, s.weight) / sizeTotal : 0, s.notional);
}

double HeatmapEngine::holdHours(int kind, int side, double sigmaDay) const
{
    const Kind &k = m_kinds[kind];
    const double distance = std::abs(k.ratio[side] - 1.0);
    const double travel = distance / (m_params.holdSigmas * std::max(1e-4, sigmaDay));
    return std::max(1.0 / 60.0, 24.0 * travel * travel);
}

void HeatmapEngine::turnOver()
{
    if (!(m_params.holdSigmas > 0))
        return;
    const double sigmaDay = std::sqrt(m_dailyVariance);
    HeatmapBook *books[2] = {&m_longs, &m_shorts};
    for (int side = 0; side < 2; ++side) {
        QVector<double> survival(m_kinds.size(), 1.0);
        for (qsizetype k = 0; k < m_kinds.size(); ++k)
            survival[k] = std::exp(-1.0 / holdHours(int(k), side, sigmaDay));
        const double closed = books[side]->survive(survival);
        m_ledger[side].closed += closed;
        // Reopened over the next hour (only once OI is known: before that the prior's bars
        // already open all their traded volume).
        m_churnPerHour[side] = m_hasOpenInterest ? closed : 0;
        m_churnLeft[side] = m_churnPerHour[side];
    }
}

void HeatmapEngine::addEntry(int side, double entry, double qty, qint32 epoch, int firstKind, int endKind, double ageHours)
{
    if (!(entry > 0) || !(qty > 0))
        return;
    HeatmapBook &book = side == 0 ? m_longs : m_shorts;
    const double logEntry = std::log(entry);
    double added = 0;
    for (int k = firstKind; k < endKind; ++k) {
        const Kind &kind = m_kinds[k];
        double q = qty * kind.weight;
        if (ageHours > 0 && m_params.holdSigmas > 0)
            q *= std::exp(-ageHours / holdHours(k, side, m_params.priorDailyVolatility));
        if (!(q > 0))
            continue;
        book.add(entry * kind.ratio[side], logEntry + kind.logRatio[side], q, epoch, quint16(k));
        added += q;
    }
    m_ledger[side].opened += added;
}

void HeatmapEngine::addSide(int side, const HeatmapBar &bar, double qty, int firstKind, int endKind)
{
    if (!(qty > 0))
        return;
    const auto epoch = qint32(floorDiv(bar.ts, hourMs));
    const double vwap = bar.vwap > 0 ? bar.vwap : (bar.high + bar.low + bar.close) / 3.0;
    const int entries = m_params.subEntries > 1 && bar.high > bar.low ? m_params.subEntries : 1;
    for (int j = 0; j < entries; ++j) {
        // Entry uncertainty: K equal parts spread evenly over the bar's range (models.md §1.6.3).
        const double entry = entries == 1 ? vwap : bar.low + (j + 0.5) * (bar.high - bar.low) / entries;
        addEntry(side, entry, qty / entries, epoch, firstKind, endKind);
    }
}

void HeatmapEngine::open(const HeatmapBar &bar, double qty, double longShare, const double extra[2])
{
    addSide(0, bar, qty * longShare + (extra ? extra[0] : 0), 0, m_activeKinds);
    addSide(1, bar, qty * (1 - longShare) + (extra ? extra[1] : 0), 0, m_activeKinds);
    if (m_params.passiveShare > 0) {
        // The passive side of each aggressor, at low leverage (κ_passive).
        addSide(0, bar, m_params.passiveShare * qty * (1 - longShare), m_activeKinds, int(m_kinds.size()));
        addSide(1, bar, m_params.passiveShare * qty * longShare, m_activeKinds, int(m_kinds.size()));
    }
}

void HeatmapEngine::close(double qty, double longShare)
{
    // Closing longs sell as takers: the sell share of the bar is the longs' share of closes.
    const double want[2] = {qty * (1 - longShare), qty * longShare};
    HeatmapBook *books[2] = {&m_longs, &m_shorts};
    for (int side = 0; side < 2; ++side) {
        const double have = books[side]->quantity();
        if (!(have > 0) || !(want[side] > 0))
            continue;
        const double fraction = std::min(1.0, want[side] / have);
        m_ledger[side].closed += books[side]->scale(1 - fraction);
    }
}

qint64 HeatmapEngine::warmUntil() const
{
    if (!m_firstOiTime)
        return std::numeric_limits<qint64>::max();
    return m_firstOiTime + qint64(m_params.lookbackHours * hourMs);
}

QVector<HeatmapEngine::PriorEntry> HeatmapEngine::randomWalkPrior(const HeatmapParams &params)
{
    // No price history before the first sample: positions alive now were opened evenly over
    // the look-back at prices a random walk with the assumed daily volatility reached. Ages
    // come in slices of about six hours, each with entries at seven normal quantiles; the
    // quantiles are staggered from slice to slice (golden-ratio offsets) so that no entry
    // price repeats across ages and stacks into an artificial band.
    constexpr int perSlice = 7;
    const int slices = std::clamp(int(std::lround(params.lookbackHours / 6.0)), 1, 56);
    QVector<PriorEntry> out;
    out.reserve(slices * perSlice);
    for (int i = 0; i < slices; ++i) {
        const double ageHours = (i + 0.5) * params.lookbackHours / slices;
        const double sigma = params.priorDailyVolatility * std::sqrt(ageHours / 24.0);
        const double offset = std::fmod(0.5 + i * 0.6180339887498949, 1.0);
        for (int j = 0; j < perSlice; ++j)
            out.push_back({ageHours, sigma * inverseNormal(std::clamp((j + offset) / perSlice, 1e-3, 1 - 1e-3)), 1.0 / (slices * perSlice)});
    }
    return out;
}

void HeatmapEngine::seedRandomWalk(const HeatmapBar &bar)
{
    const double price = bar.close > 0 ? bar.close : bar.vwap;
    if (!(price > 0))
        return;
    const qint64 firstHour = floorDiv(bar.end(), hourMs);
    for (const PriorEntry &p : randomWalkPrior(m_params)) {
        const auto epoch = qint32(firstHour - qint64(std::ceil(p.ageHours)) + 1);
        const double entry = price * std::exp(p.logOffset);
        addEntry(0, entry, p.share * 0.5, epoch, 0, m_activeKinds, p.ageHours);
        addEntry(1, entry, p.share * 0.5, epoch, 0, m_activeKinds, p.ageHours);
    }
}

void HeatmapEngine::seed(const HeatmapBar &bar)
{
    const double oi = bar.openInterest;
    switch (m_params.initialPrior) {
    case HeatmapParams::InitialPrior::None:
        break;
    case HeatmapParams::InitialPrior::FirstBar:
        // All of it here, half long, half short: what the map showed before the prior existed.
        open(bar, oi, 0.5);
        break;
    case HeatmapParams::InitialPrior::VolumeProfile: {
        if (m_hasPrior && m_longs.quantity() + m_shorts.quantity() > 0)
            open(bar, bar.volume, takerLongShare(bar)); // this bar's trading belongs to the profile too
        else
            seedRandomWalk(bar);
        // Only levels the path has not crossed can still be open: those at or beyond the
        // price go now (silently: they are the prior's, not liquidations anyone saw).
        const double lo = bar.hasMark() && m_params.consumeOnMark ? bar.markLow : bar.low;
        const double hi = bar.hasMark() && m_params.consumeOnMark ? bar.markHigh : bar.high;
        m_longs.consume(std::min(lo, bar.close), bar.ts, m_leverageOfKind, nullptr);
        m_shorts.consume(std::max(hi, bar.close), bar.ts, m_leverageOfKind, nullptr);
        const double have = m_longs.quantity() + m_shorts.quantity();
        if (have > 0 && oi > 0) {
            m_longs.rescale(oi / have);
            m_shorts.rescale(oi / have);
        } else {
            m_longs.scale(0);
            m_shorts.scale(0);
        }
        break;
    }
    }
    // The ledger describes the flows since the first sample: the prior is what was open then.
    m_ledger[0] = Ledger{m_longs.quantity()};
    m_ledger[1] = Ledger{m_shorts.quantity()};
}

void HeatmapEngine::step(const HeatmapBar &bar, QVector<PredictedLiquidation> *consumed)
{
    // Before the first OI sample the book holds only the prior (in units of traded volume):
    // its consumption is nobody's liquidation.
    if (!m_hasOpenInterest)
        consumed = nullptr;
    const bool onMark = m_params.consumeOnMark && bar.hasMark();
    const auto fromLongs = m_longs.consume(onMark ? bar.markLow : bar.low, bar.ts, m_leverageOfKind, consumed);
    const auto fromShorts = m_shorts.consume(onMark ? bar.markHigh : bar.high, bar.ts, m_leverageOfKind, consumed);
    m_ledger[0].liquidated += fromLongs.qty;
    m_ledger[1].liquidated += fromShorts.qty;

    if (bar.hasOpenInterest && std::isfinite(bar.openInterest) && bar.openInterest >= 0) {
        const double longShare = takerLongShare(bar);
        if (!m_hasOpenInterest) {
            seed(bar);
            m_hasOpenInterest = true;
            m_firstOiTime = bar.end();
        } else {
            const double change = bar.openInterest - m_previousOpenInterest;
            // Forced closes also lower OI: add them back so only voluntary flow remains. The
            // model's own consumption is capped at the OI decrease so an over-estimate cannot
            // create phantom openings.
            const bool realized = m_params.liquidationAdjust == HeatmapParams::LiquidationAdjust::Auto && bar.hasRealizedLiquidations;
            const double forced = realized ? std::max(0.0, bar.realizedLiquidationQty)
                                           : std::min(fromLongs.qty + fromShorts.qty, std::max(0.0, -change));
            const double voluntary = change + forced;
            // Turnover: positions closed at the last hour boundary come back at this bar's
            // prices, each side's in its own side (a net OI series cannot show the churn),
            // in the same levels as the bar's new positions.
            const double share = std::clamp(double(bar.durationMs) / double(hourMs), 0.0, 1.0);
            double churn[2] = {0, 0};
            for (int side = 0; side < 2; ++side) {
                churn[side] = std::max(0.0, std::min(m_churnLeft[side], m_churnPerHour[side] * share));
                m_churnLeft[side] -= churn[side];
            }
            if (voluntary > 0) {
                open(bar, voluntary, longShare, churn);
            } else {
                if (voluntary < 0)
                    close(-voluntary, longShare);
                for (int side = 0; side < 2; ++side)
                    addSide(side, bar, churn[side], 0, m_activeKinds);
            }
        }
        m_previousOpenInterest = bar.openInterest;
    } else if (!m_hasOpenInterest && m_params.initialPrior == HeatmapParams::InitialPrior::VolumeProfile && bar.volume > 0) {
        // The volume profile of the look-back: positions open at the first sample were opened
        // where volume traded (the hourly sweep keeps only the last look-back of it).
        open(bar, bar.volume, takerLongShare(bar));
        m_hasPrior = true;
    }

    if (bar.hasFunding && m_params.fundingErosion && std::isfinite(bar.fundingRate) && bar.fundingRate != 0) {
        // Funding paid per coin (USD) moves every level by paid / (1 ∓ m): longs toward price
        // when they pay, shorts away when they receive.
        const double mark = bar.hasMark() && bar.markOpen > 0 ? bar.markOpen : bar.open;
        const double paid = bar.fundingRate * mark;
        QVector<double> shiftLong(m_kinds.size()), shiftShort(m_kinds.size());
        for (qsizetype k = 0; k < m_kinds.size(); ++k) {
            shiftLong[k] = paid * m_kinds[k].fundingFactor[0];
            shiftShort[k] = paid * m_kinds[k].fundingFactor[1];
        }
        m_ledger[0].outside += m_longs.shift(shiftLong);
        m_ledger[1].outside += m_shorts.shift(shiftShort);
    }

    if (m_params.decayHalfLifeHours > 0) {
        const double factor = std::exp(-double(bar.durationMs) / (m_params.decayHalfLifeHours * hourMs) * std::log(2.0));
        m_ledger[0].decayed += m_longs.scale(factor);
        m_ledger[1].decayed += m_shorts.scale(factor);
    }

    m_time = bar.end();
    const double close = onMark ? bar.markClose : bar.close;
    if (close > 0)
        m_price = close;
    if (close > 0 && bar.durationMs > 0) {
        // Daily variance from per-bar returns, EWMA over about a day.
        if (!(m_dailyVariance > 0))
            m_dailyVariance = m_params.priorDailyVolatility * m_params.priorDailyVolatility;
        if (m_lastClose > 0) {
            const double r = std::log(close / m_lastClose);
            const double alpha = std::min(1.0, double(bar.durationMs) / double(dayMs));
            m_dailyVariance += alpha * (r * r * double(dayMs) / double(bar.durationMs) - m_dailyVariance);
        }
        m_lastClose = close;
    }

    if (floorDiv(bar.end(), hourMs) != floorDiv(bar.ts, hourMs) && m_price > 0) {
        // Hourly: the look-back expiry (whole creation hours) and the distance cut.
        const qint64 lookbackMs = qint64(m_params.lookbackHours * hourMs);
        const auto minEpoch = qint32(floorDiv(m_time - lookbackMs, hourMs) + 1);
        const double low = m_price * (1 - m_params.maxDistance), high = m_price * (1 + m_params.maxDistance);
        const auto [expiredLong, outsideLong] = m_longs.sweep(minEpoch, low, high);
        const auto [expiredShort, outsideShort] = m_shorts.sweep(minEpoch, low, high);
        m_ledger[0].expired += expiredLong;
        m_ledger[0].outside += outsideLong;
        m_ledger[1].expired += expiredShort;
        m_ledger[1].outside += outsideShort;
        turnOver();
    }
}
