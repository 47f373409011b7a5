#pragma once

#include "priceladder.h"

#include <QtGlobal>

#include <queue>
#include <vector>

// When speculators leave voluntarily: a planned exit time (hazard exit, drawn at entry; it
// also expires an unfilled entry order) in a min-heap, and take-profit / stop-loss triggers
// on the last price in four PriceLadders. Stale heap entries (the account closed earlier)
// are recognised by the account's generation.
class ExitBook
{
public:
    struct Planned
    {
        qint64 at;
        quint32 id;
        quint32 generation;
        bool operator>(const Planned &o) const { return at != o.at ? at > o.at : id > o.id; }
    };

    void plan(quint32 id, quint32 generation, qint64 at) { m_planned.push({at, id, generation}); }
    bool popDue(qint64 now, Planned &out);

    // side = the position's side (+1 long). Prices 0 = none.
    void setTriggers(quint32 id, int side, double takeProfit, double stopLoss);
    void clearTriggers(quint32 id, int side, double takeProfit, double stopLoss);
    // Ids whose trigger the last price has reached; their entries are removed (the caller
    // clears the other trigger of each when it closes the position).
    void collectTriggered(double last, std::vector<quint32> &out);
    qsizetype triggerCount() const;

private:
    std::priority_queue<Planned, std::vector<Planned>, std::greater<Planned>> m_planned;
    PriceLadder m_longTakeProfit{PriceLadder::Order::LowestFirst};   // fires when last >= price
    PriceLadder m_longStop{PriceLadder::Order::HighestFirst};        // fires when last <= price
    PriceLadder m_shortTakeProfit{PriceLadder::Order::HighestFirst}; // last <= price
    PriceLadder m_shortStop{PriceLadder::Order::LowestFirst};        // last >= price
};
