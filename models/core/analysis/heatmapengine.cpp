#include "heatmapengine.h"

#include "liquidationprice.h"

#include <cmath>

namespace {

constexpr qint64 hourMs = 3'600'000;

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

} // namespace

HeatmapEngine::HeatmapEngine(const HeatmapParams &params)
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
        const auto lp = LiquidationPrice::forLong(1.0, leverage, notional, LiquidationPrice::binanceBtcUsdt(), params.feeBuffer);
        const auto sp = LiquidationPrice::forShort(1.0, leverage, notional, LiquidationPrice::binanceBtcUsdt(), params.feeBuffer);
        k.ratio[0] = lp.price;
        k.ratio[1] = sp.price;
        k.fundingFactor[0] = 1.0 / (1.0 - LiquidationPrice::binanceBtcUsdt()[lp.bracket].mmr);
        k.fundingFactor[1] = 1.0 / (1.0 + LiquidationPrice::binanceBtcUsdt()[sp.bracket].mmr);
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

void HeatmapEngine::addSide(int side, const HeatmapBar &bar, double qty, int firstKind, int endKind)
{
    if (!(qty > 0))
        return;
    HeatmapBook &book = side == 0 ? m_longs : m_shorts;
    const auto epoch = qint32(floorDiv(bar.ts, hourMs));
    const double vwap = bar.vwap > 0 ? bar.vwap : (bar.high + bar.low + bar.close) / 3.0;
    const int entries = m_params.subEntries > 1 && bar.high > bar.low ? m_params.subEntries : 1;
    const double share = qty / entries;
    double added = 0;
    for (int j = 0; j < entries; ++j) {
        // Entry uncertainty: K equal parts spread evenly over the bar's range (models.md §1.6.3).
        const double entry = entries == 1 ? vwap : bar.low + (j + 0.5) * (bar.high - bar.low) / entries;
        if (!(entry > 0))
            continue;
        const double logEntry = std::log(entry);
        for (int k = firstKind; k < endKind; ++k) {
            const Kind &kind = m_kinds[k];
            const double q = share * kind.weight;
            if (!(q > 0))
                continue;
            book.add(entry * kind.ratio[side], logEntry + kind.logRatio[side], q, epoch, quint16(k));
            added += q;
        }
    }
    m_ledger[side].opened += added;
}

void HeatmapEngine::open(const HeatmapBar &bar, double qty, double longShare)
{
    addSide(0, bar, qty * longShare, 0, m_activeKinds);
    addSide(1, bar, qty * (1 - longShare), 0, m_activeKinds);
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

void HeatmapEngine::step(const HeatmapBar &bar, QVector<PredictedLiquidation> *consumed)
{
    const bool onMark = m_params.consumeOnMark && bar.hasMark();
    const auto fromLongs = m_longs.consume(onMark ? bar.markLow : bar.low, bar.ts, m_leverageOfKind, consumed);
    const auto fromShorts = m_shorts.consume(onMark ? bar.markHigh : bar.high, bar.ts, m_leverageOfKind, consumed);
    m_ledger[0].liquidated += fromLongs.qty;
    m_ledger[1].liquidated += fromShorts.qty;

    if (bar.hasOpenInterest && std::isfinite(bar.openInterest) && bar.openInterest >= 0) {
        const double longShare = takerLongShare(bar);
        if (!m_hasOpenInterest) {
            // Positions opened before the history starts: assume they were opened here, half
            // long, half short (a static map that the look-back ages out).
            if (m_params.seedInitialOpenInterest)
                open(bar, bar.openInterest, 0.5);
            m_hasOpenInterest = true;
        } else {
            const double change = bar.openInterest - m_previousOpenInterest;
            // Forced closes also lower OI: add them back so only voluntary flow remains. The
            // model's own consumption is capped at the OI decrease so an over-estimate cannot
            // create phantom openings.
            const bool realized = m_params.liquidationAdjust == HeatmapParams::LiquidationAdjust::Auto && bar.hasRealizedLiquidations;
            const double forced = realized ? std::max(0.0, bar.realizedLiquidationQty)
                                           : std::min(fromLongs.qty + fromShorts.qty, std::max(0.0, -change));
            const double voluntary = change + forced;
            if (voluntary > 0)
                open(bar, voluntary, longShare);
            else if (voluntary < 0)
                close(-voluntary, longShare);
        }
        m_previousOpenInterest = bar.openInterest;
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
    }
}
