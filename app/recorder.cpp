#include "recorder.h"

#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTimer>

namespace {

constexpr int stopPollMs = 100;
constexpr qint64 progressEveryMs = 10'000; // besides every tenth of the backfill

QString instrumentList(const QList<Instrument> &instruments)
{
    QStringList keys;
    for (const Instrument &i : instruments)
        keys << i.key();
    return keys.join(QStringLiteral(", "));
}

QList<Instrument> instrumentsOf(const SourceOptions &o)
{
    return o.instruments.isEmpty() ? QList<Instrument>{o.instrument} : o.instruments;
}

} // namespace

Recorder::Recorder(Options options, Log log, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_log(std::move(log))
    , m_openBackoff(1000, std::max<qint64>(1000, m_options.openRetryCapMs))
{
}

Recorder::~Recorder()
{
    for (auto &f : m_feeds)
        delete f->thread; // stops its source and joins; the writer's last retry happens there
}

void Recorder::start()
{
    QStringList plan;
    for (const SourceOptions &o : std::as_const(m_options.sources))
        plan << QStringLiteral("%1 (%2)").arg(o.source, instrumentList(instrumentsOf(o)));
    say(QStringLiteral("started: perpscope %1 recording %2 into %3")
            .arg(QStringLiteral(PERPSCOPE_VERSION), plan.join(QStringLiteral("; ")), m_options.store.display()));
    tryOpen();
}

// A database that is still starting (boot order) or restarting is waited for, not a failure.
void Recorder::tryOpen()
{
    if (m_stopRequested)
        return;
    try {
        MarketStore::open(m_options.store);
    } catch (const StoreError &e) {
        if (!e.isRetryable())
            return fail(QStringLiteral("store unusable: %1").arg(e.message()));
        const qint64 delay = m_openBackoff.next();
        say(QStringLiteral("store unavailable: %1; retrying in %2 s").arg(e.message()).arg(std::max<qint64>(1, (delay + 500) / 1000)));
        if (!m_openTimer) {
            m_openTimer = new QTimer(this);
            m_openTimer->setSingleShot(true);
            connect(m_openTimer, &QTimer::timeout, this, &Recorder::tryOpen);
        }
        m_openTimer->start(int(delay));
        return;
    }
    if (m_openBackoff.attempts() > 0)
        say(QStringLiteral("store available: %1").arg(m_options.store.display()));
    startSources();
}

void Recorder::startSources()
{
    for (SourceOptions o : std::as_const(m_options.sources)) {
        o.store = m_options.store;
        QString error;
        DataSource *source = SourceFactory::create(o, &error);
        if (!source)
            return fail(QStringLiteral("%1: cannot start: %2").arg(o.source, error));
        auto feed = std::make_unique<Feed>();
        feed->name = o.instruments.isEmpty() && m_options.sources.size() > 1 ? QStringLiteral("%1 %2").arg(o.source, o.instrument.key())
                                                                              : o.source;
        feed->thread = new DataThread(m_options.store);
        feed->thread->setCommitPolicy(m_options.commits);
        watch(feed.get());
        if (const QString p = source->plan(); !p.isEmpty())
            say(QStringLiteral("%1: %2").arg(feed->name, p));
        say(QStringLiteral("%1: starting %2 for %3").arg(feed->name, source->displayName(), instrumentList(source->instruments())));
        feed->thread->setSource(source);
        m_feeds.push_back(std::move(feed));
    }
}

void Recorder::watch(Feed *f)
{
    DataThread *t = f->thread;
    f->sinceProgress.start();
    connect(t, &DataThread::progress, this, [this, f](qint64 done, qint64 total, const QString &what) { onProgress(f, done, total, what); });
    connect(t, &DataThread::sourceStatus, this, [this, f](const QString &status) {
        if (status == f->lastStatus)
            return;
        f->lastStatus = status;
        say(QStringLiteral("%1: %2").arg(f->name, status));
    });
    connect(t, &DataThread::appended, this, [f](const Instrument &i, DataKind kind, qint64, qint64 toMs) {
        // A span ends after its last row: a bar's minute for 1m bars, 1 ms past an event.
        const bool bars = DataKinds::isBars(kind) && toMs % Timeframes::minuteMs == 0;
        auto &newest = f->touched[i][kind];
        newest = std::max(newest, toMs - (bars ? Timeframes::minuteMs : 1));
    });
    connect(t, &DataThread::committed, this, [this, f](const Instrument &i, qint64 rows) { onCommitted(f, i, rows); });
    connect(t, &DataThread::storeError, this, [this, f](const QString &message) {
        say(QStringLiteral("%1: store error: %2").arg(f->name, message));
    });
    connect(t, &DataThread::storeRecovered, this, [this, f] { say(QStringLiteral("%1: store available again").arg(f->name)); });
    connect(t, &DataThread::batchRejected, this, [this, f](const QString &message) {
        say(QStringLiteral("%1: batch rejected by the store (fetched again where the venue allows): %2").arg(f->name, message));
    });
    connect(t, &DataThread::storeFailed, this, [this, f](const QString &message) {
        fail(QStringLiteral("%1: store failed: %2").arg(f->name, message));
    });
    // A source that gave up for good (an unknown symbol, a ban) ends the run with status 1:
    // the service manager restarts it, and the log says why.
    connect(t, &DataThread::sourceFailed, this, [this, f](const QString &reason) {
        fail(QStringLiteral("%1: failed: %2").arg(f->name, reason));
    });
    connect(t, &DataThread::sourceFinished, this, [this, f] { onFinished(f); });
}

void Recorder::onProgress(Feed *f, qint64 done, qint64 total, const QString &what)
{
    if (f->backfillDone || total <= 0)
        return;
    if (done >= total) {
        f->backfillDone = true;
        say(QStringLiteral("%1: backfill done (%2 %3)").arg(f->name).arg(total).arg(what));
        return;
    }
    const int step = int(10 * done / total);
    if (step == f->progressStep && f->sinceProgress.elapsed() < progressEveryMs)
        return;
    f->progressStep = step;
    f->sinceProgress.restart();
    say(QStringLiteral("%1: backfill progress %2 / %3 %4 (%5 %)").arg(f->name).arg(done).arg(total).arg(what).arg(100.0 * double(done) / double(total), 0, 'f', 1));
}

// "binance: batch committed 42 rows BINANCE:BTCUSDT (candles to 2026-01-20T10:15:00Z, ...)":
// the newest row time per kind the store now holds from this batch (the kill -9 test reads it).
void Recorder::onCommitted(Feed *f, const Instrument &instrument, qint64 rows)
{
    ++m_batches;
    m_rows += rows;
    QStringList kinds;
    for (const auto &[kind, newest] : f->touched.take(instrument))
        kinds << QStringLiteral("%1 to %2").arg(DataKinds::name(kind), TimeFormat::iso(newest));
    say(QStringLiteral("%1: batch committed %2 rows %3 (%4)").arg(f->name).arg(rows).arg(instrument.key(), kinds.join(QStringLiteral(", "))));
}

void Recorder::onFinished(Feed *f)
{
    f->finished = true;
    if (m_stopRequested)
        return;
    for (const auto &other : m_feeds)
        if (!other->finished)
            return;
    stop(m_exitCode == 0 ? QStringLiteral("every source finished") : QStringLiteral("a source failed"));
}

void Recorder::fail(const QString &line)
{
    say(line);
    m_exitCode = 1;
    stop(QStringLiteral("a failure"));
}

void Recorder::stop(const QString &why)
{
    if (m_stopRequested)
        return;
    m_stopRequested = true;
    say(QStringLiteral("stopping (%1)").arg(why));
    if (m_openTimer)
        m_openTimer->stop();
    for (auto &f : m_feeds)
        f->thread->stopSource(); // a live client hands over what it held since its last batch
    m_stopping.start();
    m_stopTimer = new QTimer(this);
    connect(m_stopTimer, &QTimer::timeout, this, &Recorder::checkStopped);
    m_stopTimer->start(stopPollMs);
    checkStopped();
}

// Done once the writers hold nothing: every row received is committed. A store that stays
// down past the stop timeout loses what is still waiting; the exit code says so.
void Recorder::checkStopped()
{
    if (m_done)
        return;
    qint64 waiting = 0;
    for (auto &f : m_feeds) {
        f->thread->sync();
        waiting += f->thread->waitingRows();
    }
    // What the writers said before sync() returned (the stop's own last commits) is queued
    // for the DataThreads here: logged now, before the "stopped" line and the exit.
    for (auto &f : m_feeds)
        QCoreApplication::sendPostedEvents(f->thread, QEvent::MetaCall);
    if (waiting > 0 && m_stopping.elapsed() < m_options.stopTimeoutMs)
        return;
    m_done = true;
    m_stopTimer->stop();
    if (waiting > 0) {
        m_exitCode = 1;
        say(QStringLiteral("stopped: %1 rows not stored (the store stayed unavailable for %2 s)").arg(waiting).arg(m_options.stopTimeoutMs / 1000));
    } else {
        say(QStringLiteral("stopped: %1 batches, %2 rows committed; nothing received is left unstored").arg(m_batches).arg(m_rows));
    }
    emit finished(m_exitCode);
}
