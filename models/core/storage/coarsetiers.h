#pragma once

#include "domain/candle.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"
#include "dbstatement.h"

#include <QVector>

class CandleRowWriter;
class DbConnection;

// Candles that arrive coarser than 1m (a 5m ... 1d kline dump, whose bars cannot be split
// into minutes): they go into their own tier, and each coarser tier's touched buckets are
// rebuilt from the tier just below it. A bucket that already holds finer bars keeps them:
// finer data wins, so importing 1h klines over a month of 1m history changes nothing.
// Runs inside the writer's transaction.
class CoarseTiers
{
public:
    explicit CoarseTiers(DbConnection &db);

    // Returns the stretches of buckets written (none when every bucket held finer bars);
    // *changed grows by the bars of tier tf inserted or changed (the tiers above not counted).
    QVector<TimeRange> write(CandleRowWriter &upsert, bool mark, qint64 instrument, Timeframe tf, const QVector<Candle> &bars,
                             qint64 *changed);
    // Stored bars of one tier in [from, to), in time order.
    QVector<Candle> read(bool mark, qint64 instrument, Timeframe tf, qint64 from, qint64 to);

private:
    DbStatement m_select[2]; // candles, mark_candles
};
