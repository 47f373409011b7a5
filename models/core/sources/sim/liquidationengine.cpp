#include "liquidationengine.h"

#include "accountbook.h"
#include "marketrecorder.h"
#include "matcher.h"
#include "simunits.h"

#include <algorithm>
#include <cmath>

LiquidationEngine::LiquidationEngine(AccountBook &accounts, Matcher &matcher, MarketRecorder &recorder, quint32 engineAccount,
                                     std::function<void(quint32)> retire)
    : m_accounts(accounts)
    , m_matcher(matcher)
    , m_recorder(recorder)
    , m_engine(engineAccount)
    , m_retire(std::move(retire))
{
    m_stats.minInsuranceFund = SimUnits::usd(m_accounts[m_engine].wallet);
    m_adlFloor = m_accounts[m_engine].wallet / 2;
}

int LiquidationEngine::sweep(double mark, qint64 now, qint64 ms)
{
    m_breached.clear();
    PriceLadder &longs = m_accounts.longLiquidations();
    PriceLadder &shorts = m_accounts.shortLiquidations();
    while (longs.reached(mark)) {
        m_breached.push_back(longs.front().id);
        longs.popFront();
    }
    while (shorts.reached(mark)) {
        m_breached.push_back(shorts.front().id);
        shorts.popFront();
    }
    for (quint32 id : m_breached) {
        m_accounts[id].liqPrice = 0; // popped above
        liquidate(id, mark, now, ms);
    }
    return int(m_breached.size());
}

void LiquidationEngine::liquidate(quint32 id, double mark, qint64 now, qint64 ms)
{
    // Whatever this account loses from here on is forced (ground truth for labelled tests).
    struct Forced
    {
        AccountBook &book;
        ~Forced() { book.setForced(AccountBook::noAccount); }
    } forced{m_accounts};
    m_accounts.setForced(id);
    AccountBook::Account &a = m_accounts[id];
    if (!a.alive || a.lots == 0)
        return;
    const int side = a.side();
    const double breachedUsd = mark * SimUnits::coins(qAbs(a.lots));
    m_stats.byKindUsd[size_t(a.kind)] += breachedUsd;
    m_stats.byLeverageUsd[int(std::lround(a.leverage))] += breachedUsd;
    const MarginBrackets &brackets = m_accounts.brackets();
    const int tier = brackets.indexAt(mark * SimUnits::coins(qAbs(a.lots)));
    if (tier >= 2) {
        // Partial liquidation: cut the position to just under its bracket's floor.
        const double floor = brackets.bracket(tier).floor * 0.999;
        const qint64 keep = std::max<qint64>(0, SimUnits::lotsFloor(floor / mark));
        const qint64 cut = qAbs(a.lots) - keep;
        if (cut > 0 && keep > 0) {
            ++m_stats.partials;
            const Matcher::Result r = m_matcher.execute(id, -side, cut, mark * (1.0 - side * priceBand), now, ms, 0.0);
            if (r.lots > 0) {
                ++m_stats.prints;
                m_stats.liquidatedUsd += double(r.quote) * SimUnits::tickSize * SimUnits::coins(1);
                m_recorder.liquidation(ms, side, r.average() * SimUnits::tickSize, SimUnits::coins(r.lots));
            }
            // The matcher re-filed the liquidation price; cured if the mark no longer reaches it.
            const AccountBook::Account &b = m_accounts[id];
            if (b.lots == 0 || b.liqPrice <= 0)
                return;
            const bool stillBreached = side > 0 ? b.liqPrice >= mark : b.liqPrice <= mark;
            if (!stillBreached)
                return;
            if (!m_accounts.longLiquidations().remove(id, b.liqPrice))
                m_accounts.shortLiquidations().remove(id, b.liqPrice);
            m_accounts[id].liqPrice = 0;
        }
    }

    // Takeover at the bankruptcy price: the account ends with nothing.
    AccountBook::Account &acc = m_accounts[id];
    const qint64 lots = acc.lots;
    const double qty = SimUnits::coins(qAbs(lots));
    const double bankruptcy = MarginBrackets::bankruptcyPrice(side, qty, acc.entry() * SimUnits::tickSize, SimUnits::usd(acc.wallet));
    const qint64 quote = std::max<qint64>(qAbs(lots), std::llround(std::max(0.0, bankruptcy) / SimUnits::tickSize * double(qAbs(lots))));
    m_accounts.applyFill(id, -lots, quote, 0.0);
    m_accounts.applyFill(m_engine, lots, quote, 0.0);
    // What is left (rounding, or a deficit if funding or a wick overran the margin) is the
    // insurance fund's.
    m_accounts[m_engine].wallet += m_accounts[id].wallet;
    m_accounts[id].wallet = 0;
    ++m_stats.takeovers;
    m_retire(id);

    const double band = mark * (1.0 - side * priceBand);
    sell(side, qAbs(lots), side > 0 ? std::max(bankruptcy, band) : std::min(bankruptcy, band), now, ms);
}

