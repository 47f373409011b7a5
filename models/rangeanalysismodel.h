#pragma once

#include "analysis/heatmapparams.h"
#include "storage/storelocator.h"
#include "analysis/rangeanalysis.h"

#include <QFutureWatcher>
#include <QObject>
#include <memory>

// Runs RangeAnalysis off the GUI thread (its own reader connection per run) and hands back
// the newest request's result; a result for a range that has since changed is dropped.
class RangeAnalysisModel : public QObject
{
    Q_OBJECT
public:
    explicit RangeAnalysisModel(const StoreLocator &store, QObject *parent = nullptr);

    // Hot zones consumed come from this heatmap (shared with the panes); without one the
    // analysis leaves them out.
    void setHeatmap(std::shared_ptr<HeatmapService> service, const HeatmapParams &params);
    void analyze(const Instrument &instrument, TimeRange range);
    void clear();
    bool isBusy() const { return m_watcher.isRunning(); }
    const std::optional<RangeAnalysis::Result> &result() const { return m_result; }

signals:
    void started(TimeRange range);
    void finished(const RangeAnalysis::Result &result);
    void failed(const QString &message);
    void cleared();

private:
    struct Outcome
    {
        quint64 generation = 0;
        std::optional<RangeAnalysis::Result> result;
        QString error;
    };
    void onDone();
    void start(const Instrument &instrument, TimeRange range, quint64 generation);

    StoreLocator m_store;
    std::shared_ptr<HeatmapService> m_heatmap;
    HeatmapParams m_heatmapParams;
    quint64 m_generation = 0;
    QFutureWatcher<Outcome> m_watcher;
    std::optional<RangeAnalysis::Result> m_result;
    bool m_pending = false;
    Instrument m_nextInstrument;
    TimeRange m_nextRange;
};
