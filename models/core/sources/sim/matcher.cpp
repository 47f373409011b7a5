#include "matcher.h"

#include "accountbook.h"
#include "marketrecorder.h"
#include "simunits.h"

#include <algorithm>
#include <cmath>

Matcher::Matcher(OrderBook &book, AccountBook &accounts, MarketRecorder &recorder, quint32 marketMaker, const Fees &fees)
    : m_book(book)
    , m_accounts(accounts)
    , m_recorder(recorder)
    , m_marketMaker(marketMaker)
    , m_fees(fees)
    , m_last(book.reference() * SimUnits::tickSize)
{
}

qint64 Matcher::marketMakerLots() const
{
    return m_accounts[m_marketMaker].lots;
}

Matcher::Result Matcher::execute(quint32 taker, int side, qint64 lots, double limitPrice, qint64 now, qint64 ms, double takerFee)
{
    Result r;
    if (lots <= 0)
        return r;
    if (takerFee < 0)
        takerFee = m_fees.taker;
    m_fills.clear();
    m_makers.clear();
    // A buy's limit rounds down to a tick, a sell's up: never worse than asked.
    const int limitTick = limitPrice <= 0 ? 0
                          : side > 0     ? int(std::floor(limitPrice / SimUnits::tickSize))
                                         : int(std::ceil(limitPrice / SimUnits::tickSize));
    if (limitPrice > 0 && limitTick <= 0)
        return r;
    r.lots = m_book.market(side, lots, now, m_fills, limitTick);
    for (const OrderBook::Fill &f : m_fills) {
        const qint64 quote = qint64(f.tick) * f.lots;
        r.quote += quote;
        m_accounts.applyFill(taker, side * f.lots, quote, takerFee);
        if (f.maker == OrderBook::marketMaker) {
            m_accounts.applyFill(m_marketMaker, -side * f.lots, quote, m_fees.marketMaker);
        } else {
            m_accounts.applyFill(f.maker, -side * f.lots, quote, m_fees.maker);
            m_makers.push_back(f.maker);
        }
        m_recorder.trade(ms, f.tick * SimUnits::tickSize, SimUnits::coins(f.lots), side > 0);
        m_last = f.tick * SimUnits::tickSize;
    }
    if (r.lots > 0) {
        m_accounts.refreshLiquidation(taker);
        std::sort(m_makers.begin(), m_makers.end());
        m_makers.erase(std::unique(m_makers.begin(), m_makers.end()), m_makers.end());
        for (quint32 id : m_makers)
            m_accounts.refreshLiquidation(id);
    }
    return r;
}

void Matcher::fillResting(quint32 owner, int side, int tick, qint64 lots, qint64 ms)
{
    if (lots <= 0)
        return;
    const qint64 quote = qint64(tick) * lots;
    m_accounts.applyFill(owner, side * lots, quote, m_fees.maker);
    m_accounts.applyFill(m_marketMaker, -side * lots, quote, m_fees.marketMaker);
    m_recorder.trade(ms, tick * SimUnits::tickSize, SimUnits::coins(lots), side < 0);
    m_last = tick * SimUnits::tickSize;
    m_accounts.refreshLiquidation(owner);
}
