#pragma once

#include "domain/instrument.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"

class QIODevice;
class StoreReader;

// Every series of one instrument over a range as one table, a row per bar of one tier:
// what a spreadsheet user wants from "export the selection". Columns:
// ts,open,high,low,close,volume,taker_buy_volume,oi,oi_usd,funding_rate,predicted_funding,
// long_liq_usd,short_liq_usd,long_liq_count,short_liq_count
// (funding_rate is the last settled rate in force; empty cells where a series has no data,
// and taker_buy_volume empty where the venue gives none: TakerBuyCoverage).
class RangeCsvWriter
{
public:
    static QByteArray header();
    // The tier used for a range: 1m up to ~5000 rows, coarser beyond.
    static Timeframe timeframeFor(TimeRange range);

    explicit RangeCsvWriter(StoreReader &reader);
    qint64 write(const Instrument &instrument, TimeRange range, QIODevice &out);

private:
    StoreReader &m_reader;
};
