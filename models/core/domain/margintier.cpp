#include "margintier.h"

#include <algorithm>

namespace MarginTiers {

QString check(const QVector<MarginTier> &tiers)
{
    for (qsizetype i = 0; i < tiers.size(); ++i) {
        const MarginTier &t = tiers[i];
        const QString which = QStringLiteral("margin tier %1").arg(t.tier);
        if (t.tier != i + 1)
            return QStringLiteral("%1 is at position %2 (tiers must be numbered 1, 2, ... from the lowest notional)").arg(which).arg(i + 1);
        if (!std::isfinite(t.floor) || !std::isfinite(t.cap) || t.floor < 0 || t.cap <= t.floor || t.cap > 1e17)
            return QStringLiteral("%1 has notional bounds %2 .. %3 (expected 0 <= floor < cap)").arg(which).arg(t.floor).arg(t.cap);
        if (i > 0 && t.floor != tiers[i - 1].cap)
            return QStringLiteral("%1 starts at %2, not where tier %3 ends (%4)").arg(which).arg(t.floor).arg(i).arg(tiers[i - 1].cap);
        if (!(t.mmr > 0 && t.mmr < 1))
            return QStringLiteral("%1 has maintenance margin rate %2 (expected a fraction between 0 and 1)").arg(which).arg(t.mmr);
        if (t.hasCum() ? std::abs(t.cum) > 1e15 : !std::isnan(t.cum))
            return QStringLiteral("%1 has maintenance amount %2").arg(which).arg(t.cum);
        if (!(t.maxLeverage >= 1 && t.maxLeverage <= 1e4))
            return QStringLiteral("%1 has maximum leverage %2 (expected 1 or more)").arg(which).arg(t.maxLeverage);
        if (!(t.referencePrice >= 0 && std::isfinite(t.referencePrice)))
            return QStringLiteral("%1 has reference price %2").arg(which).arg(t.referencePrice);
    }
    return {};
}

void deriveCum(QVector<MarginTier> &tiers)
{
    for (qsizetype i = 0; i < tiers.size(); ++i) {
        if (tiers[i].hasCum())
            continue;
        tiers[i].cum = i == 0 ? 0.0 : tiers[i].floor * (tiers[i].mmr - tiers[i - 1].mmr) + tiers[i - 1].cum;
    }
}

void normalise(QVector<MarginTier> &tiers)
{
    std::sort(tiers.begin(), tiers.end(), [](const MarginTier &a, const MarginTier &b) { return a.cap < b.cap; });
    for (qsizetype i = 0; i < tiers.size(); ++i) {
        tiers[i].tier = int(i + 1);
        if (i > 0)
            tiers[i].floor = tiers[i - 1].cap;
    }
}

} // namespace MarginTiers
