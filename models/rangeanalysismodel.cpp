#include "rangeanalysismodel.h"

#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "workpool.h"

#include <QtConcurrent>

RangeAnalysisModel::RangeAnalysisModel(const StoreLocator &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &RangeAnalysisModel::onDone);
}

void RangeAnalysisModel::setHeatmap(std::shared_ptr<HeatmapService> service, const HeatmapParams &params)
{
    m_heatmap = std::move(service);
    m_heatmapParams = params;
}

void RangeAnalysisModel::analyze(const Instrument &instrument, TimeRange range)
{
    ++m_generation;
    emit started(range);
    if (m_watcher.isRunning()) {
        // One run at a time: the newest request starts when the current one ends.
        m_pending = true;
        m_nextInstrument = instrument;
        m_nextRange = range;
        return;
    }
    start(instrument, range, m_generation);
}

void RangeAnalysisModel::start(const Instrument &instrument, TimeRange range, quint64 generation)
{
    const StoreLocator store = m_store;
    const auto heatmap = m_heatmap;
    const HeatmapParams params = m_heatmapParams;
    m_watcher.setFuture(WorkPool::run([store, instrument, range, generation, heatmap, params] {
        Outcome o;
        o.generation = generation;
        try {
            const auto reader = MarketStore::attach(store, MarketStore::Access::ReadOnly).reader();
            RangeAnalysis analysis(*reader);
            if (heatmap)
                analysis.setHeatmap(heatmap.get(), &params);
            o.result = analysis.analyze(instrument, range);
        } catch (const StoreError &e) {
            o.error = e.message();
        } catch (const RangeAnalysis::Error &e) {
            o.error = QString::fromStdString(e.what());
        } catch (const std::exception &e) {
            o.error = QString::fromStdString(e.what());
        }
        return o;
    }));
}

void RangeAnalysisModel::clear()
{
    ++m_generation;
    m_pending = false;
    m_result.reset();
    emit cleared();
}

void RangeAnalysisModel::onDone()
{
    const Outcome o = m_watcher.result();
    if (m_pending) {
        m_pending = false;
        start(m_nextInstrument, m_nextRange, m_generation);
    }
    if (o.generation != m_generation)
        return; // a newer request exists
    if (o.result) {
        m_result = o.result;
        emit finished(*o.result);
    } else {
        emit failed(o.error);
    }
}
