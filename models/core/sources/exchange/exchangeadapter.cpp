#include "exchangeadapter.h"

TimeRange ExchangeAdapter::fundingCovered(const RestRequest &request, const RestPage &answer) const
{
    // Oldest first: a full page proves the window up to its last row; a short one, all of it
    // (no settlement since).
    const bool full = request.limit > 0 && answer.rows() >= request.limit;
    return {request.from, full ? answer.lastRowTime() + 1 : request.to};
}

void ExchangeAdapter::keyLiquidations(QList<StreamUpdate> &updates)
{
    for (qsizetype i = 0; i < updates.size(); ++i) {
        Liquidation &l = updates[i].liquidation;
        if (updates[i].type != StreamUpdate::Type::Liquidation)
            continue;
        int occurrence = 0; // identical prints earlier in this message (messages hold a few)
        for (qsizetype j = 0; j < i; ++j) {
            const StreamUpdate &o = updates[j];
            if (o.type == StreamUpdate::Type::Liquidation && o.instrument == updates[i].instrument && o.liquidation.ts == l.ts
                && o.liquidation.side == l.side && o.liquidation.price == l.price && o.liquidation.qty == l.qty)
                ++occurrence;
        }
        l.seq = Liquidation::contentSeq(l.side, l.price, l.qty, occurrence);
    }
}
