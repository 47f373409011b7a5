#pragma once

#include "orderbook.h"

#include <QtGlobal>

#include <vector>

class AccountBook;
class MarketRecorder;

// Executes market orders: walks the book, settles every fill between the taker and the
// maker (the market maker's account, or the agent whose resting order it was), feeds the
// trade tape and refreshes the liquidation prices of everyone whose position changed.
class Matcher
{
public:
    struct Fees
    {
        double taker = 0.0004;
        double maker = 0.0002;     // agents' resting orders
        double marketMaker = 0.0;  // VIP maker
    };
    struct Result
    {
        qint64 lots = 0;       // filled
        qint64 quote = 0;      // Σ tick x lots
        double average() const { return lots ? double(quote) / double(lots) : 0; }
    };

    Matcher(OrderBook &book, AccountBook &accounts, MarketRecorder &recorder, quint32 marketMaker, const Fees &fees);

    // side +1 buy, -1 sell, an IOC never filled beyond limitPrice (0 = no limit). ms: time
    // stamp for the tape. takerFee < 0 = the default.
    Result execute(quint32 taker, int side, qint64 lots, double limitPrice, qint64 now, qint64 ms, double takerFee = -1);
    // A resting order the market maker's quotes moved through: it trades at its own price
    // against the maker (who is the aggressor). side = the resting owner's side.
    void fillResting(quint32 owner, int side, int tick, qint64 lots, qint64 ms);
    double lastPrice() const { return m_last; }
    void setLastPrice(double p) { m_last = p; }
    qint64 marketMakerLots() const;

private:
    OrderBook &m_book;
    AccountBook &m_accounts;
    MarketRecorder &m_recorder;
    quint32 m_marketMaker;
    Fees m_fees;
    double m_last = 0;
    std::vector<OrderBook::Fill> m_fills;
    std::vector<quint32> m_makers;
};
