#include "candlebuilder.h"

#include "domain/timeframe.h"

#include <algorithm>
#include <cmath>

namespace {
// Trade sizes and prices are decimals (lots of 0.001 BTC, ticks of 0.1 USDT); their sums in
// doubles are not (0.436 summed from lots is 0.4360000000000002), and that noise reached
// CSV exports. Sums are rounded to the 8 decimals exchanges quote with (fewer where the value
// is so large that 8 would exceed a double's precision), which is the decimal they are.
double decimal(double v)
{
    const double magnitude = std::abs(v);
    if (magnitude == 0 || !std::isfinite(v))
        return v;
    const int digits = int(std::floor(std::log10(magnitude))) + 1;
    const int decimals = std::min(8, 15 - digits);
    if (decimals <= 0)
        return v;
    const double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

Candle withDecimalSums(Candle c)
{
    c.volume = decimal(c.volume);
    c.quoteVolume = decimal(c.quoteVolume);
    c.takerBuyVolume = decimal(c.takerBuyVolume);
    return c;
}
} // namespace

void CandleBuilder::roll(qint64 minute, double price)
{
    if (m_open && m_open->ts == minute)
        return;
    if (m_open && minute < m_open->ts)
        return; // late tick for a closed minute: the caller already got that bar
    if (m_open)
        m_closed.push_back(*m_open);
    m_open = Candle{minute, price, price, price, price, 0, 0, 0};
}

void CandleBuilder::addTrade(qint64 ts, double price, double qty, bool takerBuy)
{
    const qint64 minute = Timeframes::floor(Timeframe::M1, ts);
    roll(minute, price);
    if (m_open->ts != minute)
        return;
    Candle &c = *m_open;
    c.high = std::max(c.high, price);
    c.low = std::min(c.low, price);
    c.close = price;
    c.volume += qty;
    c.quoteVolume += qty * price;
    if (takerBuy)
        c.takerBuyVolume += qty;
    m_dirty = true;
}

void CandleBuilder::addSample(qint64 ts, double price)
{
    addTrade(ts, price, 0, false);
}

QVector<Candle> CandleBuilder::take()
{
    QVector<Candle> out = std::move(m_closed);
    m_closed.clear();
    if (m_open && m_dirty)
        out.push_back(*m_open);
    m_dirty = false;
    for (Candle &c : out)
        c = withDecimalSums(c);
    return out;
}
