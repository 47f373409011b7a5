#include "simengine.h"

#include "simunits.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr double secondsPerYear = 365.0 * 86400.0;
constexpr double impactNotional = 25'000; // Binance IMN for BTCUSDT: 200 USDT / 0.8 %
constexpr int premiumEverySeconds = 5;
constexpr int maxCascadeRounds = 50;
constexpr double marginCallShare = 0.6;         // of the way from entry to liquidation
constexpr double marginCallDelaySeconds = 600;  // mean time to act on it

IndexProcess::Config indexConfig(const SimScenario::Params &p)
{
    IndexProcess::Config c;
    c.startPrice = p.startPrice;
    c.calmVolatility = p.volatility;
    c.stressVolatility = p.stressVolatility;
    c.stressShare = p.stressShare;
    c.jumpsPerDay = p.jumpsPerDay;
    c.jumpSize = p.jumpSize;
    c.drift = p.drift;
    c.flowImpactPerCoin = 0.01 / (p.spotDepth / p.startPrice);
    return c;
}

OrderBook::Config bookConfig(const SimScenario::Params &p)
{
    OrderBook::Config c;
    c.referenceTick = int(std::lround(p.startPrice / SimUnits::tickSize));
    c.decayTicks = std::max(20.0, p.startPrice * 0.002 / SimUnits::tickSize);
    c.maxDepthTicks = int(std::max(200.0, p.startPrice * 0.08 / SimUnits::tickSize));
    c.resilienceSeconds = p.resilience;
    return c;
}

MarketMaker::Config makerConfig(const SimScenario::Params &p, const OrderBook &book)
{
    MarketMaker::Config c;
    const int onePercent = int(p.startPrice * 0.01 / SimUnits::tickSize);
    c.baseScale = p.depth / p.startPrice / book.profileSum(onePercent);
    c.withdrawal = p.mmWithdrawal;
    c.referenceSigma = 1.5 * p.volatility / std::sqrt(secondsPerYear);
    return c;
}

SpeculatorFlow::Config flowConfig(const SimScenario::Params &p)
{
    SpeculatorFlow::Config c;
    c.agents = p.agents;
    c.leverage = p.leverage;
    c.momentum = p.momentum;
    c.longBias = p.longBias;
    c.roundEntries = p.roundEntries;
    c.roundStep = p.roundStep;
    c.interest = 0.0001 * p.fundingInterval / 8.0;
    return c;
}

BasisArbitrageur::Config arbConfig(const SimScenario::Params &p)
{
    BasisArbitrageur::Config c;
    c.capital = p.arbCapital;
    c.intervalHours = p.fundingInterval;
    return c;
}

FundingEngine::Config fundingConfig(const SimScenario::Params &p)
{
    FundingEngine::Config c;
    c.intervalHours = int(p.fundingInterval);
    return c;
}

} // namespace

SimEngine::SimEngine(const SimScenario &scenario, quint64 seed, const Instrument &instrument, qint64 startMs, qint64 warmupSeconds)
    : m_p(scenario.params())
    , m_instrument(instrument)
    , m_startMs(startMs)
    , m_now(-warmupSeconds)
    , m_rng(seed, 3)
    , m_index(indexConfig(m_p), seed)
    , m_book(bookConfig(m_p))
    , m_maker(makerConfig(m_p, m_book))
    , m_recorder(instrument)
    , m_signals(m_p.startPrice, m_p.volatility / std::sqrt(secondsPerYear))
    , m_flow(flowConfig(m_p), seed)
    , m_arb(arbConfig(m_p), seed)
    , m_funding(fundingConfig(m_p))
{
    using Kind = AccountBook::Kind;
    m_marketMakerId = m_accounts.open(Kind::MarketMaker, false, false, 1, SimUnits::micro(1e11));
    m_engineId = m_accounts.open(Kind::Engine, false, false, 1, SimUnits::micro(m_p.insuranceFund));
    // Hedged on spot and portfolio-margined: the arbitrageurs are never liquidated.
    m_arbId = m_accounts.open(Kind::Arbitrageur, false, false, 1, SimUnits::micro(std::max(1e6, m_p.arbCapital)));
    m_matcher = std::make_unique<Matcher>(m_book, m_accounts, m_recorder, m_marketMakerId, Matcher::Fees{});
    m_liquidation = std::make_unique<LiquidationEngine>(m_accounts, *m_matcher, m_recorder, m_engineId, [this](quint32 id) { retire(id); });
    m_prevMid = mid();
    m_mark = mid();
    m_predicted = m_funding.predicted();
    m_entries.reserve(64);
}

