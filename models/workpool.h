#pragma once

class QThreadPool;

// The pool the models run their background work on (heatmap grids and histories, range
// analyses, CSV writing). Not QThreadPool::globalInstance(): Qt 6.4's raster paint engine
// splits large fills into tasks on the global pool and waits for them on the GUI thread, so
// seconds-long jobs there would stall painting until a global thread came free.
namespace WorkPool {
QThreadPool *instance();
}
