#include "windowloader.h"

#include "windowloaderworker.h"

WindowLoader::WindowLoader(const StoreLocator &store, QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MarketWindow>();
    m_thread.setObjectName(QStringLiteral("perpscope-reader"));
    m_worker = new WindowLoaderWorker(store, &m_queue);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &WindowLoaderWorker::loaded, this, &WindowLoader::loaded);
    connect(m_worker, &WindowLoaderWorker::prefetched, this, &WindowLoader::prefetched);
    connect(m_worker, &WindowLoaderWorker::instrumentsLoaded, this, &WindowLoader::instrumentsLoaded);
    connect(m_worker, &WindowLoaderWorker::failed, this, &WindowLoader::failed);
    m_thread.start();
}

WindowLoader::~WindowLoader()
{
    m_queue.clear(); // anything still queued is stale
    m_thread.quit();
    m_thread.wait();
}

void WindowLoader::request(const Request &request)
{
    m_queue.setCurrent(request);
    wake();
}

void WindowLoader::prefetch(const QList<Request> &requests)
{
    m_queue.setPrefetch(requests);
    for (qsizetype i = 0; i < requests.size(); ++i)
        wake();
}

void WindowLoader::wake()
{
    // One wake-up per queued item; a wake-up that finds nothing (its item was replaced) is
    // a no-op.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->loadNext(); }, Qt::QueuedConnection);
}

void WindowLoader::requestInstruments()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->loadInstruments(); }, Qt::QueuedConnection);
}
