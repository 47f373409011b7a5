#pragma once

#include <QtConcurrent>

class QThreadPool;

// The pool the models run their background work on (heatmap grids and histories, range
// analyses, CSV writing). Not QThreadPool::globalInstance(): Qt 6.4's raster paint engine
// splits large fills into tasks on the global pool and waits for them on the GUI thread, so
// seconds-long jobs there would stall painting until a global thread came free. Its threads
// run at a lower priority (nice 5 on Linux) than the GUI and the window reader, so a heatmap
// being built does not take the frames of a wheel zoom on a two-core machine.
namespace WorkPool {

QThreadPool *instance();
// Lowers the calling thread's priority (once per thread); run() does it for every job.
void lowerPriority();
// The thread's nice value (tests), or 0 where there is none.
int threadNiceness();

template<typename F>
auto run(F &&job)
{
    return QtConcurrent::run(instance(), [job = std::forward<F>(job)]() mutable {
        lowerPriority();
        return job();
    });
}

} // namespace WorkPool
