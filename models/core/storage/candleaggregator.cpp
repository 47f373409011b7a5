#include "candleaggregator.h"

#include <algorithm>

namespace CandleAggregator {

Candle aggregate(qint64 bucketTs, std::span<const Candle> bars)
{
    Candle out;
    out.ts = bucketTs;
    if (bars.empty())
        return out;
    out.open = bars.front().open;
    out.close = bars.back().close;
    out.high = bars.front().high;
    out.low = bars.front().low;
    for (const Candle &c : bars) {
        out.high = std::max(out.high, c.high);
        out.low = std::min(out.low, c.low);
        out.volume += c.volume;
        out.quoteVolume += c.quoteVolume;
        out.takerBuyVolume += c.takerBuyVolume;
    }
    return out;
}

QVector<Candle> toTimeframe(std::span<const Candle> bars, Timeframe tf)
{
    QVector<Candle> out;
    size_t i = 0;
    while (i < bars.size()) {
        const qint64 bucket = Timeframes::floor(tf, bars[i].ts);
        size_t j = i + 1;
        while (j < bars.size() && Timeframes::floor(tf, bars[j].ts) == bucket)
            ++j;
        out.push_back(aggregate(bucket, bars.subspan(i, j - i)));
        i = j;
    }
    return out;
}

QVector<Candle> normalized(const QVector<Candle> &bars)
{
    QVector<Candle> out = bars;
    std::stable_sort(out.begin(), out.end(), [](const Candle &a, const Candle &b) { return a.ts < b.ts; });
    // keep the last of equal timestamps
    QVector<Candle> unique;
    unique.reserve(out.size());
    for (const Candle &c : out) {
        if (!unique.isEmpty() && unique.back().ts == c.ts)
            unique.back() = c;
        else
            unique.push_back(c);
    }
    return unique;
}

} // namespace CandleAggregator
