#include "exchangeadapter.h"

TimeRange ExchangeAdapter::fundingCovered(const RestRequest &request, const RestPage &answer) const
{
    // Oldest first: a full page proves the window up to its last row; a short one, all of it
    // (no settlement since).
    const bool full = request.limit > 0 && answer.rows() >= request.limit;
    return {request.from, full ? answer.lastRowTime() + 1 : request.to};
}
