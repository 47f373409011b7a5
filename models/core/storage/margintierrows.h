#pragma once

#include "dbstatement.h"
#include "domain/margintier.h"

// One margin_tiers row as the reader and the writer both select it, and the tier it decodes
// to: a cum the venue did not give is stored NULL and reads as NaN (MarginTier::hasCum).
#define PERPSCOPE_MARGIN_TIER_COLUMNS "tier,floor,cap,mmr,cum,max_leverage,fetched_ms,reference_price"

namespace MarginTierRows {

inline MarginTier read(const DbStatement &st)
{
    MarginTier t;
    t.tier = int(st.int64(0));
    t.floor = st.real(1);
    t.cap = st.real(2);
    t.mmr = st.real(3);
    t.cum = st.real(4); // NULL reads as NaN
    t.maxLeverage = st.real(5);
    t.fetchedMs = st.int64(6);
    t.referencePrice = st.real(7);
    return t;
}

} // namespace MarginTierRows
