#include "orderbook.h"

#include "simunits.h"

#include <algorithm>
#include <cmath>

OrderBook::OrderBook(const Config &config)
    : m_config(config)
    , m_reference(config.referenceTick)
    , m_decayPerSecond(1.0 / config.resilienceSeconds)
{
    m_profile.resize(size_t(config.maxDepthTicks) + 1);
    m_cumulative.resize(m_profile.size());
    for (int d = 1; d <= config.maxDepthTicks; ++d) {
        m_profile[size_t(d)] = std::pow(double(d), config.gamma) * std::exp(-d / config.decayTicks);
        m_cumulative[size_t(d)] = m_cumulative[size_t(d - 1)] + m_profile[size_t(d)];
    }
    const int span = config.maxDepthTicks * 4;
    m_tickBase = config.referenceTick - span / 2;
    m_bids.resize(size_t(span));
    m_asks.resize(size_t(span));
}

double OrderBook::profileSum(int ticks) const
{
    return m_cumulative[size_t(std::clamp(ticks, 0, m_config.maxDepthTicks))];
}

double OrderBook::quotedDepth(int side, double fraction) const
{
    const int ticks = std::clamp(int(m_reference * fraction), 0, m_config.maxDepthTicks);
    double coins = (side < 0 ? m_bidScale : m_askScale) * m_cumulative[size_t(ticks)];
    // The ladder's part of [R, R ± ticks]: base · m + density · m² / 2 over the m ticks beyond its start.
    const double start = side < 0 ? m_anchor.bidStart : m_anchor.askStart;
    const double edge = side < 0 ? m_reference - ticks : m_reference + ticks;
    const double m = std::clamp(side < 0 ? start - edge : edge - start, 0.0, double(ticks));
    coins += std::min(m_anchor.base * m + m_anchor.density * m * m / 2.0, SimUnits::coins(side < 0 ? m_anchor.bidLots : m_anchor.askLots));
    return coins;
}

OrderBook::Level *OrderBook::level(int side, int tick)
{
    int index = tick - m_tickBase;
    if (index < 0 || index >= int(m_bids.size())) {
        // Re-centre the window on this tick; deficits outside it have long decayed anyway.
        const int span = int(m_bids.size());
        const int newBase = tick - span / 2;
        std::vector<Level> bids(static_cast<size_t>(span)), asks(static_cast<size_t>(span));
        for (int i = 0; i < span; ++i) {
            const int j = i + newBase - m_tickBase;
            if (j >= 0 && j < span) {
                bids[size_t(i)] = m_bids[size_t(j)];
                asks[size_t(i)] = m_asks[size_t(j)];
            }
        }
        m_bids.swap(bids);
        m_asks.swap(asks);
        m_tickBase = newBase;
        index = tick - m_tickBase;
    }
    return side < 0 ? &m_bids[size_t(index)] : &m_asks[size_t(index)];
}

double OrderBook::deficitAt(const Level &l, qint64 now) const
{
    if (l.deficit <= 0)
        return 0;
    return l.deficit * std::exp(-double(now - l.stamp) * m_decayPerSecond);
}

double OrderBook::makerCoins(int side, int tick, qint64 now) const
{
    const int d = side < 0 ? m_reference - tick : tick - m_reference;
    if (d < 1 || d > m_config.maxDepthTicks)
        return 0;
    const double target = (side < 0 ? m_bidScale : m_askScale) * m_profile[size_t(d)];
    const int index = tick - m_tickBase;
    const double deficit = index >= 0 && index < int(m_bids.size()) ? deficitAt(side < 0 ? m_bids[size_t(index)] : m_asks[size_t(index)], now) : 0;
    return std::max(0.0, target - deficit);
}

double OrderBook::anchorCoins(int side, int tick) const
{
    const double beyond = side < 0 ? m_anchor.bidStart - tick : tick - m_anchor.askStart;
    if (beyond <= 0)
        return 0;
    return std::min(m_anchor.base + m_anchor.density * beyond, SimUnits::coins(side < 0 ? m_anchor.bidLots : m_anchor.askLots));
}

