#pragma once

#include "analysis/candlebuilder.h"
#include "exchangeadapter.h"
#include "sources/marketbatch.h"

#include <map>

// The live state of one instrument: folds stream updates and REST pages into pending rows
// and knows which minutes are final, so it can say which REST windows close a gap.
//
// Rules: a 1m bar is final when the stream says so (closed) or REST delivered it; an open
// bar's snapshot never overwrites a final bar or a newer snapshot (duplicates and
// out-of-order messages are normal); a bar seen opening while the previous one never closed
// means minutes are missing: fetch them. Mark price bars are built from the 1 s mark stream
// while open and replaced by the exchange's mark price klines once closed.
class InstrumentFeed
{
public:
    struct Fetch
    {
        RestSeries series;
        qint64 from;
        qint64 to;
    };

    explicit InstrumentFeed(const Instrument &instrument);
    const Instrument &instrument() const { return m_pending.instrument; }
    // Coverage: what REST pages delivered and what the stream said is final is recorded as
    // covered ("<venue> rest", "<venue> stream"); a stream outage stays a hole until REST
    // fills it. Liquidations are covered while the stream listens (listening()).
    // takerBuy: the venue's candles carry taker-buy volume; their spans then cover
    // DataKind::TakerBuy too (else it stays a hole: unknown).
    void setCoverage(const QString &venue, CoverageQuality liquidations, bool takerBuy);
    // A spot market has no liquidations (listening() then records nothing: not applicable,
    // not a hole); barsFromTrades: the live 1m bars are folded from Type::Trade prints
    // (ExchangeAdapter::barsFromTrades), else prints are ignored (a kline stream has the bars).
    void setMarket(bool liquidationsApply, bool barsFromTrades);
    void coverFunding(qint64 from, qint64 to); // a funding page answered for [from, to)
    // The settlement interval the venue publishes for the symbol (Bybit instruments-info),
    // until funding rows say otherwise.
    // A row without an interval of its own (no settlement before it in the answer) takes this
    // one, not the running interval: a newest-first walk has seen the newest interval by then.
    void setFundingInterval(int hours) { m_intervalHours = m_listedIntervalHours = hours; }
    void listening(qint64 from, qint64 to);    // the stream delivered over [from, to)

    // Final history (backfill or gap fill pages).
    void addCandles(const QVector<Candle> &bars, bool mark);
    void addFunding(const QVector<FundingSample> &samples);
    // Rows whose USD value is NaN (a venue that reports coins only: Bybit's history) are
    // valued at the 1m bar opening at their time, once that bar is here; settle() values
    // what is left at the nearest bar within an hour and drops (uncovered) what has none.
    void addOpenInterest(const QVector<OpenInterestSample> &samples);
    void settleOpenInterest();
    // A current value (REST poll or a stream push): valued at the last mark price unless it
    // carries its own finite USD value and keepUsd is set (OKX sends oiUsd).
    void addOpenInterestNow(OpenInterestSample sample, bool keepUsd = false);

    // The venue's maintenance-margin schedule (RestSeries::MarginTiers). Bounds in coins
    // (inCoins) are valued at the newest 1m close (or the mark) once one is known; the
    // schedule goes with the next batch.
    void addMarginTiers(QVector<MarginTier> tiers, bool inCoins);
    // Drops a coin-sized schedule no price came for (the end of a backfill); true if it did.
    bool dropUnvaluedTiers();

    QVector<Fetch> apply(const StreamUpdate &update);
    // After a (re)connect: whatever may have been missed up to now.
    QVector<Fetch> resume(qint64 serverNow);
    // A settlement seen on the stream whose rate REST has not delivered yet.
    QVector<Fetch> pendingSettlement(qint64 serverNow) const;

    bool hasPending() const { return !m_pending.isEmpty(); }
    MarketBatch take();

    qint64 lastClosedCandle() const { return m_lastClosed; }
    qint64 lastFinalMark() const { return m_lastMarkFinal; }
    qint64 lastFunding() const { return m_lastFunding; }

private:
    QVector<Fetch> applyCandle(const StreamUpdate &u);
    QVector<Fetch> applyMark(const StreamUpdate &u);
    QVector<Fetch> applyTrade(const StreamUpdate &u);
    QVector<Fetch> closeTradeMinute(qint64 nextMinute);
    static void upsert(QVector<Candle> &bars, const Candle &c);
    void coverRows(DataKind kind, const QVector<qint64> &sortedTimes, qint64 stepMs, double tolerance, bool stream);
    void coverSpan(TimeRange range, bool takerBuy); // bars built from every print of a stretch

    QString m_venue;
    CoverageQuality m_liquidationQuality = CoverageQuality::Sampled;
    bool m_takerBuy = false;
    bool m_liquidationsApply = true;
    bool m_barsFromTrades = false;
    // Bars from prints: the minute being built, whether every print of it was seen (not the
    // first minute after a (re)connect, no trade id skipped), the newest trade id.
    CandleBuilder m_tradeBuilder;
    qint64 m_tradeMinute = -1;
    bool m_tradeMinuteWhole = false;
    qint64 m_lastTradeId = 0;
    qint64 m_lastOiPoll = -1;
    std::map<qint64, double> m_opens;                 // 1m bar opens at 5-minute boundaries
    std::map<qint64, OpenInterestSample> m_unvalued;  // OI rows waiting for a price
    void releaseValued(QVector<OpenInterestSample> valued);

    void releaseTiers();
    QVector<MarginTier> m_tiers; // waiting for a price (coin-sized bounds)
    qint64 m_newestCloseTs = -1;
    double m_newestClose = 0;

    MarketBatch m_pending;
    qint64 m_lastClosed = -1;   // open time of the newest final 1m bar
    qint64 m_candlesAskedTo = -1;
    qint64 m_openTs = -1;       // the live bar and the event time of its newest snapshot
    qint64 m_openEvent = 0;

    CandleBuilder m_markBuilder;
    qint64 m_markMinute = -1;
    qint64 m_firstMarkMinute = -1;
    qint64 m_lastMarkFinal = -1;
    qint64 m_markAskedTo = -1;
    double m_lastMark = 0;

    qint64 m_lastFunding = -1;
    qint64 m_nextFundingTime = 0;
    qint64 m_awaitingSettlement = 0;
    int m_intervalHours = 8;
    int m_listedIntervalHours = 0; // what the instrument list says (0 = it says nothing)
};