void LiquidationEngine::sell(int positionSide, qint64 lots, double limit, qint64 now, qint64 ms)
{
    const AccountBook::Account &engine = m_accounts[m_engine];
    // Only what the engine actually holds on that side.
    const qint64 held = positionSide > 0 ? std::max<qint64>(0, engine.lots) : std::max<qint64>(0, -engine.lots);
    lots = std::min(lots, held);
    if (lots <= 0)
        return;
    const Matcher::Result r = m_matcher.execute(m_engine, -positionSide, lots, limit, now, ms, 0.0);
    if (r.lots > 0) {
        ++m_stats.prints;
        m_stats.liquidatedUsd += double(r.quote) * SimUnits::tickSize * SimUnits::coins(1);
        m_recorder.liquidation(ms, positionSide, r.average() * SimUnits::tickSize, SimUnits::coins(r.lots));
    }
    m_stats.minInsuranceFund = std::min(m_stats.minInsuranceFund, SimUnits::usd(m_accounts[m_engine].wallet));
}

void LiquidationEngine::unload(double mark, qint64 now, qint64 ms)
{
    const qint64 lots = m_accounts[m_engine].lots;
    if (lots == 0)
        return;
    if (m_accounts[m_engine].wallet < m_adlFloor) {
        deleverage(mark);
        return;
    }
    const int side = lots > 0 ? 1 : -1;
    sell(side, qAbs(lots), mark * (1.0 - side * priceBand), now, ms);
}

void LiquidationEngine::deleverage(double mark)
{
    AccountBook::Account &engine = m_accounts[m_engine];
    const int side = engine.side();
    // Ranked by Binance's ADL score, profit % x effective leverage, best first.
    std::vector<std::pair<double, quint32>> queue;
    m_accounts.forEachAlive([&](quint32 id, const AccountBook::Account &a) {
        if (a.kind == AccountBook::Kind::MarketMaker || a.kind == AccountBook::Kind::Engine || a.side() != -side || a.wallet <= 0)
            return;
        const double entry = a.entry() * SimUnits::tickSize;
        const double profit = a.side() * (mark - entry) / entry;
        if (profit <= 0)
            return;
        const double notional = mark * SimUnits::coins(qAbs(a.lots));
        queue.push_back({profit * notional / SimUnits::usd(a.wallet), id});
    });
    std::sort(queue.begin(), queue.end(), [](const auto &x, const auto &y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    const double price = engine.entry(); // the engine's takeover (bankruptcy) price, in ticks
    for (const auto &[score, id] : queue) {
        const qint64 left = qAbs(m_accounts[m_engine].lots);
        if (left == 0)
            break;
        const qint64 lots = std::min(left, qAbs(m_accounts[id].lots));
        const qint64 quote = std::llround(price * double(lots));
        m_accounts.setForced(id); // auto-deleveraged: closed by the exchange, not by choice
        m_accounts.applyFill(id, side * lots, quote, 0.0);
        m_accounts.setForced(AccountBook::noAccount);
        m_accounts.applyFill(m_engine, -side * lots, quote, 0.0);
        m_accounts.refreshLiquidation(id);
        ++m_stats.adlAccounts;
        m_stats.adlUsd += double(quote) * SimUnits::tickSize * SimUnits::coins(1);
        if (m_accounts[id].lots == 0)
            m_retire(id);
    }
}