qint64 OrderBook::market(int takerSide, qint64 lots, qint64 now, std::vector<Fill> &out, int limitTick)
{
    const int side = takerSide > 0 ? 1 : -1; // book side walked: asks for a buy
    RestingMap &resting = takerSide > 0 ? m_restingAsks : m_restingBids;
    const double scale = side < 0 ? m_bidScale : m_askScale;
    qint64 left = lots;
    int lastTick = 0;
    bool lastHasMore = false;
    int maxDepth = side < 0 ? std::min(m_config.maxDepthTicks, m_reference - 1) : m_config.maxDepthTicks;
    if (limitTick > 0)
        maxDepth = std::min(maxDepth, side < 0 ? m_reference - limitTick : limitTick - m_reference);
    for (int d = 1; d <= maxDepth && left > 0; ++d) {
        const int tick = m_reference + side * d;
        bool filledHere = false;
        if (!resting.empty()) {
            auto it = resting.find(tick);
            if (it != resting.end()) {
                auto &queue = it->second;
                size_t used = 0;
                for (; used < queue.size() && left > 0; ++used) {
                    Resting &r = queue[used];
                    const qint64 take = std::min(left, r.lots);
                    out.push_back({tick, take, r.owner});
                    r.lots -= take;
                    left -= take;
                    filledHere = true;
                    if (r.lots > 0)
                        break;
                }
                queue.erase(queue.begin(), queue.begin() + qsizetype(used));
                if (queue.empty())
                    resting.erase(it);
                if (left == 0) {
                    lastTick = tick;
                    lastHasMore = true; // the maker's quote at this level is untouched
                    break;
                }
            }
        }
        Level *l = level(side, tick);
        const double deficit = deficitAt(*l, now);
        const double avail = scale * m_profile[size_t(d)] - deficit;
        const qint64 availLots = avail > 0 ? SimUnits::lotsFloor(avail) : 0;
        if (availLots > 0) {
            const qint64 take = std::min(left, availLots);
            out.push_back({tick, take, marketMaker});
            l->deficit = deficit + SimUnits::coins(take);
            l->stamp = now;
            left -= take;
            filledHere = true;
            lastHasMore = availLots > take;
        } else if (filledHere) {
            lastHasMore = false;
        }
        if (left > 0) {
            const qint64 anchorLots = SimUnits::lotsFloor(anchorCoins(side, tick));
            if (anchorLots > 0) {
                const qint64 take = std::min(left, anchorLots);
                out.push_back({tick, take, m_anchor.owner});
                (side < 0 ? m_anchor.bidLots : m_anchor.askLots) -= take;
                left -= take;
                filledHere = true;
                lastHasMore = anchorLots > take;
            }
        }
        if (filledHere)
            lastTick = tick;
    }
    const qint64 filled = lots - left;
    if (filled > 0) {
        if (takerSide < 0)
            m_reference = lastHasMore ? lastTick + 1 : lastTick;
        else
            m_reference = lastHasMore ? lastTick - 1 : lastTick;
    }
    return filled;
}

double OrderBook::impactPrice(int takerSide, double notional, qint64 now) const
{
    const int side = takerSide > 0 ? 1 : -1;
    const RestingMap &resting = takerSide > 0 ? m_restingAsks : m_restingBids;
    double coins = 0, quote = 0;
    const int maxDepth = side < 0 ? std::min(m_config.maxDepthTicks, m_reference - 1) : m_config.maxDepthTicks;
    for (int d = 1; d <= maxDepth; ++d) {
        const int tick = m_reference + side * d;
        double avail = makerCoins(side, tick, now) + anchorCoins(side, tick);
        if (!resting.empty())
            if (auto it = resting.find(tick); it != resting.end())
                for (const Resting &r : it->second)
                    avail += SimUnits::coins(r.lots);
        const double price = tick * SimUnits::tickSize;
        const double need = (notional - quote) / price;
        if (avail >= need) {
            coins += need;
            quote = notional;
            return quote / coins;
        }
        coins += avail;
        quote += avail * price;
    }
    return 0;
}

double OrderBook::depthWithin(int side, double fraction, qint64 now) const
{
    const int ticks = int(m_reference * SimUnits::tickSize * fraction / SimUnits::tickSize);
    double coins = 0;
    for (int d = 1; d <= std::min(ticks, m_config.maxDepthTicks); ++d)
        coins += makerCoins(side, m_reference + (side < 0 ? -d : d), now) + anchorCoins(side, m_reference + (side < 0 ? -d : d));
    return coins;
}

void OrderBook::addResting(int side, int tick, quint32 owner, qint64 lots)
{
    (side < 0 ? m_restingBids : m_restingAsks)[tick].push_back({owner, lots});
}

qint64 OrderBook::cancelResting(int side, int tick, quint32 owner)
{
    RestingMap &map = side < 0 ? m_restingBids : m_restingAsks;
    auto it = map.find(tick);
    if (it == map.end())
        return 0;
    auto &queue = it->second;
    for (auto q = queue.begin(); q != queue.end(); ++q) {
        if (q->owner == owner) {
            const qint64 left = q->lots;
            queue.erase(q);
            if (queue.empty())
                map.erase(it);
            return left;
        }
    }
    return 0;
}

std::vector<OrderBook::Crossed> OrderBook::takeCrossed()
{
    std::vector<Crossed> crossed;
    for (auto it = m_restingBids.lower_bound(m_reference); it != m_restingBids.end();) {
        for (const Resting &r : it->second)
            crossed.push_back({-1, it->first, r});
        it = m_restingBids.erase(it);
    }
    for (auto it = m_restingAsks.begin(); it != m_restingAsks.end() && it->first <= m_reference;) {
        for (const Resting &r : it->second)
            crossed.push_back({1, it->first, r});
        it = m_restingAsks.erase(it);
    }
    return crossed;
}

qsizetype OrderBook::restingCount() const
{
    qsizetype n = 0;
    for (const auto &[tick, q] : m_restingBids)
        n += qsizetype(q.size());
    for (const auto &[tick, q] : m_restingAsks)
        n += qsizetype(q.size());
    return n;
}
