#include "ingestworker.h"

#include "datasource.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storewriter.h"

#include <QTimer>

namespace {

// The earliest row time of a batch: where a source must fetch again when it is dropped.
qint64 earliestRow(const MarketBatch &b)
{
    qint64 t = std::numeric_limits<qint64>::max();
    const auto scan = [&t](const auto &rows) {
        for (const auto &r : rows)
            t = std::min(t, r.ts);
    };
    scan(b.candles);
    scan(b.markCandles);
    scan(b.funding);
    scan(b.predictedFunding);
    scan(b.openInterest);
    scan(b.liquidations);
    scan(b.groundTruth);
    return t;
}

QString rowsText(qint64 n)
{
    return n == 1 ? QStringLiteral("1 row") : QStringLiteral("%1 rows").arg(n);
}

} // namespace

IngestWorker::IngestWorker(StoreLocator store)
    : m_store(std::move(store))
    , m_backoff(m_policy.firstRetryMs, m_policy.maxRetryMs)
{
    qRegisterMetaType<IngestWorker::CommitPolicy>();
}

IngestWorker::~IngestWorker()
{
    dropSource();
}

StoreWriter *IngestWorker::writer()
{
    if (!m_writer)
        m_writer = MarketStore::attach(m_store).writer(); // created in the data thread
    return m_writer.get();
}

void IngestWorker::setCommitPolicy(const CommitPolicy &policy)
{
    m_policy = policy;
    m_backoff = Backoff(policy.firstRetryMs, policy.maxRetryMs);
}

void IngestWorker::dropSource()
{
    m_finishPending = false;
    if (!m_source)
        return;
    DataSource *old = std::exchange(m_source, nullptr);
    disconnect(old, nullptr, this, nullptr);
    // A stopping source may hand over what it held (a live client's rows since its last
    // batch): committed like any other batch, so a stop loses nothing it had received.
    connect(old, &DataSource::batchReady, this, &IngestWorker::commit, Qt::DirectConnection);
    old->stop();
    delete old;
}

void IngestWorker::setSource(DataSource *source)
{
    dropSource();
    if (!source)
        return;
    m_source = source;
    ++m_sourceSerial;
    source->setParent(nullptr);
    source->setStore(m_store);
    try {
        for (const Instrument &i : source->instruments()) {
            if (source->replacesStoredHistory())
                writer()->clearSeries(i);
            writer()->setLiquidationFeed(i, source->liquidationFeed());
        }
        const auto meta = source->metadata();
        for (auto it = meta.cbegin(); it != meta.cend(); ++it)
            writer()->setMeta(it.key(), it.value());
    } catch (const StoreError &e) {
        // The store refuses even the source's facts (read-only, full, foreign): the source
        // never starts. Said once as an error, and as the end of the run for a command.
        emit storeError(e.message());
        dropSource();
        emit storeFailed(e.message());
        emit sourceFinished();
        return;
    }
    connect(source, &DataSource::batchReady, this, &IngestWorker::commit, Qt::DirectConnection);
    connect(source, &DataSource::metadataChanged, this, &IngestWorker::storeMeta, Qt::DirectConnection);
    connect(source, &DataSource::progress, this, &IngestWorker::progress);
    connect(source, &DataSource::statusChanged, this, &IngestWorker::sourceStatus);
    connect(source, &DataSource::failed, this, &IngestWorker::sourceFailed);
    connect(source, &DataSource::finished, this, &IngestWorker::onSourceFinished);
    source->start();
}

void IngestWorker::shutdown()
{
    dropSource();
    if (!m_backlog.empty()) // a last try: what fails now is lost with the process
        retry();
    m_writer.reset();
}

void IngestWorker::storeMeta(const QHash<QString, QString> &meta)
{
    try {
        for (auto it = meta.cbegin(); it != meta.cend(); ++it)
            writer()->setMeta(it.key(), it.value());
    } catch (const StoreError &e) {
        emit storeError(e.message()); // notes only: the rows go on
    }
}

void IngestWorker::onSourceFinished()
{
    if (m_backlog.empty())
        emit sourceFinished();
    else
        m_finishPending = true; // passed on once the backlog is committed (or given up)
}