SimEngine::~SimEngine() = default;

double SimEngine::insuranceFund() const
{
    return SimUnits::usd(m_accounts[m_engineId].wallet);
}

const SimEngine::Stats &SimEngine::stats() const
{
    m_stats.liquidation = m_liquidation->stats();
    return m_stats;
}

void SimEngine::run(qint64 seconds)
{
    for (qint64 i = 0; i < seconds; ++i)
        tick();
}

double SimEngine::computeMark(qint64 ms) const
{
    const double until = double(m_funding.nextSettlement(ms) - ms) / double(m_funding.intervalMs());
    return m_markPricer.mark(m_index.index(), m_matcher->lastPrice(), m_predicted, until);
}

void SimEngine::onMinute(qint64 ms)
{
    m_signals.onMinute(m_matcher->lastPrice());
    m_predicted = m_funding.predicted();
    m_arb.observeFunding(m_predicted);
    if (m_now < 0)
        return;
    m_recorder.minuteOpen(ms, m_matcher->lastPrice());
    m_recorder.openInterest(ms, m_accounts.openInterestLots(), m_mark);
    m_recorder.predictedFunding(ms, m_predicted, m_funding.intervalHours());
    if (ms % (qint64(m_p.truthMinutes) * 60'000) == 0)
        m_recorder.groundTruth(ms, m_accounts, m_mark);
    if (m_auditEvery > 0 && (m_now / 60) % m_auditEvery == 0) {
        const AccountBook::Audit a = m_accounts.audit();
        ++m_audit.checks;
        if (a.longLots != a.runningOi || a.shortLots != a.runningOi)
            ++m_audit.oiMismatches;
        if (a.imbalance != 0)
            ++m_audit.ledgerMismatches;
        if (qAbs(a.imbalance) > qAbs(m_audit.worstImbalance))
            m_audit.worstImbalance = a.imbalance;
        m_audit.oiLots.push_back({ms, a.longLots});
    }
}

void SimEngine::tick()
{
    const qint64 ms = timeMs();
    ++m_stats.ticks;
    if (m_now == 0)
        m_recorder = MarketRecorder(m_instrument); // the warm-up is not part of the record
    if (ms % 60'000 == 0)
        onMinute(ms);
    if (m_funding.isSettlement(ms)) {
        const double rate = m_funding.settle();
        m_accounts.settleFunding(rate, m_mark);
        if (m_now >= 0)
            m_recorder.settledFunding(ms, rate, m_funding.intervalHours());
        m_predicted = m_funding.predicted();
    }

    // Exogenous layer, then the market maker re-quotes around it.
    const double midNow = mid();
    m_index.step(m_spotFlow);
    m_spotFlow = 0;
    m_maker.observe(std::log(midNow / m_prevMid));
    m_prevMid = midNow;
    m_maker.quote(m_book, m_accounts[m_marketMakerId].lots, m_accounts.openInterestLots(), m_index.index(), m_index.calmShare());
    m_markPricer.sample(m_index.index(), mid());
    m_arbTarget = m_arb.target(m_index.index());
    m_book.setAnchor(m_arb.ladder(m_index.index(), m_accounts[m_arbId].lots, m_arbTarget, m_arbId));

    m_liquidation->unload(m_mark, m_now, ms);
    agents(ms);

    // Stops and take-profits on the last price.
    m_triggered.clear();
    m_exits.collectTriggered(m_matcher->lastPrice(), m_triggered);
    for (quint32 id : m_triggered) {
        if (m_accounts[id].alive) {
            ++m_stats.triggered;
            countClose(id, m_stats.longClosedTriggeredUsd);
            exit(id, ms);
        }
    }

    liquidations(ms);
    marginCalls();

    if (m_now % premiumEverySeconds == 0) {
        const double index = m_index.index();
        const double bid = m_book.impactPrice(-1, impactNotional, m_now);
        const double ask = m_book.impactPrice(1, impactNotional, m_now);
        m_funding.addSample(FundingEngine::premium(bid, ask, index));
    }
    if (m_now >= 0)
        m_recorder.mark(ms, m_mark);
    m_signals.onSecond(m_matcher->lastPrice());

    // The market maker and the arbitrageurs lay off on spot what they took on in the perp.
    const qint64 makerLots = m_accounts[m_marketMakerId].lots;
    const qint64 arbLots = m_accounts[m_arbId].lots;
    m_spotFlow -= SimUnits::coins((makerLots - m_prevMakerLots) + (arbLots - m_prevArbLots));
    m_prevMakerLots = makerLots;
    m_prevArbLots = arbLots;
    m_stats.maxMarketMakerLots = std::max(m_stats.maxMarketMakerLots, qAbs(makerLots));
    m_stats.maxOpenAccounts = std::max(m_stats.maxOpenAccounts, m_accounts.aliveCount());
    ++m_now;
}

void SimEngine::countClose(quint32 id, double &usd) const
{
    const AccountBook::Account &a = m_accounts[id];
    if (a.lots > 0)
        usd += SimUnits::coins(a.lots) * m_mark;
}

void SimEngine::armMarginCall(quint32 id)
{
    AccountBook::Account &a = m_accounts[id];
    if (a.onMarginCall == 0 || a.lots == 0 || a.liqPrice <= 0)
        return;
    if (a.marginCall > 0)
        m_exits.clearMarginCall(id, a.side(), a.marginCall);
    const double entry = a.entry() * SimUnits::tickSize;
    a.marginCall = entry + (a.liqPrice - entry) * marginCallShare;
    m_exits.setMarginCall(id, a.side(), a.marginCall);
}

void SimEngine::marginCalls()
{
    m_called.clear();
    m_exits.collectMarginCalls(m_mark, m_called);
    for (quint32 id : m_called) {
        AccountBook::Account &a = m_accounts[id];
        if (!a.alive)
            continue;
        // Noticed; acted on a few minutes later (if the position is still there).
        m_exits.planReaction(id, a.generation, m_now + qint64(m_rng.exponential(marginCallDelaySeconds)) + 1);
    }
}

void SimEngine::react(quint32 id, qint64 ms)
{
    AccountBook::Account &a = m_accounts[id];
    if (a.lots == 0 || a.marginCall <= 0)
        return;
    const bool stillThere = a.side() > 0 ? m_mark <= a.marginCall : m_mark >= a.marginCall;
    if (!stillThere) {
        m_exits.setMarginCall(id, a.side(), a.marginCall); // it recovered: watch again
        return;
    }
    ++m_stats.marginCalls;
    if (a.onMarginCall == 2) {
        countClose(id, m_stats.longClosedCutUsd);
        exit(id, ms);
        return;
    }
    // Adds the initial margin again, pushing the liquidation price away.
    m_accounts.addMargin(id, std::llround(double(a.cost) * double(SimUnits::microPerTickLot) / a.leverage));
    a.marginCall = 0;
    armMarginCall(id);
}

void SimEngine::liquidations(qint64 ms)
{
    for (int round = 0; round < maxCascadeRounds; ++round) {
        m_markPricer.revise(m_index.index(), mid());
        m_mark = computeMark(ms);
        if (m_liquidation->sweep(m_mark, m_now, ms + round * 20) == 0)
            break;
    }
}

void SimEngine::agents(qint64 ms)
{
    // Resting entries the maker's quotes moved through fill at their price.
    for (const OrderBook::Crossed &c : m_book.takeCrossed()) {
        AccountBook::Account &a = m_accounts[c.order.owner];
        if (!a.alive)
            continue;
        a.restingTick = 0;
        m_matcher->fillResting(c.order.owner, c.side < 0 ? 1 : -1, c.tick, c.order.lots, ms);
        planExit(c.order.owner, m_now + m_accounts[c.order.owner].holdSeconds); // the hold starts now
        armMarginCall(c.order.owner);
    }

    ExitBook::Planned planned;
    while (m_exits.popDueReaction(m_now, planned))
        if (m_accounts.isAlive(planned.id, planned.generation))
            react(planned.id, ms);

    m_due.clear();
    while (m_exits.popDue(m_now, planned))
        if (m_accounts.isAlive(planned.id, planned.generation) && m_accounts[planned.id].exitAt == planned.at)
            m_due.push_back(planned.id);
    m_entries.clear();
    m_flow.decide(m_signals, m_matcher->lastPrice(), m_predicted, m_entries);

    m_actions.clear();
    for (size_t i = 0; i < m_due.size(); ++i)
        m_actions.push_back({0, int(i)});
    for (size_t i = 0; i < m_entries.size(); ++i)
        m_actions.push_back({1, int(i)});
    for (size_t i = m_actions.size(); i > 1; --i)
        std::swap(m_actions[i - 1], m_actions[size_t(m_rng.next() % i)]);

    for (const Action &act : m_actions) {
        if (act.kind == 0) {
            const quint32 id = m_due[size_t(act.index)];
            if (m_accounts[id].alive) {
                ++m_stats.exits;
                countClose(id, m_stats.longClosedPlannedUsd);
                exit(id, ms);
            }
        } else {
            enter(m_entries[size_t(act.index)], ms);
        }
    }
}

qint64 SimEngine::clipLots(int side) const
{
    // What rests within 0.3 % of mid on the side the order takes, at least a tenth of a coin.
    const double coins = m_book.quotedDepth(side, 0.003);
    return std::max<qint64>(SimUnits::lotsPerCoin / 10, SimUnits::lotsFloor(coins));
}

double SimEngine::bandLimit(int side) const
{
    return m_mark * (1.0 + side * LiquidationEngine::priceBand);
}

void SimEngine::enter(const SpeculatorFlow::Entry &e, qint64 ms)
{
    const double price = e.limitTick ? e.limitTick * SimUnits::tickSize : m_matcher->lastPrice();
    qint64 lots = SimUnits::lotsFloor(e.notional / price);
    if (!e.limitTick)
        lots = std::min(lots, clipLots(e.side)); // traders size market orders to the book
    if (lots <= 0)
        return;
    ++m_stats.entries;
    const quint32 id = m_accounts.open(e.kind, true, true, e.leverage);
    AccountBook::Account &a = m_accounts[id];
    a.intent = qint8(e.side);
    a.marginBuffer = e.marginBuffer;
    a.onMarginCall = qint8(e.onMarginCall);
    a.takeProfit = e.takeProfit;
    a.stopLoss = e.stopLoss;
    if (e.limitTick) {
        m_book.addResting(e.side > 0 ? -1 : 1, e.limitTick, id, lots);
        a.restingTick = e.limitTick;
    } else if (m_matcher->execute(id, e.side, lots, bandLimit(e.side), m_now, ms).lots == 0) {
        retire(id);
        return;
    }
    m_exits.setTriggers(id, e.side, e.takeProfit, e.stopLoss);
    armMarginCall(id);
    if (e.limitTick) {
        // A limit order waits hours, not for the whole hold: unfilled by then, it is cancelled.
        a.holdSeconds = e.holdSeconds;
        planExit(id, m_now + std::min(e.holdSeconds, e.orderLifeSeconds));
    } else {
        planExit(id, m_now + e.holdSeconds);
    }
}

void SimEngine::planExit(quint32 id, qint64 at)
{
    AccountBook::Account &a = m_accounts[id];
    a.exitAt = at;
    m_exits.plan(id, a.generation, at);
}

void SimEngine::exit(quint32 id, qint64 ms)
{
    AccountBook::Account &a = m_accounts[id];
    if (a.restingTick) {
        m_book.cancelResting(a.intent > 0 ? -1 : 1, a.restingTick, id);
        a.restingTick = 0;
    }
    if (a.lots != 0) {
        const int side = a.lots > 0 ? -1 : 1;
        m_matcher->execute(id, side, std::min(qAbs(a.lots), clipLots(side)), bandLimit(side), m_now, ms);
        if (m_accounts[id].lots != 0) {
            // Worked in clips the book can take: the rest goes next second.
            planExit(id, m_now + 1);
            return;
        }
    }
    retire(id);
}

void SimEngine::retire(quint32 id)
{
    AccountBook::Account &a = m_accounts[id];
    if (a.kind == AccountBook::Kind::Arbitrageur)
        return; // the desk stays open, flat or not
    m_exits.clearTriggers(id, a.intent, a.takeProfit, a.stopLoss);
    if (a.marginCall > 0) {
        m_exits.clearMarginCall(id, a.intent, a.marginCall);
        a.marginCall = 0;
    }
    if (a.restingTick) {
        m_book.cancelResting(a.intent > 0 ? -1 : 1, a.restingTick, id);
        a.restingTick = 0;
    }
    if (a.wallet < 0) {
        // A loss beyond the margin (closed into a wick): the insurance fund makes it good.
        m_accounts[m_engineId].wallet += a.wallet;
        a.wallet = 0;
    }
    m_accounts.release(id);
}
