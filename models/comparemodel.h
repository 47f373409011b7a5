#pragma once

#include "analysis/heatmapparams.h"
#include "analysis/rangeanalysis.h"
#include "rangemime.h"

#include <QList>
#include <QObject>
#include <memory>
#include <optional>

class HeatmapService;
class RangeAnalysisModel;

// The ranges set side by side in Compare. Each column owns its range and its result; it is
// analysed off the GUI thread by a RangeAnalysisModel of its own, and a result is delivered
// to the column by the column's id (never by a pointer that could be reused after a removal),
// so every column keeps its own numbers however ranges are added and removed.
class CompareModel : public QObject
{
    Q_OBJECT
public:
    struct Column
    {
        enum class State { Analysing, Done, Failed };
        quint64 id = 0;
        RangeMime::Payload payload;
        State state = State::Analysing;
        std::optional<RangeAnalysis::Result> result;
        QString error;
    };

    explicit CompareModel(QObject *parent = nullptr);
    ~CompareModel() override;

    // Hot zones consumed come from this heatmap (the panes' one); without it they are left out.
    void setHeatmap(std::shared_ptr<HeatmapService> service, const HeatmapParams &params);

    int count() const { return int(m_columns.size()); }
    const Column &column(int index) const { return m_columns.at(index); }
    int indexOf(quint64 id) const;
    // Adds a column at the end and starts its analysis; returns its id.
    quint64 add(const RangeMime::Payload &payload);
    void remove(int index);
    void clear();

signals:
    void columnAdded(int index);
    void columnChanged(int index); // its analysis finished or failed
    void columnRemoved(int index);

private:
    void onFinished(quint64 id, const std::optional<RangeAnalysis::Result> &result, const QString &error);

    QList<Column> m_columns;
    QList<std::pair<quint64, RangeAnalysisModel *>> m_running;
    quint64 m_nextId = 1;
    std::shared_ptr<HeatmapService> m_heatmap;
    HeatmapParams m_heatmapParams;
};
