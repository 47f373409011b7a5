#pragma once

#include "analysis/heatmapgrid.h"
#include "charttheme.h"

#include <memory>
#include <qcustomplot.h>

// The predicted heatmap as a QCPColorMap under a pane's data: cells show log1p(usd / ref)
// with ref the median non-empty cell and the colours clipped at the 99th percentile of the
// view, so the structure shows whatever the scale; empty cells stay transparent. The
// legend's numbers are kept in USD (legendLow/High) for the read-out.
class HeatmapLayer
{
public:
    HeatmapLayer(QCPAxis *keyAxis, QCPAxis *valueAxis);

    void setTheme(const ChartTheme &theme);
    void setGrid(const std::shared_ptr<const HeatmapGrid> &grid);
    void setVisible(bool on);
    bool hasData() const { return m_grid != nullptr; }
    const std::shared_ptr<const HeatmapGrid> &grid() const { return m_grid; }
    QCPColorMap *colorMap() const { return m_map; }

    double legendLowUsd() const { return m_lowUsd; }
    double legendHighUsd() const { return m_highUsd; }
    // Predicted USD (long + short) of the cell under (t, price), if the grid covers it.
    std::optional<std::pair<double, double>> cellAt(qint64 t, double price) const;

private:
    QCPColorMap *m_map;
    std::shared_ptr<const HeatmapGrid> m_grid;
    double m_lowUsd = 0;
    double m_highUsd = 0;
};
