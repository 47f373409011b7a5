#include "marketrecorder.h"

#include "accountbook.h"
#include "simunits.h"

MarketRecorder::MarketRecorder(const Instrument &instrument)
    : m_instrument(instrument)
{
    m_batch.instrument = instrument;
}

void MarketRecorder::openInterest(qint64 ms, qint64 lots, double price)
{
    const double coins = SimUnits::coins(lots);
    m_batch.openInterest.push_back({ms, coins, coins * price});
}

void MarketRecorder::liquidation(qint64 ms, int side, double price, double coins)
{
    m_seq = ms == m_lastMs ? m_seq + 1 : 0;
    // The public feed shows only the latest liquidation of each second.
    if (m_feedIndex >= 0 && m_feedIndex < m_batch.liquidations.size() && m_batch.liquidations[m_feedIndex].ts / 1000 == ms / 1000)
        m_batch.liquidations[m_feedIndex].inExchangeFeed = false;
    m_batch.liquidations.push_back({ms, m_seq, side > 0 ? Liquidation::Side::Long : Liquidation::Side::Short, price, coins, true});
    m_feedIndex = m_batch.liquidations.size() - 1;
    m_lastMs = ms;
    ++m_liquidations;
}

void MarketRecorder::groundTruth(qint64 ms, const AccountBook &accounts, double price)
{
    // Only the band a liquidation map can speak about: low-leverage and well-collateralised
    // positions liquidate 30-100 % away and would be most of the rows.
    const LogPriceGrid &grid = accounts.longLiquidations().grid();
    const int low = grid.binOf(price * (1 - truthBand)), high = grid.binOf(price * (1 + truthBand));
    const auto add = [&](const PriceLadder &ladder, Liquidation::Side side) {
        ladder.forEachBin([&](int bin, const std::vector<PriceLadder::Entry> &entries) {
            if (bin < low || bin > high)
                return;
            double notional = 0;
            for (const PriceLadder::Entry &e : entries)
                notional += SimUnits::coins(qAbs(accounts[e.id].lots)) * e.price;
            if (notional > 0)
                m_batch.groundTruth.push_back({ms, side, bin, notional});
        });
    };
    add(accounts.longLiquidations(), Liquidation::Side::Long);
    add(accounts.shortLiquidations(), Liquidation::Side::Short);
}

MarketBatch MarketRecorder::take()
{
    MarketBatch out = std::move(m_batch);
    out.candles = m_candles.take();
    out.markCandles = m_marks.take();
    m_batch = MarketBatch{};
    m_batch.instrument = m_instrument;
    m_feedIndex = -1; // batches end between seconds
    return out;
}
