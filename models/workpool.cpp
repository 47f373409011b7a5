#include "workpool.h"

#include <QThread>
#include <cerrno>
#include <QThreadPool>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace WorkPool {

namespace {
constexpr int niceness = 5;
}

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

void lowerPriority()
{
#ifdef Q_OS_LINUX
    // Linux schedules threads, and a thread's nice value is its own (setpriority with its
    // thread id); QThread priorities do nothing under the default policy.
    thread_local bool lowered = false;
    if (!lowered) {
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), niceness);
        lowered = true;
    }
#endif
}

int threadNiceness()
{
#ifdef Q_OS_LINUX
    errno = 0;
    return getpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)));
#else
    return 0;
#endif
}

} // namespace WorkPool
