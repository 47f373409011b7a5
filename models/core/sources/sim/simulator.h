#pragma once

#include "simscenario.h"
#include "sources/datasource.h"

#include <QElapsedTimer>

#include <memory>

class QTimer;
class ReplayCheck;
class SimEngine;

// The embedded default source: an agent-based perpetual-futures market (SimEngine) run as a
// DataSource. Backfill runs as fast as the writer takes it, in 4-hour slices aligned to the
// candle tiers, one batch per slice, with progress; the warm-up day before the history is
// simulated but not recorded. In live mode it then keeps going at `speed` simulated
// seconds per real second (at 1x it keeps pace with the wall clock), re-sending the open
// 1m bar every tick so candles move and liquidations appear as they happen. A run the store
// already holds is continued, not rewritten (Options::resumeMs).
class Simulator : public DataSource
{
    Q_OBJECT
public:
    struct Options
    {
        SimScenario scenario;
        quint64 seed = 42;
        Instrument instrument{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
        qint64 startMs = 0; // minute-aligned
        qint64 endMs = 0;   // backfill ends here; live continues from it
        bool live = false;
        double speed = 1.0;
        qint64 warmupSeconds = SimScenario::warmupSeconds;
        int auditEveryMinutes = 0; // > 0: SimEngine audits OI and the ledger (tests)
        // > startMs: the store already holds this run's history up to the bar at resumeMs
        // (SimHistory::resolve). The market is replayed silently up to there, each slice
        // checked against the stored rows (ReplayCheck), and continues from that bar on, so
        // every stored minute stays as it is and the history grows.
        qint64 resumeMs = 0;
    };

    explicit Simulator(const Options &options, QObject *parent = nullptr);
    ~Simulator() override;

    QString displayName() const override;
    QList<Instrument> instruments() const override { return {m_options.instrument}; }
    bool isSimulated() const override { return true; }
    std::optional<CoverageQuality> liquidationCoverage() const override { return CoverageQuality::Complete; }
    // A new run starts from its own warm-up: an earlier run's rows must not mix with it. A
    // continued run adds to its own stored history.
    bool replacesStoredHistory() const override { return !resumes(); }
    bool resumes() const { return m_options.resumeMs > m_options.startMs; }
    QString plan() const override;
    QHash<QString, QString> metadata() const override;

    const Options &options() const { return m_options; }
    // The running market (nullptr before start()): its audit log and statistics.
    const SimEngine *engine() const { return m_engine.get(); }

public slots:
    void start() override;
    void stop() override;

private:
    void backfillStep();
    void liveStep();
    void emitBatch();
    bool replayTo(qint64 next);

    Options m_options;
    std::unique_ptr<SimEngine> m_engine;
    std::unique_ptr<ReplayCheck> m_check;
    QTimer *m_liveTimer = nullptr;
    QElapsedTimer m_liveClock;
    qint64 m_liveStartMs = 0;
    qint64 m_coveredTo = 0; // coverage recorded up to here
    bool m_running = false;
};
