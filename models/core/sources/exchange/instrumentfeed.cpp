#include "instrumentfeed.h"

#include "domain/timeframe.h"
#include "sources/coveragetracker.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr qint64 minute = Timeframes::minuteMs;
constexpr qint64 fundingStepMs = 30 * 60'000; // settlements are >= 1 h apart
} // namespace

InstrumentFeed::InstrumentFeed(const Instrument &instrument)
{
    m_pending.instrument = instrument;
}

void InstrumentFeed::setCoverage(const QString &venue, CoverageQuality liquidations, bool takerBuy)
{
    m_venue = venue;
    m_liquidationQuality = liquidations;
    m_takerBuy = takerBuy;
}

void InstrumentFeed::setMarket(bool liquidationsApply, bool barsFromTrades)
{
    m_liquidationsApply = liquidationsApply;
    m_barsFromTrades = barsFromTrades;
}

void InstrumentFeed::coverSpan(TimeRange range, bool takerBuy)
{
    if (m_venue.isEmpty() || !range.isValid())
        return;
    const QString origin = m_venue + QStringLiteral(" stream");
    m_pending.cover(DataKind::Candles, range, CoverageQuality::Complete, minute, origin);
    if (takerBuy)
        m_pending.cover(DataKind::TakerBuy, range, CoverageQuality::Complete, minute, origin);
}

void InstrumentFeed::coverRows(DataKind kind, const QVector<qint64> &times, qint64 step, double tolerance, bool stream)
{
    if (m_venue.isEmpty())
        return;
    const QString origin = m_venue + (stream ? QStringLiteral(" stream") : QStringLiteral(" rest"));
    for (const TimeRange &r : CoverageTracker::runs(times, step, tolerance)) {
        m_pending.cover(kind, r, CoverageQuality::Complete, step, origin);
        if (kind == DataKind::Candles && m_takerBuy)
            m_pending.cover(DataKind::TakerBuy, r, CoverageQuality::Complete, step, origin);
    }
}

void InstrumentFeed::coverFunding(qint64 from, qint64 to)
{
    if (!m_venue.isEmpty())
        m_pending.cover(DataKind::Funding, {from, to}, CoverageQuality::Complete, m_intervalHours * 3'600'000LL, m_venue + QStringLiteral(" rest"));
}

void InstrumentFeed::listening(qint64 from, qint64 to)
{
    if (!m_venue.isEmpty() && m_liquidationsApply)
        m_pending.cover(DataKind::Liquidations, {from, to}, m_liquidationQuality,
                        m_liquidationQuality == CoverageQuality::Sampled ? 1000 : 0, m_venue + QStringLiteral(" stream"));
}

namespace {
template<typename Row>
QVector<qint64> timesOf(const QVector<Row> &rows)
{
    QVector<qint64> t;
    for (const Row &r : rows)
        t.push_back(r.ts);
    std::sort(t.begin(), t.end());
    return t;
}
} // namespace

void InstrumentFeed::upsert(QVector<Candle> &bars, const Candle &c)
{
    for (qsizetype i = bars.size() - 1; i >= 0 && i >= bars.size() - 4; --i)
        if (bars[i].ts == c.ts) {
            bars[i] = c;
            return;
        }
    bars.push_back(c); // the writer keeps the last of equal times anyway
}

void InstrumentFeed::addCandles(const QVector<Candle> &bars, bool mark)
{
    if (bars.isEmpty())
        return;
    auto &target = mark ? m_pending.markCandles : m_pending.candles;
    for (const Candle &c : bars) {
        if (!mark && c.ts == m_openTs)
            m_openTs = -1; // REST says it is final
        target.push_back(c);
    }
    if (!mark) {
        QVector<OpenInterestSample> valued;
        for (const Candle &c : bars) {
            if (c.ts % (5 * minute) != 0)
                continue;
            m_opens[c.ts] = c.open;
            if (const auto it = m_unvalued.find(c.ts); it != m_unvalued.end()) {
                it->second.openInterestUsd = it->second.openInterest * c.open;
                valued.push_back(it->second);
                m_unvalued.erase(it);
            }
        }
        releaseValued(valued);
        for (const Candle &c : bars)
            if (c.ts > m_newestCloseTs && c.close > 0) {
                m_newestCloseTs = c.ts;
                m_newestClose = c.close;
            }
        releaseTiers();
    }
    qint64 &last = mark ? m_lastMarkFinal : m_lastClosed;
    last = std::max(last, bars.back().ts);
    coverRows(mark ? DataKind::MarkCandles : DataKind::Candles, timesOf(bars), minute, 1, false);
    if (!mark && bars.back().close > 0 && m_lastMark <= 0)
        m_lastMark = bars.back().close; // a stand-in until the mark stream speaks
}

