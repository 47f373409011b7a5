#include "candlebuilder.h"

#include "domain/timeframe.h"

#include <algorithm>

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
    return out;
}
