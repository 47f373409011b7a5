#include "windowloader.h"

#include "windowloaderworker.h"

WindowLoader::WindowLoader(const QString &dbPath, QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MarketWindow>();
    m_thread.setObjectName(QStringLiteral("perpscope-reader"));
    m_worker = new WindowLoaderWorker(dbPath, m_latest);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &WindowLoaderWorker::loaded, this, &WindowLoader::loaded);
    connect(m_worker, &WindowLoaderWorker::instrumentsLoaded, this, &WindowLoader::instrumentsLoaded);
    connect(m_worker, &WindowLoaderWorker::failed, this, &WindowLoader::failed);
    m_thread.start();
}

WindowLoader::~WindowLoader()
{
    m_latest = ~quint64(0); // anything still queued is stale
    m_thread.quit();
    m_thread.wait();
}

void WindowLoader::request(const Request &request)
{
    m_latest = request.generation;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, request] { worker->load(request); }, Qt::QueuedConnection);
}

void WindowLoader::requestInstruments()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->loadInstruments(); }, Qt::QueuedConnection);
}
