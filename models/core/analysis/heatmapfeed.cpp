#include "heatmapfeed.h"

#include "domain/plausibility.h"
#include "storage/storereader.h"

#include <algorithm>

namespace {

constexpr qint64 sliceMs = 7LL * 24 * 3600 * 1000;

} // namespace

HeatmapFeed::HeatmapFeed(StoreReader &reader, const Instrument &instrument)
    : m_reader(reader)
    , m_instrument(instrument)
{
    const TimeRange candleExtent = reader.extent(instrument, DataKind::Candles);
    const TimeRange oiExtent = reader.extent(instrument, DataKind::OpenInterest);
    m_hasOpenInterest = oiExtent.isValid();
    m_oiExtent = oiExtent;
    const QString feed = reader.liquidationFeed(instrument);
    m_hasTape = feed == QLatin1String("full") || feed == QLatin1String("throttled") || reader.extent(instrument, DataKind::Liquidations).isValid();

    if (m_hasOpenInterest) {
        // The typical spacing of the first samples decides the bar length.
        const auto head = reader.openInterest(instrument, {oiExtent.from, oiExtent.from + 3 * 3600'000});
        QVector<qint64> gaps;
        for (qsizetype i = 1; i < head.size(); ++i)
            gaps.push_back(head[i].ts - head[i - 1].ts);
        if (!gaps.isEmpty()) {
            std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
            const qint64 spacing = gaps[gaps.size() / 2];
            for (Timeframe tf : {Timeframe::H1, Timeframe::M15, Timeframe::M5, Timeframe::M1})
                if (spacing >= Timeframes::ms(tf)) {
                    m_tf = tf;
                    break;
                }
        }
    }
    if (candleExtent.isValid())
        m_extent = {Timeframes::floor(m_tf, candleExtent.from), Timeframes::floor(m_tf, candleExtent.to - 1) + Timeframes::ms(m_tf)};
}

QVector<HeatmapBar> HeatmapFeed::bars(TimeRange range)
{
    QVector<HeatmapBar> out;
    if (!range.isValid())
        return out;
    const TimeRange aligned{Timeframes::floor(m_tf, range.from), range.to};
    for (qint64 from = aligned.from; from < aligned.to; from += sliceMs)
        appendSlice({from, std::min(aligned.to, from + sliceMs)}, out);
    // Bars that open before range.from only come from the alignment above.
    while (!out.isEmpty() && out.front().ts < range.from)
        out.removeFirst();
    return out;
}

void HeatmapFeed::appendSlice(TimeRange slice, QVector<HeatmapBar> &out)
{
    const qint64 barMs = this->barMs();
    const auto candles = m_reader.candles(m_instrument, m_tf, slice);
    if (candles.isEmpty())
        return;
    const auto marks = m_reader.markCandles(m_instrument, m_tf, slice);
    const TimeRange covered{candles.front().ts, candles.back().ts + barMs};
    const auto oi = m_reader.openInterest(m_instrument, {covered.from + 1, covered.to + 1}); // samples in (open, end]
    const auto funding = m_reader.funding(m_instrument, covered);
    const auto liquidations = m_hasTape ? m_reader.liquidations(m_instrument, covered) : QVector<Liquidation>();

    const qsizetype first = out.size();
    join(candles, marks, oi, funding, liquidations, m_hasTape, barMs, out);
    // Bars a source recorded without taker-buy volume (Bybit, OKX klines: 0 stored) split new
    // positions by the candle colour instead (takerBuyVolume < 0 = unknown), not as "all
    // sells" (TakerBuyCoverage).
    TakerBuyCoverage taker;
    taker.candles = m_reader.coverageSummary(m_instrument, DataKind::Candles, covered);
    if (taker.candles.isNone())
        return;
    taker.takerBuy = m_reader.coverageSummary(m_instrument, DataKind::TakerBuy, covered);
    for (qsizetype k = first; k < out.size(); ++k)
        if (taker.isUnknown({out[k].ts, out[k].ts + barMs}))
            out[k].takerBuyVolume = -1;
}

void HeatmapFeed::join(const QVector<Candle> &candles, const QVector<Candle> &marks, const QVector<OpenInterestSample> &oi,
                       const QVector<FundingSample> &funding, const QVector<Liquidation> &liquidations, bool hasTape, qint64 barMs,
                       QVector<HeatmapBar> &out)
{
    qsizetype mi = 0, oi_i = 0, fi = 0, li = 0;
    out.reserve(out.size() + candles.size());
    for (const Candle &c : candles) {
        // A store written before values were bounded may hold damage (1.7e308): such a bar
        // would overflow the log-price bins, so the model steps over it.
        if (!Plausibility::price(c.low) || !Plausibility::price(c.high) || !Plausibility::price(c.open) || !Plausibility::price(c.close)
            || !Plausibility::size(c.volume))
            continue;
        HeatmapBar b;
        b.ts = c.ts;
        b.durationMs = barMs;
        b.open = c.open;
        b.high = c.high;
        b.low = c.low;
        b.close = c.close;
        b.volume = c.volume;
        b.takerBuyVolume = c.takerBuyVolume;
        b.vwap = c.vwap();
        while (mi < marks.size() && marks[mi].ts < c.ts)
            ++mi;
        if (mi < marks.size() && marks[mi].ts == c.ts) {
            b.markOpen = marks[mi].open;
            b.markHigh = marks[mi].high;
            b.markLow = marks[mi].low;
            b.markClose = marks[mi].close;
        }
        while (oi_i < oi.size() && oi[oi_i].ts <= c.ts)
            ++oi_i;
        for (; oi_i < oi.size() && oi[oi_i].ts <= b.end(); ++oi_i) {
            b.openInterest = oi[oi_i].openInterest;
            b.hasOpenInterest = true;
        }
        while (fi < funding.size() && funding[fi].ts < c.ts)
            ++fi;
        for (; fi < funding.size() && funding[fi].ts < b.end(); ++fi) {
            b.fundingRate += funding[fi].rate;
            b.hasFunding = true;
        }
        b.hasRealizedLiquidations = hasTape;
        while (li < liquidations.size() && liquidations[li].ts < c.ts)
            ++li;
        for (; li < liquidations.size() && liquidations[li].ts < b.end(); ++li)
            b.realizedLiquidationQty += liquidations[li].qty;
        out.push_back(b);
    }
}
