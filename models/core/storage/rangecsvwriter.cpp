#include "rangecsvwriter.h"

#include "domain/numbers.h"
#include "storereader.h"

#include <QIODevice>

namespace {

template<typename T>
const T *atBucket(const QVector<T> &rows, qsizetype &cursor, qint64 ts)
{
    while (cursor < rows.size() && rows[cursor].ts < ts)
        ++cursor;
    return cursor < rows.size() && rows[cursor].ts == ts ? &rows[cursor] : nullptr;
}

} // namespace

QByteArray RangeCsvWriter::header()
{
    return "ts,open,high,low,close,volume,taker_buy_volume,oi,oi_usd,funding_rate,predicted_funding,"
           "long_liq_usd,short_liq_usd,long_liq_count,short_liq_count";
}

Timeframe RangeCsvWriter::timeframeFor(TimeRange range)
{
    return Timeframes::fitting(range.span(), 5000);
}

RangeCsvWriter::RangeCsvWriter(StoreReader &reader)
    : m_reader(reader)
{
}

qint64 RangeCsvWriter::write(const Instrument &instrument, TimeRange range, QIODevice &out)
{
    const Timeframe tf = timeframeFor(range);
    const TimeRange bars{Timeframes::floor(tf, range.from), range.to};
    const auto candles = m_reader.candles(instrument, tf, bars);
    const auto oi = m_reader.lineBars(instrument, LineSeries::OpenInterest, tf, bars);
    const auto oiUsd = m_reader.lineBars(instrument, LineSeries::OpenInterestUsd, tf, bars);
    const auto predicted = m_reader.lineBars(instrument, LineSeries::PredictedFunding, tf, bars);
    const auto liqs = m_reader.liquidationBars(instrument, tf, bars);
    const TakerBuyCoverage taker{m_reader.coverageSummary(instrument, DataKind::Candles, bars),
                                 m_reader.coverageSummary(instrument, DataKind::TakerBuy, bars)};
    QVector<FundingSample> settled;
    if (const auto before = m_reader.fundingAt(instrument, bars.from))
        settled.push_back(*before);
    settled += m_reader.funding(instrument, bars);

    out.write(header() + '\n');
    qsizetype iOi = 0, iUsd = 0, iPred = 0, iLiq = 0, iFund = 0;
    // Read by people (and spreadsheets): tier sums without float noise.
    const auto num = [](double v) { return Numbers::formatClean(v); };
    for (const Candle &c : candles) {
        QByteArray line = QByteArray::number(c.ts) + ',' + num(c.open) + ',' + num(c.high) + ',' + num(c.low) + ',' + num(c.close) + ','
            + num(c.volume) + ',' + (taker.isUnknown({c.ts, c.ts + Timeframes::ms(tf)}) ? QByteArray() : num(c.takerBuyVolume)) + ',';
        const LineBar *o = atBucket(oi, iOi, c.ts);
        const LineBar *u = atBucket(oiUsd, iUsd, c.ts);
        line += (o ? num(o->close) : QByteArray()) + ',' + (u ? num(u->close) : QByteArray()) + ',';
        // Settled rate in force at the bar's end.
        while (iFund + 1 < settled.size() && settled[iFund + 1].ts < c.ts + Timeframes::ms(tf))
            ++iFund;
        line += (!settled.isEmpty() && settled[iFund].ts < c.ts + Timeframes::ms(tf) ? num(settled[iFund].rate) : QByteArray()) + ',';
        const LineBar *p = atBucket(predicted, iPred, c.ts);
        line += (p ? num(p->close) : QByteArray()) + ',';
        const LiquidationBar *l = atBucket(liqs, iLiq, c.ts);
        line += num(l ? l->longUsd : 0) + ',' + num(l ? l->shortUsd : 0) + ',' + QByteArray::number(l ? l->longCount : 0) + ','
            + QByteArray::number(l ? l->shortCount : 0) + '\n';
        out.write(line);
    }
    return candles.size();
}
