#include "simengine.h"

#include "simunits.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr double secondsPerYear = 365.0 * 86400.0;
constexpr double impactNotional = 25'000; // Binance IMN for BTCUSDT: 200 USDT / 0.8 %
constexpr int premiumEverySeconds = 5;
constexpr int maxCascadeRounds = 50;
constexpr double typicalNotional = 13'000; // mean speculator position, USD (for scaling)

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
    const double expectedOiCoins = p.agents * typicalNotional / p.startPrice;
    c.inventoryLimitLots = std::max(1.0, 0.1 * expectedOiCoins * double(SimUnits::lotsPerCoin));
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
    c.interest = 0.0001 * p.fundingInterval / 8.0;
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
    , m_arb(arbConfig(m_p))
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
    if (m_now < 0)
        return;
    m_recorder.minuteOpen(ms, m_matcher->lastPrice());
    m_recorder.openInterest(ms, m_accounts.openInterestLots(), m_mark);
    m_recorder.predictedFunding(ms, m_predicted, m_funding.intervalHours());
    if (ms % (qint64(m_p.truthMinutes) * 60'000) == 0)
        m_recorder.groundTruth(ms, m_accounts);
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
    m_maker.quote(m_book, m_accounts[m_marketMakerId].lots, m_index.index(), m_index.calmShare());
    m_markPricer.sample(m_index.index(), mid());
    m_arbTarget = m_arb.target(m_predicted, m_index.index());
    m_book.setAnchor(m_arb.ladder(m_index.index(), m_accounts[m_arbId].lots, m_arbTarget, m_arbId));

    m_liquidation->unload(m_mark, m_now, ms);
    agents(ms);

    // Stops and take-profits on the last price.
    m_triggered.clear();
    m_exits.collectTriggered(m_matcher->lastPrice(), m_triggered);
    for (quint32 id : m_triggered) {
        if (m_accounts[id].alive) {
            ++m_stats.triggered;
            exit(id, ms);
        }
    }

    liquidations(ms);

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
    }

    m_due.clear();
    ExitBook::Planned planned;
    while (m_exits.popDue(m_now, planned))
        if (m_accounts.isAlive(planned.id, planned.generation))
            m_due.push_back(planned.id);
    m_entries.clear();
    m_flow.decide(m_signals, m_matcher->lastPrice(), m_predicted, m_entries);

    m_actions.clear();
    for (size_t i = 0; i < m_due.size(); ++i)
        m_actions.push_back({0, int(i)});
    for (size_t i = 0; i < m_entries.size(); ++i)
        m_actions.push_back({1, int(i)});
    m_actions.push_back({2, 0});
    for (size_t i = m_actions.size(); i > 1; --i)
        std::swap(m_actions[i - 1], m_actions[size_t(m_rng.next() % i)]);

    for (const Action &act : m_actions) {
        if (act.kind == 0) {
            const quint32 id = m_due[size_t(act.index)];
            if (m_accounts[id].alive) {
                ++m_stats.exits;
                exit(id, ms);
            }
        } else if (act.kind == 1) {
            enter(m_entries[size_t(act.index)], ms);
        } else {
            const double index = m_index.index();
            const double premium = (mid() - index) / index;
            const qint64 lots = m_arb.unwind(premium, m_accounts[m_arbId].lots, m_arbTarget, index);
            if (lots != 0) {
                const int side = lots > 0 ? 1 : -1;
                m_matcher->execute(m_arbId, side, qAbs(lots), bandLimit(side), m_now, ms, 0.0002);
                m_book.setAnchor(m_arb.ladder(index, m_accounts[m_arbId].lots, m_arbTarget, m_arbId));
            }
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
    m_exits.plan(id, m_accounts[id].generation, m_now + e.holdSeconds);
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
            m_exits.plan(id, m_accounts[id].generation, m_now + 1);
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
