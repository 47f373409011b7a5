#include "accountbook.h"

#include "simunits.h"

#include <cmath>

AccountBook::AccountBook()
    : m_brackets(MarginBrackets::btcusdt())
{
}

quint32 AccountBook::open(Kind kind, bool isolated, bool liquidatable, double leverage, qint64 deposit)
{
    quint32 id;
    if (!m_free.empty()) {
        id = m_free.back();
        m_free.pop_back();
    } else {
        id = quint32(m_accounts.size());
        m_accounts.emplace_back();
    }
    Account &a = m_accounts[id];
    const quint32 generation = a.generation + 1;
    a = Account{};
    a.generation = generation;
    a.kind = kind;
    a.isolated = isolated;
    a.liquidatable = liquidatable;
    a.leverage = leverage;
    a.wallet = deposit;
    a.alive = true;
    m_deposits += deposit;
    ++m_alive;
    return id;
}

void AccountBook::release(quint32 id)
{
    Account &a = m_accounts[id];
    Q_ASSERT(a.alive && a.lots == 0);
    unlist(id);
    m_withdrawals += a.wallet;
    a.wallet = 0;
    a.alive = false;
    --m_alive;
    m_free.push_back(id);
}

void AccountBook::unlist(quint32 id)
{
    Account &a = m_accounts[id];
    if (a.liqPrice > 0) {
        if (!m_longLiq.remove(id, a.liqPrice))
            m_shortLiq.remove(id, a.liqPrice);
        a.liqPrice = 0;
    }
}

void AccountBook::applyFill(quint32 id, qint64 signedLots, qint64 quoteTickLots, double feeRate)
{
    Account &a = m_accounts[id];
    const qint64 before = a.lots;
    const qint64 fee = std::llround(double(quoteTickLots) * double(SimUnits::microPerTickLot) * feeRate);
    qint64 addLots = signedLots, addQuote = quoteTickLots;

    // Reduce first (up to the open size), then add whatever flips the position.
    if (before != 0 && (before > 0) != (signedLots > 0)) {
        const qint64 reduce = std::min(qAbs(signedLots), qAbs(before));
        const qint64 reduceQuote = reduce == qAbs(signedLots) ? quoteTickLots : qint64(std::llround(double(quoteTickLots) * double(reduce) / double(qAbs(signedLots))));
        const qint64 removed = reduce == qAbs(before) ? a.cost : qint64(std::llround(double(a.cost) * double(reduce) / double(qAbs(before))));
        const qint64 sign = before > 0 ? 1 : -1;
        a.wallet += sign * (reduceQuote - removed) * SimUnits::microPerTickLot;
        a.cost -= removed;
        a.lots += before > 0 ? -reduce : reduce;
        addLots = signedLots > 0 ? signedLots - reduce : signedLots + reduce;
        addQuote = quoteTickLots - reduceQuote;
    }
    if (addLots != 0) {
        a.cost += addQuote;
        a.lots += addLots;
        if (a.isolated) {
            // The speculator brings the initial margin of what it adds, and its spare
            // collateral with it.
            const qint64 margin = std::llround(double(addQuote) * double(SimUnits::microPerTickLot) / a.leverage * (1.0 + a.marginBuffer));
            a.wallet += margin;
            m_deposits += margin;
        }
    }
    if (fee != 0) {
        if (a.isolated) {
            m_deposits += fee; // paid from the speculator's spot wallet, outside the position
        } else {
            a.wallet -= fee;
        }
        m_fees += fee;
    }
    if (a.lots == 0)
        a.cost = 0;
    setOi(before, a.lots);
    trackFlows(id, before, a.lots);
}

void AccountBook::trackFlows(quint32 id, qint64 before, qint64 after)
{
    const Kind k = m_accounts[id].kind;
    if (k == Kind::Arbitrageur || k == Kind::MarketMaker || k == Kind::Engine || before == after)
        return;
    const auto side = [](qint64 lots) { return lots > 0 ? 0 : 1; };
    qint64 *out = id == m_forced ? m_flows.forced : m_flows.closed;
    if (before != 0 && (after == 0 || (before > 0) != (after > 0))) {
        out[side(before)] += qAbs(before); // closed (a flip closes first)
        m_flows.open[side(before)] -= qAbs(before);
        before = 0;
    }
    if (after == 0)
        return;
    const qint64 delta = qAbs(after) - qAbs(before);
    (delta > 0 ? m_flows.opened : out)[side(after)] += qAbs(delta);
    m_flows.open[side(after)] += delta;
}

