#include "coarsetiers.h"

#include "candleaggregator.h"
#include "candlerowwriter.h"
#include "dbconnection.h"

#include <algorithm>

namespace {

const char *selectSql(bool mark)
{
    return mark ? "SELECT ts,open,high,low,close,volume,quote_volume,taker_buy FROM mark_candles "
                  "WHERE instrument=? AND tf=? AND ts>=? AND ts<? ORDER BY ts"
                : "SELECT ts,open,high,low,close,volume,quote_volume,taker_buy FROM candles "
                  "WHERE instrument=? AND tf=? AND ts>=? AND ts<? ORDER BY ts";
}

} // namespace

CoarseTiers::CoarseTiers(DbConnection &db)
    : m_select{db.prepare(selectSql(false), true), db.prepare(selectSql(true), true)}
{
}

QVector<Candle> CoarseTiers::read(bool mark, qint64 instrument, Timeframe tf, qint64 from, qint64 to)
{
    DbStatement &st = m_select[mark ? 1 : 0];
    st.bind(1, instrument).bind(2, Timeframes::minutes(tf)).bind(3, from).bind(4, to);
    QVector<Candle> out;
    while (st.step())
        out.push_back({st.int64(0), st.real(1), st.real(2), st.real(3), st.real(4), st.real(5), st.real(6), st.real(7)});
    st.reset();
    return out;
}

QVector<TimeRange> CoarseTiers::write(CandleRowWriter &upsert, bool mark, qint64 instrument, Timeframe tf, const QVector<Candle> &input,
                                      qint64 *changed)
{
    if (input.isEmpty() || tf == Timeframe::M1)
        return {};
    const QVector<Candle> bars = CandleAggregator::normalized(input);
    const qint64 step = Timeframes::ms(tf);

    // Buckets that hold finer bars already (the child tier exists wherever anything finer does).
    QVector<qint64> finer;
    if (const auto child = Timeframes::child(tf))
        for (const Candle &c : read(mark, instrument, *child, bars.front().ts, bars.back().ts + step))
            if (finer.isEmpty() || finer.back() != Timeframes::floor(tf, c.ts))
                finer.push_back(Timeframes::floor(tf, c.ts));
    QVector<Candle> kept;
    QVector<TimeRange> runs;
    for (const Candle &c : bars) {
        if (std::binary_search(finer.cbegin(), finer.cend(), c.ts))
            continue;
        kept.push_back(c);
        if (!runs.isEmpty() && runs.back().to == c.ts)
            runs.back().to += step;
        else
            runs.push_back({c.ts, c.ts + step});
    }
    if (kept.isEmpty())
        return {};
    upsert.takeChanged(); // count this tier's bars only
    for (const Candle &c : kept)
        upsert.add(instrument, tf, c);
    upsert.flush();
    *changed += upsert.takeChanged();

    // Each coarser tier from the tier below it, so a bucket that is half 1m history and half
    // imported coarse bars adds up both.
    Timeframe below = tf;
    for (Timeframe up : Timeframes::all) {
        if (Timeframes::minutes(up) <= Timeframes::minutes(tf))
            continue;
        qint64 last = std::numeric_limits<qint64>::min();
        for (const Candle &c : kept) {
            const qint64 bucket = Timeframes::floor(up, c.ts);
            if (bucket == last)
                continue;
            last = bucket;
            const QVector<Candle> parts = read(mark, instrument, below, bucket, bucket + Timeframes::ms(up));
            if (!parts.isEmpty())
                upsert.add(instrument, up, CandleAggregator::aggregate(bucket, parts));
        }
        upsert.flush();
        below = up;
    }
    return runs;
}
