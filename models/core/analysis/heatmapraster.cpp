#include "heatmapraster.h"

#include "heatmapengine.h"

#include <algorithm>
#include <cmath>

HeatmapRaster::HeatmapRaster(HeatmapGrid &grid, double binStep)
    : m_grid(grid)
    , m_logGrid(binStep)
    , m_binLow(m_logGrid.binOf(grid.priceLow))
    , m_binHigh(m_logGrid.binOf(grid.priceHigh))
{
    for (int b = m_binLow; b <= m_binHigh + 1; ++b)
        m_edges.push_back(position(m_logGrid.lowerEdge(b)));
    m_long.resize(m_binHigh - m_binLow + 1);
    m_short.resize(m_binHigh - m_binLow + 1);
}

double HeatmapRaster::position(double price) const
{
    if (m_grid.rowScale == HeatmapGrid::RowScale::Log)
        return std::log(price / m_grid.priceLow) / std::log(m_grid.priceHigh / m_grid.priceLow) * m_grid.rows;
    return (price - m_grid.priceLow) / (m_grid.priceHigh - m_grid.priceLow) * m_grid.rows;
}

void HeatmapRaster::add(int column, int bin, double longUsd, double shortUsd)
{
    if (bin < m_binLow || bin > m_binHigh)
        return;
    const double ra = m_edges[bin - m_binLow], rh = m_edges[bin - m_binLow + 1];
    const double a = std::max(ra, 0.0), h = std::min(rh, double(m_grid.rows));
    if (!(h > a))
        return;
    const double width = rh - ra;
    const int r0 = int(a), r1 = std::min(m_grid.rows - 1, int(std::ceil(h)) - 1);
    float *longs = m_grid.longUsd.data() + m_grid.index(column, 0);
    float *shorts = m_grid.shortUsd.data() + m_grid.index(column, 0);
    for (int r = r0; r <= r1; ++r) {
        const double share = (std::min(h, r + 1.0) - std::max(a, double(r))) / width;
        longs[r] += float(longUsd * share);
        shorts[r] += float(shortUsd * share);
    }
}

void HeatmapRaster::addEngine(int column, const HeatmapEngine &engine)
{
    m_grid.columnPrice[column] = float(engine.price());
    m_long.fill(0);
    m_short.fill(0);
    engine.book(Liquidation::Side::Long).addBins(m_binLow, m_binHigh, m_long.data());
    engine.book(Liquidation::Side::Short).addBins(m_binLow, m_binHigh, m_short.data());
    for (int b = m_binLow; b <= m_binHigh; ++b)
        if (m_long[b - m_binLow] > 0 || m_short[b - m_binLow] > 0)
            add(column, b, m_long[b - m_binLow], m_short[b - m_binLow]);
}

void HeatmapRaster::addSnapshot(int column, const HeatmapHistory &history, const HeatmapHistory::Snapshot &s)
{
    m_grid.columnPrice[column] = float(s.price);
    const HeatmapHistory::Cell *begin = history.cells(s), *end = begin + s.cellCount;
    const auto *it = std::lower_bound(begin, end, m_binLow, [](const HeatmapHistory::Cell &c, int b) { return c.bin < b; });
    for (; it != end && it->bin <= m_binHigh; ++it)
        add(column, it->bin, it->longUsd, it->shortUsd);
}
