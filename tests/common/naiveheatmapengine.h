#pragma once

#include "analysis/heatmapbar.h"
#include "analysis/heatmapengine.h"
#include "analysis/heatmapparams.h"
#include "analysis/liquidationprice.h"
#include "analysis/logpricegrid.h"
#include "analysis/predictedliquidation.h"

#include <QMap>
#include <QVector>
#include <algorithm>
#include <cmath>

// A deliberately naive RLH-1: one flat list of cohorts, every bar rescans all of them. It is
// the test oracle for HeatmapEngine (with levelResolution = 0 both must agree bin for bin)
// and the benchmark's same-run baseline. Each cohort remembers the bar that created it, so
// tests can check "consumed exactly when the mark crosses it" directly.
class NaiveHeatmapEngine
{
public:
    struct Cohort
    {
        int side = 0; // 0 long, 1 short
        double price = 0;
        double qty = 0;
        qint32 epoch = 0;
        int kind = 0;
        qint64 createdBar = 0; // index of the creating bar
        double extremeSince = 0; // lowest mark low (long) / highest mark high (short) since creation
    };

    explicit NaiveHeatmapEngine(const HeatmapParams &p)
        : m_p(p)
        , m_grid(p.binStep)
    {
        double tw = 0, sw = 0;
        for (auto &t : p.tiers)
            tw += t.weight;
        for (auto &s : p.sizes)
            sw += s.weight;
        for (auto &t : p.tiers)
            for (auto &s : p.sizes)
                m_kinds.push_back({t.leverage, t.weight / tw * s.weight / sw, s.notional});
        m_active = int(m_kinds.size());
        for (auto &s : p.sizes)
            m_kinds.push_back({p.passiveLeverage, s.weight / sw, s.notional});
    }

    QVector<Cohort> cohorts;
    qint64 bars = 0;

