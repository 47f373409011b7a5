#include "comparemodel.h"

#include "rangeanalysismodel.h"

CompareModel::CompareModel(QObject *parent)
    : QObject(parent)
{
}

CompareModel::~CompareModel() = default;

void CompareModel::setHeatmap(std::shared_ptr<HeatmapService> service, const HeatmapParams &params)
{
    m_heatmap = std::move(service);
    m_heatmapParams = params;
}

int CompareModel::indexOf(quint64 id) const
{
    for (int i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].id == id)
            return i;
    return -1;
}

quint64 CompareModel::add(const RangeMime::Payload &payload)
{
    Column c;
    c.id = m_nextId++;
    c.payload = payload;
    m_columns.push_back(c);
    emit columnAdded(int(m_columns.size()) - 1);
    // One model per column: each runs on its own pool thread with its own reader, and lives
    // until its result is in (a removed column's result is simply dropped).
    auto *model = new RangeAnalysisModel(payload.store, this);
    if (m_heatmap)
        model->setHeatmap(m_heatmap, m_heatmapParams);
    const quint64 id = c.id;
    m_running.push_back({id, model});
    connect(model, &RangeAnalysisModel::finished, this, [this, id](const RangeAnalysis::Result &r) { onFinished(id, r, {}); });
    connect(model, &RangeAnalysisModel::failed, this, [this, id](const QString &e) { onFinished(id, std::nullopt, e); });
    model->analyze(payload.instrument, payload.range);
    return id;
}

void CompareModel::onFinished(quint64 id, const std::optional<RangeAnalysis::Result> &result, const QString &error)
{
    for (qsizetype i = 0; i < m_running.size(); ++i)
        if (m_running[i].first == id) {
            m_running[i].second->deleteLater();
            m_running.removeAt(i);
            break;
        }
    const int index = indexOf(id);
    if (index < 0)
        return; // removed meanwhile
    Column &c = m_columns[index];
    c.result = result;
    c.error = error;
    c.state = result ? Column::State::Done : Column::State::Failed;
    emit columnChanged(index);
}

void CompareModel::remove(int index)
{
    if (index < 0 || index >= m_columns.size())
        return;
    m_columns.removeAt(index);
    emit columnRemoved(index);
}

void CompareModel::clear()
{
    while (!m_columns.isEmpty())
        remove(int(m_columns.size()) - 1);
}
