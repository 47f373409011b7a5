#pragma once

#include "accountbook.h"
#include "basisarbitrageur.h"
#include "exitbook.h"
#include "fundingengine.h"
#include "indexprocess.h"
#include "liquidationengine.h"
#include "markpricer.h"
#include "marketmaker.h"
#include "marketrecorder.h"
#include "marketsignals.h"
#include "matcher.h"
#include "orderbook.h"
#include "simrandom.h"
#include "simscenario.h"
#include "simunits.h"
#include "speculatorflow.h"

#include <memory>
#include <vector>

// One simulated perpetual market, advanced in 1 s ticks (research/models.md §3.2 update
// order): index and regime; market maker re-quotes; speculators' exits and arrivals and the
// arbitrageur trade in random order; stops and take-profits fire on the last price; the
// liquidation engine sweeps at the mark until nothing is breached (the in-tick cascade);
// funding is sampled every 5 s and settled on the interval. Minute, funding and
// ground-truth records go to the MarketRecorder. No Qt event loop, no I/O: deterministic for
// a seed and scenario.
class SimEngine
{
public:
    struct Stats
    {
        qint64 ticks = 0;
        qint64 entries = 0, exits = 0, triggered = 0, marginCalls = 0;
        // Long positions closed, USD at the close (reasons: planned, stop or take-profit,
        // margin call cut), so a fall in open interest can be attributed.
        double longClosedPlannedUsd = 0, longClosedTriggeredUsd = 0, longClosedCutUsd = 0;
        qint64 maxOpenAccounts = 0;
        qint64 maxMarketMakerLots = 0;
        LiquidationEngine::Stats liquidation;
    };
    // Independent re-computation of open interest and of the ledger at sampled minutes.
    struct AuditLog
    {
        qint64 checks = 0;
        qint64 oiMismatches = 0;     // recorded OI != Σ long lots or != Σ short lots
        qint64 ledgerMismatches = 0; // money created or destroyed
        qint64 worstImbalance = 0;   // µUSDT
        std::vector<std::pair<qint64, qint64>> oiLots; // (ms, Σ long lots) at each check
    };

    static constexpr qint64 defaultWarmup = SimScenario::warmupSeconds;

    // History starts at startMs; the market first runs `warmupSeconds` unrecorded, so
    // positions, funding and OI are already built up when the record begins. run() covers
    // the warm-up first (elapsedSeconds() is negative until the record starts).
    SimEngine(const SimScenario &scenario, quint64 seed, const Instrument &instrument, qint64 startMs, qint64 warmupSeconds = defaultWarmup);
    ~SimEngine();

    void run(qint64 seconds);
    qint64 elapsedSeconds() const { return m_now; }
    qint64 timeMs() const { return m_startMs + m_now * 1000; }
    MarketBatch take() { return m_recorder.take(); }

    void setAuditEveryMinutes(int minutes) { m_auditEvery = minutes; }
    const AuditLog &auditLog() const { return m_audit; }
    AccountBook::Audit audit() const { return m_accounts.audit(); }
    const Stats &stats() const;
    const AccountBook &accounts() const { return m_accounts; }
    const AccountBook::Flows &flows() const { return m_accounts.flows(); }
    double lastPrice() const { return m_matcher->lastPrice(); }
    double indexPrice() const { return m_index.index(); }
    double markPrice() const { return m_mark; }
    double marketMakerDepthFactor() const { return m_maker.depthFactor(); }
    double insuranceFund() const;

private:
    void tick();
    void onMinute(qint64 ms);
    void agents(qint64 ms);
    void enter(const SpeculatorFlow::Entry &e, qint64 ms);
    void exit(quint32 id, qint64 ms);
    void planExit(quint32 id, qint64 at);
    void retire(quint32 id);
    void liquidations(qint64 ms);
    void armMarginCall(quint32 id);
    void countClose(quint32 id, double &usd) const;
    void marginCalls();
    void react(quint32 id, qint64 ms);
    double computeMark(qint64 ms) const;
    double bandLimit(int side) const; // the exchange's price band: how far a market order may walk
    qint64 clipLots(int side) const;  // the largest market order a trader sends at once
    double mid() const { return m_book.reference() * SimUnits::tickSize; }

    SimScenario::Params m_p;
    Instrument m_instrument;
    qint64 m_startMs;
    qint64 m_now; // seconds since the start of the history (negative during warm-up)
    SimRandom m_rng;
    IndexProcess m_index;
    OrderBook m_book;
    MarketMaker m_maker;
    AccountBook m_accounts;
    MarketRecorder m_recorder;
    MarketSignals m_signals;
    SpeculatorFlow m_flow;
    BasisArbitrageur m_arb;
    FundingEngine m_funding;
    MarkPricer m_markPricer;
    ExitBook m_exits;
    std::unique_ptr<Matcher> m_matcher;
    std::unique_ptr<LiquidationEngine> m_liquidation;
    quint32 m_marketMakerId = 0, m_arbId = 0, m_engineId = 0;
    double m_spotFlow = 0;
    double m_prevMid = 0;
    qint64 m_prevMakerLots = 0, m_prevArbLots = 0;
    qint64 m_arbTarget = 0;
    double m_mark = 0;
    double m_predicted = 0;
    int m_auditEvery = 0;
    AuditLog m_audit;
    mutable Stats m_stats;

    // Scratch space reused every tick.
    std::vector<SpeculatorFlow::Entry> m_entries;
    std::vector<quint32> m_due, m_triggered, m_called;
    struct Action
    {
        int kind; // 0 exit, 1 entry, 2 arbitrage
        int index;
    };
    std::vector<Action> m_actions;
};
