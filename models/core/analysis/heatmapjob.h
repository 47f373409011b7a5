#pragma once

#include <QString>
#include <atomic>
#include <functional>

// Progress and cancellation for heatmap work that runs off the GUI thread: progress is called
// from the working thread; setting *cancel makes the work stop at its next check (within a
// week of bars).
struct HeatmapJob
{
    std::function<void(double fraction, const QString &what)> progress;
    const std::atomic<bool> *cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};
