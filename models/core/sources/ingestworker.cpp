#include "ingestworker.h"

#include "datasource.h"
#include "storage/storeerror.h"
#include "storage/storewriter.h"

IngestWorker::IngestWorker(QString dbPath)
    : m_dbPath(std::move(dbPath))
{
}

IngestWorker::~IngestWorker()
{
    dropSource();
}

StoreWriter *IngestWorker::writer()
{
    if (!m_writer)
        m_writer = std::make_unique<StoreWriter>(m_dbPath); // created in the data thread
    return m_writer.get();
}

void IngestWorker::dropSource()
{
    if (!m_source)
        return;
    DataSource *old = std::exchange(m_source, nullptr);
    disconnect(old, nullptr, this, nullptr);
    old->stop();
    delete old;
}

void IngestWorker::setSource(DataSource *source)
{
    dropSource();
    if (!source)
        return;
    m_source = source;
    source->setParent(nullptr);
    source->setStorePath(m_dbPath);
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
        emit storeError(e.message());
        dropSource();
        return;
    }
    connect(source, &DataSource::batchReady, this, &IngestWorker::commit, Qt::DirectConnection);
    connect(source, &DataSource::progress, this, &IngestWorker::progress);
    connect(source, &DataSource::statusChanged, this, &IngestWorker::sourceStatus);
    connect(source, &DataSource::failed, this, &IngestWorker::sourceFailed);
    connect(source, &DataSource::finished, this, &IngestWorker::sourceFinished);
    source->start();
}

void IngestWorker::shutdown()
{
    dropSource();
    m_writer.reset();
}

void IngestWorker::commit(const MarketBatch &batch)
{
    try {
        const auto spans = writer()->commit(batch);
        for (const auto &span : spans)
            emit appended(batch.instrument, span.kind, span.range.from, span.range.to);
        if (!spans.isEmpty())
            emit committed(batch.instrument, batch.rowCount());
    } catch (const StoreError &e) {
        // The batch is rolled back; what was stored before stays. The source decides
        // whether to go on (a rejected batch is usually one bad message).
        emit storeError(e.message());
    }
}
