#pragma once

#include "analysis/logpricegrid.h"

#include <QtGlobal>

#include <vector>

// Ids keyed by a price, bucketed on the shared LogPriceGrid so that "which entries has the
// price crossed?" costs O(entries crossed) rather than a scan, and a ground-truth snapshot is
// a walk over buckets that already are the grid's bins. Used for liquidation prices (longs
// trigger when the mark falls to their price: HighestFirst) and for stop / take-profit
// triggers. Inside a bucket entries are sorted so the first to trigger sits at the back.
class PriceLadder
{
public:
    enum class Order { HighestFirst, LowestFirst };
    struct Entry
    {
        double price;
        quint32 id;
    };

    explicit PriceLadder(Order order, const LogPriceGrid &grid = LogPriceGrid());

    void insert(quint32 id, double price);
    // price must be the one the id was inserted with. Returns false if it was not there.
    bool remove(quint32 id, double price);
    bool isEmpty() const { return m_size == 0; }
    qsizetype size() const { return m_size; }

    // The first entry to trigger (highest price for HighestFirst). Requires !isEmpty().
    const Entry &front() const { return m_buckets[size_t(m_first)].back(); }
    void popFront();
    // True when the front has been reached by `level` (front.price >= level for HighestFirst).
    bool reached(double level) const
    {
        if (m_size == 0)
            return false;
        const double p = front().price;
        return m_order == Order::HighestFirst ? p >= level : p <= level;
    }

    void clear();
    // Bulk rebuild: append() without ordering, then sortAll() once.
    void append(quint32 id, double price);
    void sortAll();

    // Calls f(bin, entries) for every non-empty bucket, lowest bin first.
    template<typename F>
    void forEachBin(F &&f) const
    {
        for (size_t i = 0; i < m_buckets.size(); ++i)
            if (!m_buckets[i].empty())
                f(m_base + int(i), m_buckets[i]);
    }
    const LogPriceGrid &grid() const { return m_grid; }

private:
    bool before(const Entry &a, const Entry &b) const; // a triggers later than b
    std::vector<Entry> &bucketFor(int bin);
    void findFirst();

    Order m_order;
    LogPriceGrid m_grid;
    std::vector<std::vector<Entry>> m_buckets;
    int m_base = 0;
    int m_first = -1; // index of the bucket holding the front
    qsizetype m_size = 0;
};