void AccountBook::addMargin(quint32 id, qint64 micro)
{
    Account &a = m_accounts[id];
    a.wallet += micro;
    m_deposits += micro;
    refreshLiquidation(id);
}

void AccountBook::refreshLiquidation(quint32 id)
{
    Account &a = m_accounts[id];
    if (!a.liquidatable)
        return;
    if (a.liqPrice > 0) {
        // The entry was filed under the side the position had then; try both (a flip is rare).
        if (!m_longLiq.remove(id, a.liqPrice))
            m_shortLiq.remove(id, a.liqPrice);
        a.liqPrice = 0;
    }
    if (a.lots == 0)
        return;
    const double qty = SimUnits::coins(qAbs(a.lots));
    const double lp = m_brackets.liquidationPrice(a.side(), qty, a.entry() * SimUnits::tickSize, SimUnits::usd(a.wallet));
    if (lp <= 0)
        return;
    a.liqPrice = lp;
    (a.lots > 0 ? m_longLiq : m_shortLiq).insert(id, lp);
}

qint64 AccountBook::settleFunding(double rate, double mark)
{
    qint64 gross = 0, net = 0;
    m_longLiq.clear();
    m_shortLiq.clear();
    for (quint32 id = 0; id < m_accounts.size(); ++id) {
        Account &a = m_accounts[id];
        if (!a.alive || a.lots == 0)
            continue;
        const qint64 pay = std::llround(rate * mark * SimUnits::coins(qAbs(a.lots)) * SimUnits::microPerUsd);
        const qint64 signedPay = a.lots > 0 ? pay : -pay; // what the account pays
        a.wallet -= signedPay;
        net += signedPay;
        gross += qAbs(pay);
        a.liqPrice = 0;
        if (a.liquidatable) {
            const double lp = m_brackets.liquidationPrice(a.side(), SimUnits::coins(qAbs(a.lots)), a.entry() * SimUnits::tickSize,
                                                          SimUnits::usd(a.wallet));
            if (lp > 0) {
                a.liqPrice = lp;
                (a.lots > 0 ? m_longLiq : m_shortLiq).append(id, lp);
            }
        }
    }
    m_longLiq.sortAll();
    m_shortLiq.sortAll();
    m_fundingResidual += net;
    return gross;
}

double AccountBook::equity(quint32 id, double mark) const
{
    const Account &a = m_accounts[id];
    const double upnl = a.side() * (mark / SimUnits::tickSize * double(qAbs(a.lots)) - double(a.cost)) * double(SimUnits::microPerTickLot);
    return SimUnits::usd(a.wallet) + upnl / SimUnits::microPerUsd;
}

double AccountBook::maintenance(quint32 id, double mark) const
{
    const Account &a = m_accounts[id];
    return m_brackets.maintenance(mark * SimUnits::coins(qAbs(a.lots)));
}

AccountBook::Audit AccountBook::audit() const
{
    Audit r;
    r.runningOi = m_oiLots;
    qint64 wallets = 0, signedCost = 0;
    for (const Account &a : m_accounts) {
        if (!a.alive)
            continue;
        ++r.openAccounts;
        if (a.lots > 0)
            r.longLots += a.lots;
        else
            r.shortLots -= a.lots;
        wallets += a.wallet;
        signedCost += (a.lots > 0 ? 1 : a.lots < 0 ? -1 : 0) * a.cost;
    }
    // Σ unrealised PnL at any price P is P·Σlots - Σ signed cost = -Σ signed cost (Σlots = 0).
    const qint64 held = wallets - signedCost * SimUnits::microPerTickLot + m_fees + m_fundingResidual;
    r.imbalance = (m_deposits - m_withdrawals) - held;
    return r;
}