    void step(const HeatmapBar &bar, QVector<PredictedLiquidation> *out = nullptr)
    {
        const bool onMark = m_p.consumeOnMark && bar.hasMark();
        const double lo = onMark ? bar.markLow : bar.low, hi = onMark ? bar.markHigh : bar.high;
        double consumedQty = 0;
        QVector<Cohort> kept;
        for (Cohort c : std::as_const(cohorts)) {
            const bool hit = c.side == 0 ? c.price >= lo : c.price <= hi;
            if (hit) {
                consumedQty += c.qty;
                if (out && m_hasOi)
                    out->push_back({bar.ts, c.side == 0 ? Liquidation::Side::Long : Liquidation::Side::Short, c.price, c.qty,
                                    m_kinds[c.kind].leverage});
                continue;
            }
            c.extremeSince = c.side == 0 ? std::min(c.extremeSince, lo) : std::max(c.extremeSince, hi);
            kept.push_back(c);
        }
        cohorts = kept;

        if (bar.hasOpenInterest) {
            double wl = 0.5;
            if (bar.volume > 0)
                wl = std::clamp(bar.takerBuyVolume / bar.volume, 0.0, 1.0);
            else
                wl = bar.close > bar.open ? 1 : bar.close < bar.open ? 0 : 0.5;
            if (!m_hasOi) {
                seed(bar, wl);
                m_hasOi = true;
            } else {
                const double change = bar.openInterest - m_prevOi;
                const bool realized = m_p.liquidationAdjust == HeatmapParams::LiquidationAdjust::Auto && bar.hasRealizedLiquidations;
                const double forced = realized ? bar.realizedLiquidationQty : std::min(consumedQty, std::max(0.0, -change));
                const double v = change + forced;
                if (v > 0)
                    open(bar, v, wl);
                else if (v < 0)
                    close(-v, wl);
            }
            m_prevOi = bar.openInterest;
        } else if (!m_hasOi && m_p.initialPrior == HeatmapParams::InitialPrior::VolumeProfile && bar.volume > 0) {
            const double wl = std::clamp(bar.takerBuyVolume / bar.volume, 0.0, 1.0);
            open(bar, bar.volume, wl);
            m_hasPrior = true;
        }
        if (bar.hasFunding && m_p.fundingErosion && bar.fundingRate != 0) {
            const double mark = bar.hasMark() && bar.markOpen > 0 ? bar.markOpen : bar.open;
            const double paid = bar.fundingRate * mark;
            QVector<Cohort> k2;
            for (Cohort c : std::as_const(cohorts)) {
                const auto &k = m_kinds[c.kind];
                const auto r = c.side == 0 ? LiquidationPrice::forLong(1.0, k.leverage, k.notional, LiquidationPrice::binanceBtcUsdt(), m_p.feeBuffer)
                                           : LiquidationPrice::forShort(1.0, k.leverage, k.notional, LiquidationPrice::binanceBtcUsdt(), m_p.feeBuffer);
                const double m = LiquidationPrice::binanceBtcUsdt()[r.bracket].mmr;
                c.price += paid * (c.side == 0 ? 1.0 / (1.0 - m) : 1.0 / (1.0 + m));
                if (c.price > 0)
                    k2.push_back(c);
            }
            cohorts = k2;
        }
        if (m_p.decayHalfLifeHours > 0) {
            const double f = std::exp(-double(bar.durationMs) / (m_p.decayHalfLifeHours * 3'600'000) * std::log(2.0));
            for (Cohort &c : cohorts)
                c.qty *= f;
        }
        m_time = bar.end();
        const double close = onMark ? bar.markClose : bar.close;
        if (close > 0)
            m_price = close;
        if (floorDiv(bar.end(), 3'600'000) != floorDiv(bar.ts, 3'600'000) && m_price > 0) {
            const auto minEpoch = qint32(floorDiv(m_time - qint64(m_p.lookbackHours * 3'600'000), 3'600'000) + 1);
            const int lowBin = m_grid.binOf(m_price * (1 - m_p.maxDistance)), highBin = m_grid.binOf(m_price * (1 + m_p.maxDistance));
            QVector<Cohort> k3;
            for (const Cohort &c : std::as_const(cohorts)) {
                const int b = m_grid.binOf(c.price);
                if (c.epoch >= minEpoch && b >= lowBin && b <= highBin)
                    k3.push_back(c);
            }
            cohorts = k3;
        }
        ++bars;
    }