void InstrumentFeed::addFunding(const QVector<FundingSample> &samples)
{
    if (samples.isEmpty())
        return;
    for (FundingSample f : samples) {
        if (f.intervalHours <= 0) // a lone settlement: the interval the venue lists
            f.intervalHours = m_listedIntervalHours > 0 ? m_listedIntervalHours : m_intervalHours;
        m_pending.funding.push_back(f);
    }
    m_lastFunding = std::max(m_lastFunding, samples.back().ts);
    if (samples.back().intervalHours > 0)
        m_intervalHours = samples.back().intervalHours;
    if (m_awaitingSettlement && m_lastFunding >= m_awaitingSettlement)
        m_awaitingSettlement = 0;
}

void InstrumentFeed::addOpenInterest(const QVector<OpenInterestSample> &samples)
{
    QVector<OpenInterestSample> valued;
    for (OpenInterestSample o : samples) {
        if (!std::isnan(o.openInterestUsd)) {
            valued.push_back(o);
        } else if (const auto it = m_opens.find(o.ts); it != m_opens.end()) {
            o.openInterestUsd = o.openInterest * it->second;
            valued.push_back(o);
        } else {
            m_unvalued[o.ts] = o;
        }
    }
    releaseValued(valued);
}

void InstrumentFeed::releaseValued(QVector<OpenInterestSample> valued)
{
    if (valued.isEmpty())
        return;
    m_pending.openInterest += valued;
    coverRows(DataKind::OpenInterest, timesOf(valued), 5 * minute, 3, false);
}

void InstrumentFeed::settleOpenInterest()
{
    QVector<OpenInterestSample> valued;
    for (auto &[ts, o] : m_unvalued) {
        auto after = m_opens.lower_bound(ts);
        auto best = after;
        if (after != m_opens.begin() && (after == m_opens.end() || ts - std::prev(after)->first < after->first - ts))
            best = std::prev(after);
        if (best != m_opens.end() && std::abs(best->first - ts) <= 60 * minute) {
            o.openInterestUsd = o.openInterest * best->second;
            valued.push_back(o);
        } // else: no price near it; the row stays unknown (a hole), not a guess
    }
    m_unvalued.clear();
    releaseValued(valued);
}

