#include "datathread.h"

#include "datasource.h"
#include "ingestworker.h"

DataThread::DataThread(const StoreLocator &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    qRegisterMetaType<Instrument>();
    qRegisterMetaType<DataKind>();
    qRegisterMetaType<MarketBatch>();
    m_thread.setObjectName(QStringLiteral("perpscope-data"));
    m_worker = new IngestWorker(store);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &IngestWorker::appended, this, &DataThread::appended);
    connect(m_worker, &IngestWorker::committed, this, &DataThread::committed);
    connect(m_worker, &IngestWorker::progress, this, &DataThread::progress);
    connect(m_worker, &IngestWorker::sourceStatus, this, &DataThread::sourceStatus);
    connect(m_worker, &IngestWorker::sourceFailed, this, &DataThread::sourceFailed);
    connect(m_worker, &IngestWorker::sourceFinished, this, &DataThread::sourceFinished);
    connect(m_worker, &IngestWorker::storeError, this, &DataThread::storeError);
    connect(m_worker, &IngestWorker::batchRejected, this, &DataThread::batchRejected);
    connect(m_worker, &IngestWorker::storeFailed, this, &DataThread::storeFailed);
    connect(m_worker, &IngestWorker::storeRecovered, this, &DataThread::storeRecovered);
    m_thread.start();
}

DataThread::~DataThread()
{
    QMetaObject::invokeMethod(m_worker, &IngestWorker::shutdown, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void DataThread::setSource(DataSource *source)
{
    if (source) {
        Q_ASSERT(!source->parent());
        source->moveToThread(&m_thread);
    }
    IngestWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, source] { worker->setSource(source); }, Qt::QueuedConnection);
}

void DataThread::setCommitPolicy(const IngestWorker::CommitPolicy &policy)
{
    IngestWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, policy] { worker->setCommitPolicy(policy); }, Qt::QueuedConnection);
}

void DataThread::sync()
{
    QMetaObject::invokeMethod(m_worker, [] {}, Qt::BlockingQueuedConnection);
}

qint64 DataThread::waitingRows()
{
    qint64 rows = 0;
    IngestWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, &rows] { rows = worker->waitingRows(); }, Qt::BlockingQueuedConnection);
    return rows;
}