    // Notional per bin of one side (0 long, 1 short).
    QMap<int, double> bins(int side) const
    {
        QMap<int, double> out;
        for (const Cohort &c : cohorts)
            if (c.side == side)
                out[m_grid.binOf(c.price)] += c.price * c.qty;
        return out;
    }
    double quantity(int side) const
    {
        double q = 0;
        for (const Cohort &c : cohorts)
            if (c.side == side)
                q += c.qty;
        return q;
    }

private:
    struct Kind
    {
        double leverage, weight, notional;
    };
    static qint64 floorDiv(qint64 a, qint64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

    void addSide(int side, const HeatmapBar &bar, double qty, int k0, int k1)
    {
        if (!(qty > 0))
            return;
        const double vwap = bar.vwap > 0 ? bar.vwap : (bar.high + bar.low + bar.close) / 3.0;
        const int n = m_p.subEntries > 1 && bar.high > bar.low ? m_p.subEntries : 1;
        for (int j = 0; j < n; ++j) {
            const double e = n == 1 ? vwap : bar.low + (j + 0.5) * (bar.high - bar.low) / n;
            for (int k = k0; k < k1; ++k) {
                const auto &kind = m_kinds[k];
                const auto r = side == 0 ? LiquidationPrice::forLong(e, kind.leverage, kind.notional, LiquidationPrice::binanceBtcUsdt(), m_p.feeBuffer)
                                         : LiquidationPrice::forShort(e, kind.leverage, kind.notional, LiquidationPrice::binanceBtcUsdt(), m_p.feeBuffer);
                const double q = qty / n * kind.weight;
                if (q > 0 && r.price > 0)
                    cohorts.push_back({side, r.price, q, qint32(floorDiv(bar.ts, 3'600'000)), k, bars, side == 0 ? 1e300 : 0});
            }
        }
    }
    void addAt(int side, double e, double qty, qint32 epoch)
    {
        for (int k = 0; k < m_active; ++k) {
            const auto &kind = m_kinds[k];
            const auto r = side == 0 ? LiquidationPrice::forLong(e, kind.leverage, kind.notional, LiquidationPrice::binanceBtcUsdt(), m_p.feeBuffer)
                                     : LiquidationPrice::forShort(e, kind.leverage, kind.notional, LiquidationPrice::binanceBtcUsdt(), m_p.feeBuffer);
            const double q = qty * kind.weight;
            if (q > 0 && r.price > 0)
                cohorts.push_back({side, r.price, q, epoch, k, bars, side == 0 ? 1e300 : 0});
        }
    }
    // The initial open interest (HeatmapParams::InitialPrior), written out plainly.
    void seed(const HeatmapBar &bar, double)
    {
        const double oi = bar.openInterest;
        if (m_p.initialPrior == HeatmapParams::InitialPrior::None)
            return;
        if (m_p.initialPrior == HeatmapParams::InitialPrior::FirstBar) {
            open(bar, oi, 0.5);
            return;
        }
        if (m_hasPrior && !cohorts.isEmpty()) {
            open(bar, bar.volume, bar.volume > 0 ? std::clamp(bar.takerBuyVolume / bar.volume, 0.0, 1.0) : 0.5);
        } else {
            const qint64 firstHour = floorDiv(bar.end(), 3'600'000);
            for (const auto &e : HeatmapEngine::randomWalkPrior(m_p))
                for (int side = 0; side < 2; ++side)
                    addAt(side, bar.close * std::exp(e.logOffset), e.share * 0.5, qint32(firstHour - qint64(std::ceil(e.ageHours)) + 1));
        }
        const bool onMark = m_p.consumeOnMark && bar.hasMark();
        const double lo = std::min(onMark ? bar.markLow : bar.low, bar.close), hi = std::max(onMark ? bar.markHigh : bar.high, bar.close);
        cohorts.erase(std::remove_if(cohorts.begin(), cohorts.end(), [&](const Cohort &c) { return c.side == 0 ? c.price >= lo : c.price <= hi; }),
                      cohorts.end());
        double have = 0;
        for (const Cohort &c : std::as_const(cohorts))
            have += c.qty;
        for (Cohort &c : cohorts)
            c.qty *= have > 0 ? oi / have : 0;
        if (!(have > 0 && oi > 0))
            cohorts.clear();
    }
    void open(const HeatmapBar &bar, double qty, double wl)
    {
        addSide(0, bar, qty * wl, 0, m_active);
        addSide(1, bar, qty * (1 - wl), 0, m_active);
        if (m_p.passiveShare > 0) {
            addSide(0, bar, m_p.passiveShare * qty * (1 - wl), m_active, int(m_kinds.size()));
            addSide(1, bar, m_p.passiveShare * qty * wl, m_active, int(m_kinds.size()));
        }
    }
    void close(double qty, double wl)
    {
        const double want[2] = {qty * (1 - wl), qty * wl};
        for (int side = 0; side < 2; ++side) {
            const double have = quantity(side);
            if (!(have > 0) || !(want[side] > 0))
                continue;
            const double f = std::min(1.0, want[side] / have);
            if (f >= 1) {
                cohorts.erase(std::remove_if(cohorts.begin(), cohorts.end(), [side](const Cohort &c) { return c.side == side; }), cohorts.end());
                continue;
            }
            for (Cohort &c : cohorts)
                if (c.side == side)
                    c.qty *= 1 - f;
        }
    }

    HeatmapParams m_p;
    LogPriceGrid m_grid;
    QVector<Kind> m_kinds;
    int m_active = 0;
    bool m_hasOi = false;
    bool m_hasPrior = false;
    double m_prevOi = 0;
    qint64 m_time = 0;
    double m_price = 0;
};
