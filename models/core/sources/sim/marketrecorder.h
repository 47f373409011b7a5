#pragma once

#include "analysis/candlebuilder.h"
#include "sources/marketbatch.h"

class AccountBook;

// Turns what happens on the simulated exchange into the series an exchange publishes (and
// the store keeps): 1m candles of trades, 1m mark-price candles, settled and predicted
// funding, open interest, the full liquidation tape with the Binance-style feed subset
// flagged (the latest print of each second), and the ground truth — notional at the
// liquidation price of open positions per LogPriceGrid bin and side, within ±30 % of the mark.
class MarketRecorder
{
public:
    explicit MarketRecorder(const Instrument &instrument);

    void trade(qint64 ms, double price, double coins, bool takerBuy) { m_candles.addTrade(ms, price, coins, takerBuy); }
    // Opens the minute at the previous close, so a minute without trades still has a bar.
    void minuteOpen(qint64 ms, double lastPrice) { m_candles.addSample(ms, lastPrice); }
    void mark(qint64 ms, double price) { m_marks.addSample(ms, price); }
    void openInterest(qint64 ms, qint64 lots, double price);
    void predictedFunding(qint64 ms, double rate, int intervalHours) { m_batch.predictedFunding.push_back({ms, rate, intervalHours}); }
    void settledFunding(qint64 ms, double rate, int intervalHours) { m_batch.funding.push_back({ms, rate, intervalHours}); }
    // side +1 = a long was liquidated. ms must not decrease.
    void liquidation(qint64 ms, int side, double price, double coins);
    // Cells within ±truthBand of `price` (the mark).
    static constexpr double truthBand = 0.3;
    void groundTruth(qint64 ms, const AccountBook &accounts, double price);

    qint64 liquidationCount() const { return m_liquidations; }
    // Everything since the last take(); the open minute is included as a partial bar.
    MarketBatch take();

private:
    Instrument m_instrument;
    CandleBuilder m_candles, m_marks;
    MarketBatch m_batch;
    qint64 m_lastMs = -1;
    int m_seq = 0;
    qint64 m_liquidations = 0;
    qsizetype m_feedIndex = -1; // the print currently shown by the throttled feed
};
