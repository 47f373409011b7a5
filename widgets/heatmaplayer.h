#pragma once

#include "analysis/heatmapgrid.h"
#include "charttheme.h"
#include "heatmapintensity.h"
#include "heatmaplegend.h"

#include <memory>
#include <qcustomplot.h>

// The predicted heatmap as a QCPColorMap under a pane's data: cells show log1p(usd / ref)
// with ref the median non-empty cell near price, and the colours clipped at the intensity's
// percentile of those cells, so levels far from price that nothing will reach (and that
// accumulate without decay) do not set the scale and dim the area a trader reads. Empty
// cells (and cells under the intensity's threshold) stay transparent; columns still in the
// model's warm-up are drawn faded. The legend shows the scale in USD.
class HeatmapLayer
{
public:
    HeatmapLayer(QCPAxis *keyAxis, QCPAxis *valueAxis);

    void setTheme(const ChartTheme &theme);
    void setGrid(const std::shared_ptr<const HeatmapGrid> &grid);
    void setIntensity(const HeatmapIntensity &intensity);
    const HeatmapIntensity &intensity() const { return m_intensity; }
    void setVisible(bool on);
    bool hasData() const { return m_grid != nullptr; }
    const std::shared_ptr<const HeatmapGrid> &grid() const { return m_grid; }
    QCPColorMap *colorMap() const { return m_map; }
    const HeatmapLegend *legend() const { return m_legend; }

    double legendLowUsd() const { return m_lowUsd; }
    double legendHighUsd() const { return m_highUsd; }
    // Predicted USD (long + short) of the cell under (t, price), if the grid covers it.
    std::optional<std::pair<double, double>> cellAt(qint64 t, double price) const;

    // The colour scale of a grid: reference (median) and top (clip percentile) cell USD over
    // the cells within `nearShare` of each column's price (all cells when no column has a
    // price or none is near). ref = top = 0: no heat.
    struct Scale
    {
        double refUsd = 0;
        double topUsd = 0;
        bool nearPrice = false;
    };
    static Scale scaleOf(const HeatmapGrid &grid, double clipPercentile, double nearShare = 0.08);
    // Alpha of a warm-up column relative to a warm one.
    static constexpr int warmUpAlpha = 80;

private:
    void rebuild();

    QCPColorMap *m_map;
    HeatmapLegend *m_legend;
    std::shared_ptr<const HeatmapGrid> m_grid;
    HeatmapIntensity m_intensity;
    double m_lowUsd = 0;
    double m_highUsd = 0;
};
