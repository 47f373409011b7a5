#include "workpool.h"

#include <QThread>
#include <QThreadPool>

namespace WorkPool {

QThreadPool *instance()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool; // lives as long as the process (jobs may outlive windows)
        p->setObjectName(QStringLiteral("perpscope-work"));
        p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        p->setExpiryTimeout(30'000);
        return p;
    }();
    return pool;
}

} // namespace WorkPool
