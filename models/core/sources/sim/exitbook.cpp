#include "exitbook.h"

bool ExitBook::popDue(Queue &queue, qint64 now, Planned &out)
{
    if (queue.empty() || queue.top().at > now)
        return false;
    out = queue.top();
    queue.pop();
    return true;
}

void ExitBook::collectMarginCalls(double mark, std::vector<quint32> &out)
{
    for (PriceLadder *ladder : {&m_longCall, &m_shortCall}) {
        while (ladder->reached(mark)) {
            out.push_back(ladder->front().id);
            ladder->popFront();
        }
    }
}

void ExitBook::setTriggers(quint32 id, int side, double takeProfit, double stopLoss)
{
    if (takeProfit > 0)
        (side > 0 ? m_longTakeProfit : m_shortTakeProfit).insert(id, takeProfit);
    if (stopLoss > 0)
        (side > 0 ? m_longStop : m_shortStop).insert(id, stopLoss);
}

void ExitBook::clearTriggers(quint32 id, int side, double takeProfit, double stopLoss)
{
    if (takeProfit > 0)
        (side > 0 ? m_longTakeProfit : m_shortTakeProfit).remove(id, takeProfit);
    if (stopLoss > 0)
        (side > 0 ? m_longStop : m_shortStop).remove(id, stopLoss);
}

void ExitBook::collectTriggered(double last, std::vector<quint32> &out)
{
    for (PriceLadder *ladder : {&m_longTakeProfit, &m_longStop, &m_shortTakeProfit, &m_shortStop}) {
        while (ladder->reached(last)) {
            out.push_back(ladder->front().id);
            ladder->popFront();
        }
    }
}

qsizetype ExitBook::triggerCount() const
{
    return m_longTakeProfit.size() + m_longStop.size() + m_shortTakeProfit.size() + m_shortStop.size();
}
