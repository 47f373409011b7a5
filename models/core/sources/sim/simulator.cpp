#include "simulator.h"

#include "domain/numbers.h"
#include "domain/timeformat.h"
#include "marketrecorder.h"
#include "replaycheck.h"
#include "simengine.h"
#include "simrunrecord.h"
#include "sources/sourcecoverage.h"
#include "storage/storeerror.h"

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
    // Which market the instrument's rows belong to: what a later start continues.
    const SimRunRecord run(m_options.scenario, m_options.seed, m_options.instrument, m_options.startMs, m_options.warmupSeconds);
    meta.insert(SimRunRecord::metaKey(m_options.instrument), run.toJson());
    return meta;
}

QString Simulator::plan() const
{
    const SimRunRecord run(m_options.scenario, m_options.seed, m_options.instrument, m_options.startMs, m_options.warmupSeconds);
    if (!resumes())
        return QStringLiteral("simulating a new market (%1) from %2").arg(run.describe(), TimeFormat::display(m_options.startMs));
    if (m_options.resumeMs + 60'000 >= m_options.endMs && !m_options.live)
        return QStringLiteral("the stored simulated market (%1) already reaches %2: nothing to add")
            .arg(run.describe(), TimeFormat::display(m_options.resumeMs + 60'000));
    return QStringLiteral("continuing the stored simulated market (%1) from %2").arg(run.describe(), TimeFormat::display(m_options.resumeMs));
}

void Simulator::start()
{
    if (m_running)
        return;
    m_running = true;
    m_coveredTo = std::max(m_options.startMs, m_options.resumeMs);
    if (resumes() && !m_options.live && m_options.resumeMs + 60'000 >= m_options.endMs) {
        // Backfill of a history that is already there: nothing to simulate or to write.
        QTimer::singleShot(0, this, [this] {
            if (!m_running)
                return;
            m_running = false;
            emit statusChanged(QStringLiteral("the stored history already reaches %1").arg(TimeFormat::display(m_options.resumeMs + 60'000)));
            emit finished();
        });
        return;
    }
    if (resumes()) {
        try {
            m_check = std::make_unique<ReplayCheck>(store(), m_options.instrument);
        } catch (const StoreError &e) {
            m_running = false;
            emit failed(QStringLiteral("cannot read the stored history to continue it: %1").arg(e.message()));
            emit finished();
            return;
        }
    }
    m_engine = std::make_unique<SimEngine>(m_options.scenario, m_options.seed, m_options.instrument, m_options.startMs, m_options.warmupSeconds);
    m_engine->setAuditEveryMinutes(m_options.auditEveryMinutes);
    // The source label names the simulator.
    emit statusChanged(resumes() ? QStringLiteral("replaying the stored market to where its history ends") : QStringLiteral("simulating the history"));
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

// Runs the market silently up to `next` (at most resumeMs) and checks what it produced against
// the stored rows. False (after failed()) when they differ.
bool Simulator::replayTo(qint64 next)
{
    const qint64 from = std::max(m_engine->timeMs(), m_options.startMs);
    m_engine->run((next - m_engine->timeMs()) / 1000);
    const MarketBatch replayed = m_engine->take(); // stored already: not sent again
    const QString difference = m_check->compare(replayed, {from, next});
    if (difference.isEmpty())
        return true;
    m_running = false;
    emit failed(QStringLiteral("the stored history differs from a replay of its run (%1): it was not made by this simulator build "
                               "and is kept as it is; start a new market in Simulator settings (or backfill --replace) to replace it")
                    .arg(difference));
    emit finished();
    return false;
}

void Simulator::backfillStep()
{
    if (!m_running)
        return;
    const qint64 now = m_engine->timeMs();
    if (now < m_options.endMs) {
        // Up to the next 4 h boundary (absolute time), so tier buckets close inside a batch.
        qint64 next = std::min(m_options.endMs, (now / sliceMs + 1) * sliceMs);
        const bool replaying = now < m_options.resumeMs;
        if (replaying) {
            next = std::min(next, m_options.resumeMs);
            // A slice that ends where the record starts is still all warm-up (the recorder
            // starts afresh on the first recorded second).
            if (next > m_options.startMs) {
                if (!replayTo(next))
                    return;
                if (m_engine->timeMs() >= m_options.resumeMs)
                    m_check.reset(); // caught up: from here on the market adds to the history
            } else {
                m_engine->run((next - now) / 1000); // the warm-up records nothing to check
            }
        } else {
            m_engine->run((next - now) / 1000);
            if (m_engine->elapsedSeconds() > 0)
                emitBatch();
        }
        const qint64 total = (m_options.endMs - m_options.startMs) / 60'000;
        const qint64 done = std::max<qint64>(0, m_engine->timeMs() - m_options.startMs) / 60'000;
        emit progress(done, total, m_engine->elapsedSeconds() <= 0 ? QStringLiteral("warming up the simulated market")
                      : replaying ? QStringLiteral("replaying stored minutes") : QStringLiteral("simulated minutes"));
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
