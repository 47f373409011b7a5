#include "priceladder.h"

#include <algorithm>

PriceLadder::PriceLadder(Order order, const LogPriceGrid &grid)
    : m_order(order)
    , m_grid(grid)
{
}

bool PriceLadder::before(const Entry &a, const Entry &b) const
{
    // Sorted so the back of a bucket triggers first; ties by id keep the order total.
    if (a.price != b.price)
        return m_order == Order::HighestFirst ? a.price < b.price : a.price > b.price;
    return a.id > b.id;
}

std::vector<PriceLadder::Entry> &PriceLadder::bucketFor(int bin)
{
    if (m_buckets.empty()) {
        m_base = bin - 64;
        m_buckets.resize(128);
    }
    if (bin < m_base) {
        const int grow = std::max(m_base - bin, int(m_buckets.size()) / 2) + 16;
        m_buckets.insert(m_buckets.begin(), size_t(grow), {});
        m_base -= grow;
        if (m_first >= 0)
            m_first += grow;
    } else if (bin >= m_base + int(m_buckets.size())) {
        const int need = bin - m_base + 1;
        m_buckets.resize(size_t(std::max(need + 16, int(m_buckets.size()) * 3 / 2)));
    }
    return m_buckets[size_t(bin - m_base)];
}

void PriceLadder::insert(quint32 id, double price)
{
    const int bin = m_grid.binOf(price);
    auto &bucket = bucketFor(bin);
    const Entry e{price, id};
    bucket.insert(std::upper_bound(bucket.begin(), bucket.end(), e, [this](const Entry &a, const Entry &b) { return before(a, b); }), e);
    ++m_size;
    const int index = bin - m_base;
    if (m_first < 0 || (m_order == Order::HighestFirst ? index > m_first : index < m_first))
        m_first = index;
}

bool PriceLadder::remove(quint32 id, double price)
{
    const int index = m_grid.binOf(price) - m_base;
    if (index < 0 || index >= int(m_buckets.size()))
        return false;
    auto &bucket = m_buckets[size_t(index)];
    const Entry e{price, id};
    auto it = std::lower_bound(bucket.begin(), bucket.end(), e, [this](const Entry &a, const Entry &b) { return before(a, b); });
    if (it == bucket.end() || it->id != id || it->price != price)
        return false;
    bucket.erase(it);
    --m_size;
    if (bucket.empty() && index == m_first)
        findFirst();
    return true;
}

void PriceLadder::popFront()
{
    auto &bucket = m_buckets[size_t(m_first)];
    bucket.pop_back();
    --m_size;
    if (bucket.empty())
        findFirst();
}

void PriceLadder::findFirst()
{
    if (m_size == 0) {
        m_first = -1;
        return;
    }
    // The front moved away from the trigger end: walk towards the other end.
    const int n = int(m_buckets.size());
    if (m_order == Order::HighestFirst) {
        int i = m_first < 0 ? n - 1 : m_first;
        while (i >= 0 && m_buckets[size_t(i)].empty())
            --i;
        m_first = i;
    } else {
        int i = m_first < 0 ? 0 : m_first;
        while (i < n && m_buckets[size_t(i)].empty())
            ++i;
        m_first = i < n ? i : -1;
    }
}

void PriceLadder::clear()
{
    for (auto &b : m_buckets)
        b.clear();
    m_size = 0;
    m_first = -1;
}

void PriceLadder::append(quint32 id, double price)
{
    bucketFor(m_grid.binOf(price)).push_back({price, id});
    ++m_size;
}

void PriceLadder::sortAll()
{
    for (auto &b : m_buckets)
        std::sort(b.begin(), b.end(), [this](const Entry &a, const Entry &c) { return before(a, c); });
    m_first = -1;
    if (m_size == 0)
        return;
    if (m_order == Order::HighestFirst) {
        m_first = int(m_buckets.size()) - 1;
    } else {
        m_first = 0;
    }
    if (m_buckets[size_t(m_first)].empty())
        findFirst();
}
