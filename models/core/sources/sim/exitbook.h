#pragma once

#include "priceladder.h"

#include <QtGlobal>

#include <queue>
#include <vector>

// When speculators leave voluntarily: a planned exit time (hazard exit, drawn at entry; it
// also expires an unfilled entry order) in a min-heap, and take-profit / stop-loss triggers
// on the last price in four PriceLadders. Stale heap entries (the account closed earlier)
// are recognised by the account's generation. Margin calls: a level on the mark half way
// to the liquidation price where the trader notices, and the reactions that follow after a
// delay (another min-heap).
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
    bool popDue(qint64 now, Planned &out) { return popDue(m_planned, now, out); }

    // side = the position's side (+1 long). Prices 0 = none.
    void setTriggers(quint32 id, int side, double takeProfit, double stopLoss);
    void clearTriggers(quint32 id, int side, double takeProfit, double stopLoss);
    // Ids whose trigger the last price has reached; their entries are removed (the caller
    // clears the other trigger of each when it closes the position).
    void collectTriggered(double last, std::vector<quint32> &out);
    qsizetype triggerCount() const;

    void setMarginCall(quint32 id, int side, double level) { (side > 0 ? m_longCall : m_shortCall).insert(id, level); }
    void clearMarginCall(quint32 id, int side, double level) { (side > 0 ? m_longCall : m_shortCall).remove(id, level); }
    // Ids whose margin-call level the mark has reached (removed from the ladders).
    void collectMarginCalls(double mark, std::vector<quint32> &out);
    void planReaction(quint32 id, quint32 generation, qint64 at) { m_reactions.push({at, id, generation}); }
    bool popDueReaction(qint64 now, Planned &out) { return popDue(m_reactions, now, out); }

private:
    using Queue = std::priority_queue<Planned, std::vector<Planned>, std::greater<Planned>>;
    static bool popDue(Queue &queue, qint64 now, Planned &out);

    Queue m_planned;
    Queue m_reactions;
    PriceLadder m_longCall{PriceLadder::Order::HighestFirst}; // mark <= level
    PriceLadder m_shortCall{PriceLadder::Order::LowestFirst}; // mark >= level
    PriceLadder m_longTakeProfit{PriceLadder::Order::LowestFirst};   // fires when last >= price
    PriceLadder m_longStop{PriceLadder::Order::HighestFirst};        // fires when last <= price
    PriceLadder m_shortTakeProfit{PriceLadder::Order::HighestFirst}; // last <= price
    PriceLadder m_shortStop{PriceLadder::Order::LowestFirst};        // last >= price
};
