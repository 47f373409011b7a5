#pragma once

#include "heatmapgrid.h"
#include "heatmaphistory.h"
#include "logpricegrid.h"

#include <QVector>

class HeatmapEngine;

// Spreads model bins (LogPriceGrid) over a HeatmapGrid's rows by overlap, one column at a
// time, from an engine state or a stored snapshot; records each column's price.
class HeatmapRaster
{
public:
    HeatmapRaster(HeatmapGrid &grid, double binStep);

    int binLow() const { return m_binLow; }
    int binHigh() const { return m_binHigh; }

    void add(int column, int bin, double longUsd, double shortUsd);
    void addEngine(int column, const HeatmapEngine &engine);
    void addSnapshot(int column, const HeatmapHistory &history, const HeatmapHistory::Snapshot &s);

private:
    double position(double price) const;

    HeatmapGrid &m_grid;
    LogPriceGrid m_logGrid;
    int m_binLow;
    int m_binHigh;
    QVector<double> m_edges;
    QVector<double> m_long, m_short; // one column's bins
};
