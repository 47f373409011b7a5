#include "heatmapaggregate.h"

#include <algorithm>
#include <map>

HeatmapGrid HeatmapAggregate::sum(const QVector<HeatmapGrid> &members, const QStringList &names)
{
    if (members.isEmpty())
        return {};
    HeatmapGrid g = members.front(); // the reference's columns, times and price
    QStringList tiers;
    g.hasOpenInterest = true;
    g.openInterestFrom = std::numeric_limits<qint64>::min();
    g.warmUntil = std::numeric_limits<qint64>::min();
    g.predicted.clear();
    for (qsizetype k = 0; k < members.size(); ++k) {
        const HeatmapGrid &m = members[k];
        if (k > 0)
            for (qsizetype i = 0; i < g.longUsd.size() && i < m.longUsd.size(); ++i) {
                g.longUsd[i] += m.longUsd[i];
                g.shortUsd[i] += m.shortUsd[i];
            }
        g.predicted += m.predicted;
        g.hasOpenInterest = g.hasOpenInterest && m.hasOpenInterest;
        g.openInterestFrom = std::max(g.openInterestFrom, m.openInterestFrom);
        g.warmUntil = std::max(g.warmUntil, m.warmUntil);
        tiers << names.value(k) + QStringLiteral(": ") + (m.marginTiers.isEmpty() ? QStringLiteral("no data") : m.marginTiers);
    }
    std::stable_sort(g.predicted.begin(), g.predicted.end(), [](const auto &a, const auto &b) { return a.ts != b.ts ? a.ts < b.ts : a.bin < b.bin; });
    g.marginTiers = tiers.join(QStringLiteral("; "));
    return g;
}

LiquidationMap HeatmapAggregate::sum(const QVector<LiquidationMap> &members)
{
    if (members.isEmpty())
        return {};
    LiquidationMap out;
    out.time = members.front().time;
    out.price = members.front().price;
    out.hasOpenInterest = true;
    out.warmingUp = false;
    std::map<double, LiquidationMap::Level> longs, shorts; // by the bin's lower edge
    for (const LiquidationMap &m : members) {
        out.hasOpenInterest = out.hasOpenInterest && m.hasOpenInterest;
        out.warmingUp = out.warmingUp || m.warmingUp;
        for (const auto &[rows, into] : {std::pair{&m.longs, &longs}, std::pair{&m.shorts, &shorts}})
            for (const LiquidationMap::Level &l : *rows) {
                LiquidationMap::Level &s = (*into)[l.priceLow];
                s.priceLow = l.priceLow;
                s.priceHigh = l.priceHigh;
                s.usd += l.usd;
            }
    }
    if (!out.hasOpenInterest)
        return out;
    // Longs below the (reference) price, descending; shorts above it, ascending.
    double sum = 0;
    for (auto it = longs.rbegin(); it != longs.rend(); ++it) {
        it->second.cumulativeUsd = sum += it->second.usd;
        out.longs.push_back(it->second);
    }
    sum = 0;
    for (auto &entry : shorts) {
        entry.second.cumulativeUsd = sum += entry.second.usd;
        out.shorts.push_back(entry.second);
    }
    return out;
}

HeatmapConsumption HeatmapAggregate::sum(const QVector<HeatmapConsumption> &members, TimeRange range)
{
    HeatmapConsumption out;
    out.range = range;
    if (members.isEmpty())
        return out;
    out.hasOpenInterest = true;
    out.warmUntil = std::numeric_limits<qint64>::min();
    for (const HeatmapConsumption &m : members) {
        out.hasOpenInterest = out.hasOpenInterest && m.hasOpenInterest;
        out.warmUntil = std::max(out.warmUntil, m.warmUntil);
    }
    if (!out.hasOpenInterest)
        return out;
    // Counted only where every member counted: a member still warming up is unknown there.
    out.counted = members.front().counted;
    for (const HeatmapConsumption &m : members) {
        if (!m.isKnown() || m.counted != out.counted) {
            out.counted = {};
            return out;
        }
        out.longUsd += m.longUsd;
        out.shortUsd += m.shortUsd;
        out.zones += m.zones;
    }
    std::stable_sort(out.zones.begin(), out.zones.end(), [](const HeatmapZone &a, const HeatmapZone &b) { return a.notionalUsd > b.notionalUsd; });
    return out;
}
