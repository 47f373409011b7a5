#include "storefollower.h"

#include "storefollowerworker.h"

StoreFollower::StoreFollower(const StoreLocator &store, QObject *parent)
    : QObject(parent)
    , m_worker(new StoreFollowerWorker(store))
{
    m_thread.setObjectName(QStringLiteral("store follower"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &StoreFollowerWorker::appended, this, &StoreFollower::appended);
    connect(m_worker, &StoreFollowerWorker::instrumentsChanged, this, &StoreFollower::instrumentsChanged);
    connect(m_worker, &StoreFollowerWorker::stateChanged, this, [this](const QString &state) {
        // A stopped follower says nothing more (a retry notice may still be queued).
        if (!m_active || state == m_state)
            return;
        m_state = state;
        emit stateChanged(state);
    });
    m_thread.start();
}

StoreFollower::~StoreFollower()
{
    QMetaObject::invokeMethod(m_worker, &StoreFollowerWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void StoreFollower::setPollInterval(int ms)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, ms] { w->setPollInterval(ms); }, Qt::QueuedConnection);
}

void StoreFollower::setActive(bool on)
{
    if (on == m_active)
        return;
    m_active = on;
    if (on)
        QMetaObject::invokeMethod(m_worker, &StoreFollowerWorker::start, Qt::QueuedConnection);
    else {
        QMetaObject::invokeMethod(m_worker, &StoreFollowerWorker::stop, Qt::QueuedConnection);
        m_state.clear();
        emit stateChanged(m_state);
    }
}
