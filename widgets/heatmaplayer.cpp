#include "heatmaplayer.h"

#include <algorithm>
#include <cmath>

HeatmapLayer::HeatmapLayer(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : m_map(new QCPColorMap(keyAxis, valueAxis))
{
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_map->setAntialiased(false);
}

void HeatmapLayer::setTheme(const ChartTheme &theme)
{
    // A viridis-like ramp (CoinGlass users read it at once) that starts transparent, so thin
    // predictions fade into the chart instead of tinting it.
    QCPColorGradient g;
    g.clearColorStops();
    QColor base = theme.kind == ChartTheme::Kind::Dark ? QColor(0x44, 0x01, 0x54) : QColor(0x58, 0x2e, 0x8c);
    QColor clear = base;
    clear.setAlpha(0);
    g.setColorStopAt(0.0, clear);
    base.setAlpha(150);
    g.setColorStopAt(0.12, base);
    g.setColorStopAt(0.35, QColor(0x3b, 0x52, 0x8b, 200));
    g.setColorStopAt(0.55, QColor(0x21, 0x90, 0x8d, 220));
    g.setColorStopAt(0.78, QColor(0x5d, 0xc8, 0x63, 235));
    g.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25, 245));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setNanHandling(QCPColorGradient::nhTransparent);
    m_map->setGradient(g);
}

void HeatmapLayer::setVisible(bool on)
{
    m_map->setVisible(on);
}

void HeatmapLayer::setGrid(const std::shared_ptr<const HeatmapGrid> &grid)
{
    m_grid = grid;
    m_lowUsd = m_highUsd = 0;
    if (!grid || grid->columns <= 0 || grid->rows <= 0 || grid->columnTimes.size() != grid->columns) {
        m_map->data()->clear();
        return;
    }
    const int n = grid->columns * grid->rows;
    // Normalise over the view: reference = median of the non-empty cells, clip at p99.
    std::vector<float> nonzero;
    nonzero.reserve(size_t(n) / 4);
    for (int i = 0; i < n; ++i) {
        const float v = grid->longUsd[i] + grid->shortUsd[i];
        if (v > 0)
            nonzero.push_back(v);
    }
    double ref = 1, clip = 1;
    if (!nonzero.empty()) {
        auto mid = nonzero.begin() + nonzero.size() / 2;
        std::nth_element(nonzero.begin(), mid, nonzero.end());
        ref = std::max(1.0, double(*mid));
        auto p99 = nonzero.begin() + std::min(nonzero.size() - 1, size_t(nonzero.size() * 0.99));
        std::nth_element(nonzero.begin(), p99, nonzero.end());
        clip = std::log1p(double(*p99) / ref);
    }
    // No heat in view: no legend either (it would invent "$0.05 ... $1.72").
    m_lowUsd = nonzero.empty() ? 0 : ref * 0.05;
    m_highUsd = nonzero.empty() ? 0 : ref * std::expm1(clip);

    // Cell centres: columns are snapshots at columnTimes (spaced evenly), rows span the price range.
    const double step = grid->columns > 1 ? (grid->columnTimes.last() - grid->columnTimes.first()) / 1000.0 / (grid->columns - 1)
                                          : grid->range.span() / 1000.0;
    const double firstKey = grid->columnTimes.first() / 1000.0 - step / 2;
    const double lastKey = grid->columnTimes.last() / 1000.0 - step / 2;
    const double rowHeight = (grid->priceHigh - grid->priceLow) / grid->rows;
    auto *data = new QCPColorMapData(grid->columns, grid->rows, QCPRange(firstKey, std::max(lastKey, firstKey + 1e-3)),
                                     QCPRange(grid->priceLow + rowHeight / 2, grid->priceHigh - rowHeight / 2));
    for (int c = 0; c < grid->columns; ++c)
        for (int r = 0; r < grid->rows; ++r) {
            const double v = grid->longUsd[grid->index(c, r)] + grid->shortUsd[grid->index(c, r)];
            data->setCell(c, r, v > 0 ? std::min(std::log1p(v / ref), clip) : std::numeric_limits<double>::quiet_NaN());
        }
    m_map->setData(data, false);
    m_map->setDataRange(QCPRange(0, std::max(clip, 1e-6)));
}

std::optional<std::pair<double, double>> HeatmapLayer::cellAt(qint64 t, double price) const
{
    if (!m_grid || m_grid->columns <= 0 || price < m_grid->priceLow || price >= m_grid->priceHigh)
        return std::nullopt;
    auto it = std::upper_bound(m_grid->columnTimes.cbegin(), m_grid->columnTimes.cend(), t);
    if (it == m_grid->columnTimes.cend())
        return std::nullopt;
    const int c = int(it - m_grid->columnTimes.cbegin());
    const int r = std::clamp(int((price - m_grid->priceLow) / (m_grid->priceHigh - m_grid->priceLow) * m_grid->rows), 0, m_grid->rows - 1);
    return std::pair(double(m_grid->longUsd[m_grid->index(c, r)]), double(m_grid->shortUsd[m_grid->index(c, r)]));
}
