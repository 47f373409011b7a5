#pragma once

#include <QtGlobal>

#include <map>
#include <set>

// The keys a file has already delivered (first row of a key wins), kept as runs of keys
// `step` apart on the grid of multiples of step: a regular series (1m bars, 5m samples) of
// any length is a handful of runs, so memory stays small whatever the file size; keys off
// the grid (an open interest sample polled at any millisecond) cost one entry each.
class KeyLedger
{
public:
    explicit KeyLedger(qint64 step = 1)
        : m_step(std::max<qint64>(1, step))
    {
    }

    bool contains(qint64 key) const
    {
        if (!onGrid(key))
            return m_loose.count(key) > 0;
        auto it = m_runs.upper_bound(key);
        if (it == m_runs.begin())
            return false;
        --it;
        return key <= it->second;
    }

    void insert(qint64 key)
    {
        if (contains(key))
            return;
        if (!onGrid(key)) {
            m_loose.insert(key);
            return;
        }
        auto next = m_runs.upper_bound(key);
        if (next != m_runs.begin()) {
            auto prev = std::prev(next);
            if (prev->second + m_step == key) {
                prev->second = key;
                if (next != m_runs.end() && next->first == key + m_step) {
                    prev->second = next->second;
                    m_runs.erase(next);
                }
                return;
            }
        }
        if (next != m_runs.end() && next->first == key + m_step) {
            const qint64 last = next->second;
            m_runs.erase(next);
            m_runs.emplace(key, last);
            return;
        }
        m_runs.emplace(key, key);
    }

    qsizetype runs() const { return qsizetype(m_runs.size() + m_loose.size()); }

private:
    bool onGrid(qint64 key) const { return key % m_step == 0; }

    qint64 m_step;
    std::map<qint64, qint64> m_runs; // first key -> last key, both inclusive, on the grid
    std::set<qint64> m_loose;        // keys off the grid
};