void InstrumentFeed::addOpenInterestNow(OpenInterestSample sample, bool keepUsd)
{
    if (!keepUsd || !std::isfinite(sample.openInterestUsd))
        sample.openInterestUsd = sample.openInterest * m_lastMark;
    m_pending.openInterest.push_back(sample);
    // A poll stands for the time since the previous one, when that was a few minutes ago.
    if (!m_venue.isEmpty() && m_lastOiPoll >= 0 && sample.ts > m_lastOiPoll && sample.ts - m_lastOiPoll <= 5 * minute)
        m_pending.cover(DataKind::OpenInterest, {m_lastOiPoll, sample.ts + 1}, CoverageQuality::Complete, sample.ts - m_lastOiPoll,
                        m_venue + QStringLiteral(" rest"));
    m_lastOiPoll = std::max(m_lastOiPoll, sample.ts);
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::apply(const StreamUpdate &u)
{
    switch (u.type) {
    case StreamUpdate::Type::Candle: return applyCandle(u);
    case StreamUpdate::Type::MarkPrice: return applyMark(u);
    case StreamUpdate::Type::Liquidation: m_pending.liquidations.push_back(u.liquidation); return {};
    case StreamUpdate::Type::OpenInterest: addOpenInterestNow(u.openInterest, true); return {};
    case StreamUpdate::Type::Trade: return applyTrade(u);
    case StreamUpdate::Type::Ignored: return {};
    }
    return {};
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::applyTrade(const StreamUpdate &u)
{
    if (!m_barsFromTrades)
        return {}; // the venue's kline stream carries the bars (Binance spot): prints are not counted twice
    const qint64 m = Timeframes::floor(Timeframe::M1, u.eventTime);
    if (u.tradeId > 0 && u.tradeId <= m_lastTradeId)
        return {}; // a replay (Coinbase repeats its last match on subscribing)
    if (m <= m_lastClosed || (m_tradeMinute >= 0 && m < m_tradeMinute))
        return {}; // a late print of a final minute
    const bool skipped = u.tradeId > 0 && m_lastTradeId > 0 && u.tradeId > m_lastTradeId + 1;
    if (u.tradeId > 0)
        m_lastTradeId = u.tradeId;
    QVector<Fetch> fetches;
    if (m_tradeMinute < 0) {
        m_tradeMinute = m; // the first minute heard: prints before the socket opened are missing
        m_tradeMinuteWhole = false;
    } else if (m > m_tradeMinute) {
        fetches = closeTradeMinute(m);
        m_tradeMinute = m;
        m_tradeMinuteWhole = !skipped; // prints between the last id and this one are missing
    } else if (skipped) {
        m_tradeMinuteWhole = false;
    }
    m_tradeBuilder.addTrade(u.eventTime, u.price, u.qty, u.takerBuy);
    for (const Candle &c : m_tradeBuilder.take())
        if (c.ts == m) {
            upsert(m_pending.candles, c); // the open bar's snapshot, replaced until the minute closes
            m_openTs = m;
            m_openEvent = u.eventTime;
        }
    return fetches;
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::closeTradeMinute(qint64 nextMinute)
{
    // The builder still holds the closing minute as its open bar.
    const std::optional<Candle> bar = m_tradeBuilder.current();
    m_tradeBuilder = CandleBuilder();
    if (m_openTs == m_tradeMinute)
        m_openTs = -1;
    if (!m_tradeMinuteWhole) {
        // Part of the minute was not heard: its bar comes over REST (volume right, taker-buy
        // volume unknown there); the partial bar sent meanwhile is replaced.
        m_candlesAskedTo = std::max(m_candlesAskedTo, m_tradeMinute + minute);
        return {{RestSeries::Candles, m_tradeMinute, m_tradeMinute + minute}};
    }
    if (bar && bar->ts == m_tradeMinute)
        upsert(m_pending.candles, *bar);
    // Every print from the minute up to the next print was seen: minutes without one had no
    // trade (no bar, as the venue's candles have none) and are covered all the same.
    coverSpan({m_tradeMinute, nextMinute}, true);
    m_lastClosed = std::max(m_lastClosed, m_tradeMinute);
    return {};
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::applyCandle(const StreamUpdate &u)
{
    const qint64 t = u.candle.ts;
    if (m_lastClosed >= 0 && t <= m_lastClosed) {
        // A repeat or a late message about a final bar: a closing message carries the final
        // values again (harmless); an open snapshot would undo them.
        if (u.closed)
            upsert(m_pending.candles, u.candle);
        return {};
    }
    if (t == m_openTs && u.eventTime < m_openEvent)
        return {}; // an older snapshot of the live bar
    QVector<Fetch> fetches;
    const qint64 missingFrom = std::max(m_lastClosed + minute, m_candlesAskedTo);
    if (m_lastClosed >= 0 && t > missingFrom) {
        // Minutes between the last final bar and this one never closed on the stream.
        fetches.push_back({RestSeries::Candles, missingFrom, t});
        m_candlesAskedTo = t;
    }
    upsert(m_pending.candles, u.candle);
    if (u.closed) {
        coverRows(DataKind::Candles, {t}, minute, 1, true);
        m_lastClosed = std::max(m_lastClosed, t);
        if (m_openTs == t)
            m_openTs = -1;
    } else {
        m_openTs = t;
        m_openEvent = u.eventTime;
    }
    return fetches;
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::applyMark(const StreamUpdate &u)
{
    QVector<Fetch> fetches;
    const qint64 m = Timeframes::floor(Timeframe::M1, u.eventTime);
    m_lastMark = u.markPrice;
    if (m_markMinute >= 0 && m < m_markMinute)
        return fetches; // late sample of a closed minute
    if (m_markMinute >= 0 && m > m_markMinute) {
        // Minute(s) closed: take the exchange's own mark klines for them.
        const qint64 from = std::max(m_lastMarkFinal >= 0 ? m_lastMarkFinal + minute : m_firstMarkMinute, m_markAskedTo);
        if (from < m) {
            fetches.push_back({RestSeries::MarkCandles, from, m});
            m_markAskedTo = m;
        }
    }
    if (m_firstMarkMinute < 0)
        m_firstMarkMinute = m;
    m_markMinute = m;
    if (m > m_lastMarkFinal) {
        m_markBuilder.addSample(u.eventTime, u.markPrice);
        for (const Candle &c : m_markBuilder.take())
            if (c.ts > m_lastMarkFinal)
                upsert(m_pending.markCandles, c);
    }

    // The running funding estimate, one value per minute (the latest wins).
    if (u.nextFundingTime > 0) {
        m_pending.predictedFunding.push_back({m, u.fundingRate, u.fundingIntervalHours > 0 ? u.fundingIntervalHours : m_intervalHours});
        coverRows(DataKind::PredictedFunding, {m}, minute, 1, true);
        if (m_nextFundingTime > 0 && u.nextFundingTime > m_nextFundingTime) {
            // Settled at the previous next-funding time: fetch the settled rate.
            m_awaitingSettlement = m_nextFundingTime;
            const qint64 from = m_lastFunding >= 0 ? m_lastFunding + fundingStepMs : m_nextFundingTime;
            fetches.push_back({RestSeries::Funding, from, u.eventTime + 1});
        }
        m_nextFundingTime = u.nextFundingTime;
    }
    return fetches;
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::resume(qint64 serverNow)
{
    QVector<Fetch> fetches;
    const qint64 now = Timeframes::floor(Timeframe::M1, serverNow);
    m_openTs = -1;
    if (m_lastClosed >= 0) {
        const qint64 from = std::max(m_lastClosed + minute, m_candlesAskedTo);
        if (from < now) {
            fetches.push_back({RestSeries::Candles, from, now});
            m_candlesAskedTo = now;
        }
    }
    // The mark builder may have seen part of a minute only: start it afresh; the REST
    // fetch when its first minute closes covers everything since the last final bar.
    m_markBuilder = CandleBuilder();
    // Bars from prints start afresh too: the first minute heard after a (re)connect is partial
    // and comes over REST once it closes; a minute before it is in the fetch above.
    m_tradeBuilder = CandleBuilder();
    m_tradeMinute = -1;
    m_markMinute = -1;
    m_firstMarkMinute = -1;
    m_markAskedTo = -1;
    if (m_lastFunding >= 0)
        fetches.push_back({RestSeries::Funding, m_lastFunding + fundingStepMs, serverNow + 1});
    return fetches;
}

QVector<InstrumentFeed::Fetch> InstrumentFeed::pendingSettlement(qint64 serverNow) const
{
    if (!m_awaitingSettlement)
        return {};
    return {{RestSeries::Funding, m_lastFunding >= 0 ? m_lastFunding + fundingStepMs : m_awaitingSettlement, serverNow + 1}};
}

void InstrumentFeed::addMarginTiers(QVector<MarginTier> tiers, bool inCoins)
{
    if (tiers.isEmpty())
        return;
    if (!inCoins) {
        m_pending.marginTiers = std::move(tiers);
        m_tiers.clear();
        return;
    }
    m_tiers = std::move(tiers);
    releaseTiers();
}

void InstrumentFeed::releaseTiers()
{
    const double px = m_newestClose > 0 ? m_newestClose : m_lastMark;
    if (m_tiers.isEmpty() || !(px > 0))
        return;
    // Coins at the latest price: the USD notional the heatmap's tiers are stated in (the
    // price is kept with each tier).
    for (MarginTier &t : m_tiers) {
        t.floor *= px;
        t.cap *= px;
        t.referencePrice = px;
    }
    // Valued beyond any notional (a huge last tier): dropped, never a batch the writer refuses.
    if (MarginTiers::check(m_tiers).isEmpty())
        m_pending.marginTiers = std::move(m_tiers);
    m_tiers.clear();
}

bool InstrumentFeed::dropUnvaluedTiers()
{
    releaseTiers();
    const bool dropped = !m_tiers.isEmpty();
    m_tiers.clear();
    return dropped;
}

MarketBatch InstrumentFeed::take()
{
    MarketBatch out = std::move(m_pending);
    m_pending = MarketBatch{};
    m_pending.instrument = out.instrument;
    return out;
}