void IngestWorker::tryCommit(const Pending &pending)
{
    const MarketBatch &batch = pending.batch;
    const StoreWriter::Result result = writer()->commit(batch);
    for (const auto &span : result.spans)
        emit appended(batch.instrument, span.kind, span.range.from, span.range.to);
    if (!result.spans.isEmpty())
        emit committed(batch.instrument, batch.rowCount());
    if (batch.tag && m_source && pending.source == m_sourceSerial)
        m_source->batchStored(batch.tag, result.changedRows);
}

void IngestWorker::commit(const MarketBatch &batch)
{
    if (!m_backlog.empty()) { // an outage: keep the order
        m_backlog.push_back({batch, m_sourceSerial});
        m_backlogRows += batch.rowCount();
        while (m_backlogRows > m_policy.maxBacklogRows && m_backlog.size() > 1) {
            drop(m_backlog.front().batch);
            m_backlogRows -= m_backlog.front().batch.rowCount();
            m_backlog.pop_front();
        }
        return;
    }
    try {
        tryCommit({batch, m_sourceSerial});
    } catch (const StoreError &e) {
        if (!e.isRetryable()) {
            // A rejected batch: one bad message, usually. Reported; the source fetches it again.
            emit storeError(e.message());
            emit batchRejected(e.message());
            drop(batch);
            if (m_source && !m_refetchSince.isEmpty())
                m_source->storeRecovered(std::exchange(m_refetchSince, {}));
            return;
        }
        m_outage = e.message();
        m_attempts = 1;
        m_backoff.reset();
        m_backlog.push_back({batch, m_sourceSerial});
        m_backlogRows = batch.rowCount();
        emit storeError(e.message());
        retry();
    }
}

void IngestWorker::drop(const MarketBatch &batch)
{
    const qint64 t = earliestRow(batch);
    if (t == std::numeric_limits<qint64>::max())
        return;
    auto it = m_refetchSince.find(batch.instrument);
    if (it == m_refetchSince.end())
        m_refetchSince.insert(batch.instrument, t);
    else
        *it = std::min(*it, t);
}

// Commits the backlog from its head; on a failure waits (capped backoff) and tries again.
void IngestWorker::retry()
{
    if (!m_retryTimer) {
        m_retryTimer = new QTimer(this);
        m_retryTimer->setSingleShot(true);
        connect(m_retryTimer, &QTimer::timeout, this, &IngestWorker::retry);
    }
    m_retryTimer->stop();
    while (!m_backlog.empty()) {
        try {
            tryCommit(m_backlog.front());
        } catch (const StoreError &e) {
            if (!e.isRetryable()) {
                emit storeError(e.message());
                emit batchRejected(e.message());
                drop(m_backlog.front().batch);
                m_backlogRows -= m_backlog.front().batch.rowCount();
                m_backlog.pop_front();
                continue;
            }
            if (m_policy.maxAttempts > 0 && m_attempts >= m_policy.maxAttempts) {
                const QString message = QStringLiteral("%1; gave up after %2 attempts, %3 not stored")
                                            .arg(e.message())
                                            .arg(m_attempts)
                                            .arg(rowsText(m_backlogRows));
                for (const Pending &p : m_backlog)
                    drop(p.batch);
                m_backlog.clear();
                m_backlogRows = 0;
                m_outage.clear();
                dropSource();
                emit storeFailed(message);
                emit sourceFinished();
                return;
            }
            ++m_attempts;
            const qint64 delay = m_backoff.next();
            emit sourceStatus(QStringLiteral("store unavailable (%1); %2 waiting, retrying in %3 s")
                                  .arg(e.message(), rowsText(m_backlogRows))
                                  .arg(std::max<qint64>(1, (delay + 500) / 1000)));
            m_retryTimer->start(int(delay));
            return;
        }
        m_backlogRows -= m_backlog.front().batch.rowCount();
        m_backlog.pop_front();
    }
    if (m_outage.isEmpty())
        return;
    m_outage.clear();
    m_attempts = 0;
    emit sourceStatus(m_refetchSince.isEmpty() ? QStringLiteral("store written again; every row received meanwhile is stored")
                                               : QStringLiteral("store written again; rows it could not keep meanwhile are fetched again"));
    emit storeRecovered();
    if (m_source && !m_refetchSince.isEmpty())
        m_source->storeRecovered(std::exchange(m_refetchSince, {}));
    if (m_finishPending) {
        m_finishPending = false;
        emit sourceFinished();
    }
}
