#include "simulator.h"

#include "domain/numbers.h"
#include "domain/timeformat.h"
#include "marketrecorder.h"
#include "simengine.h"
#include "sources/sourcecoverage.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace {
constexpr qint64 sliceMs = 4 * 3600 * 1000LL; // the 4h tier: each batch completes its buckets
constexpr qint64 maxLiveCatchUpSeconds = 6 * 3600;
} // namespace

Simulator::Simulator(const Options &options, QObject *parent)
    : DataSource(parent)
    , m_options(options)
{
}

Simulator::~Simulator() = default;

QString Simulator::displayName() const
{
    return QStringLiteral("Simulator · %1 · seed %2").arg(m_options.scenario.preset()).arg(m_options.seed);
}

QHash<QString, QString> Simulator::metadata() const
{
    QHash<QString, QString> meta = m_options.scenario.metadata();
    meta.insert(QStringLiteral("source"), QStringLiteral("sim"));
    meta.insert(QStringLiteral("sim.seed"), QString::number(m_options.seed));
    meta.insert(QStringLiteral("sim.preset"), m_options.scenario.preset());
    meta.insert(QStringLiteral("sim.instrument"), m_options.instrument.key());
    meta.insert(QStringLiteral("sim.start"), TimeFormat::iso(m_options.startMs));
    meta.insert(QStringLiteral("sim.end"), TimeFormat::iso(m_options.endMs));
    meta.insert(QStringLiteral("sim.live"), m_options.live ? QStringLiteral("1") : QStringLiteral("0"));
    meta.insert(QStringLiteral("sim.warmup_seconds"), QString::number(m_options.warmupSeconds));
    meta.insert(QStringLiteral("sim.truth_grid_step"), QString::fromLatin1(Numbers::format(LogPriceGrid::defaultStep)));
    meta.insert(QStringLiteral("sim.truth_value"), QStringLiteral("notional USD at the liquidation price of open positions"));
    meta.insert(QStringLiteral("sim.truth_band"), QString::fromLatin1(Numbers::format(MarketRecorder::truthBand)));
    return meta;
}

void Simulator::start()
{
    if (m_running)
        return;
    m_running = true;
    m_engine = std::make_unique<SimEngine>(m_options.scenario, m_options.seed, m_options.instrument, m_options.startMs, m_options.warmupSeconds);
    m_engine->setAuditEveryMinutes(m_options.auditEveryMinutes);
    emit statusChanged(QStringLiteral("simulating the history")); // the source label names the simulator
    QTimer::singleShot(0, this, &Simulator::backfillStep);
}

void Simulator::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_liveTimer)
        m_liveTimer->stop();
    emit finished();
}

void Simulator::emitBatch()
{
    MarketBatch batch = m_engine->take();
    // The simulator records everything it simulates: complete coverage up to its clock.
    const TimeRange covered{std::max(m_coveredTo, m_options.startMs), m_engine->timeMs()};
    if (covered.isValid()) {
        SourceCoverage::Resolutions res;
        res.funding = qint64(m_options.scenario.params().fundingInterval * 3'600'000);
        res.groundTruth = qint64(m_options.scenario.params().truthMinutes) * 60'000;
        SourceCoverage::coverAll(batch, covered, res, QStringLiteral("sim"));
        m_coveredTo = covered.to;
    }
    if (!batch.isEmpty())
        emit batchReady(batch);
}

void Simulator::backfillStep()
{
    if (!m_running)
        return;
    const qint64 now = m_engine->timeMs();
    if (now < m_options.endMs) {
        // Up to the next 4 h boundary (absolute time), so tier buckets close inside a batch.
        const qint64 next = std::min(m_options.endMs, (now / sliceMs + 1) * sliceMs);
        m_engine->run((next - now) / 1000);
        if (m_engine->elapsedSeconds() > 0)
            emitBatch();
        const qint64 total = (m_options.endMs - m_options.startMs) / 60'000;
        const qint64 done = std::max<qint64>(0, m_engine->timeMs() - m_options.startMs) / 60'000;
        emit progress(done, total, m_engine->elapsedSeconds() <= 0 ? QStringLiteral("warming up the simulated market")
                                                                   : QStringLiteral("simulated minutes"));
        if (m_running)
            QTimer::singleShot(0, this, &Simulator::backfillStep);
        return;
    }
    if (!m_options.live) {
        m_running = false;
        emit statusChanged(QStringLiteral("done"));
        emit finished();
        return;
    }
    emit statusChanged(QStringLiteral("live simulation (%1x)").arg(m_options.speed));
    m_liveStartMs = m_engine->timeMs();
    m_liveClock.start();
    m_liveTimer = new QTimer(this);
    m_liveTimer->setInterval(int(std::clamp(1000.0 / m_options.speed, 50.0, 1000.0)));
    connect(m_liveTimer, &QTimer::timeout, this, &Simulator::liveStep);
    m_liveTimer->start();
}

void Simulator::liveStep()
{
    if (!m_running)
        return;
    qint64 target = m_liveStartMs + qint64(double(m_liveClock.elapsed()) * m_options.speed);
    if (m_options.speed == 1.0)
        target = std::max(target, QDateTime::currentMSecsSinceEpoch()); // keep pace with the wall clock
    const qint64 seconds = std::min(maxLiveCatchUpSeconds, (target - m_engine->timeMs()) / 1000);
    if (seconds <= 0)
        return;
    m_engine->run(seconds);
    emitBatch();
}
