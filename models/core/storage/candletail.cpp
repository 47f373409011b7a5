#include "candletail.h"

#include "domain/timeframe.h"

#include <algorithm>

void CandleTail::reset(qint64 end, qint64 day, QVector<Candle> barsOfDay)
{
    m_end = end;
    m_day = day;
    m_bars = std::move(barsOfDay);
    m_valid = true;
}

void CandleTail::merge(std::span<const Candle> batch)
{
    if (!m_valid || batch.empty())
        return;
    const qint64 lastDay = Timeframes::floor(Timeframe::D1, batch.back().ts);
    if (lastDay > m_day) {
        // Nothing was stored at or after m_end, which lies before lastDay: that day holds
        // exactly the batch's bars.
        m_day = lastDay;
        m_bars.clear();
    }
    for (const Candle &c : batch) {
        if (Timeframes::floor(Timeframe::D1, c.ts) != m_day)
            continue;
        auto it = std::lower_bound(m_bars.begin(), m_bars.end(), c.ts, [](const Candle &a, qint64 t) { return a.ts < t; });
        if (it != m_bars.end() && it->ts == c.ts)
            *it = c;
        else
            m_bars.insert(it, c);
    }
    m_end = std::max(m_end, batch.back().ts + Timeframes::minuteMs);
}

std::span<const Candle> CandleTail::bars(qint64 from, qint64 to) const
{
    auto b = std::lower_bound(m_bars.cbegin(), m_bars.cend(), from, [](const Candle &a, qint64 t) { return a.ts < t; });
    auto e = std::lower_bound(b, m_bars.cend(), to, [](const Candle &a, qint64 t) { return a.ts < t; });
    return {m_bars.constData() + (b - m_bars.cbegin()), size_t(e - b)};
}
