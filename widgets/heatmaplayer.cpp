#include "heatmaplayer.h"

#include <algorithm>
#include <cmath>

HeatmapLayer::HeatmapLayer(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : m_map(new QCPColorMap(keyAxis, valueAxis))
    , m_legend(new HeatmapLegend(keyAxis->parentPlot(), QStringLiteral("overlay")))
{
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_map->setAntialiased(false);
}

void HeatmapLayer::setTheme(const ChartTheme &theme)
{
    QCPColorGradient g;
    g.clearColorStops();
    if (theme.kind == ChartTheme::Kind::Dark) {
        // A viridis-like ramp (CoinGlass users read it at once) that starts transparent, so
        // thin predictions fade into the chart instead of tinting it.
        QColor base(0x44, 0x01, 0x54);
        QColor clear = base;
        clear.setAlpha(0);
        g.setColorStopAt(0.0, clear);
        base.setAlpha(150);
        g.setColorStopAt(0.12, base);
        g.setColorStopAt(0.35, QColor(0x3b, 0x52, 0x8b, 200));
        g.setColorStopAt(0.55, QColor(0x21, 0x90, 0x8d, 220));
        g.setColorStopAt(0.78, QColor(0x5d, 0xc8, 0x63, 235));
        g.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25, 245));
    } else {
        // On white, viridis' dark end reads as "nothing" and its yellow top vanishes: heat
        // goes from pale yellow through orange and red to a dark purple, and is more opaque,
        // so the hottest cells are the darkest ink on the page.
        g.setColorStopAt(0.0, QColor(0xff, 0xf2, 0xae, 0));
        g.setColorStopAt(0.10, QColor(0xff, 0xec, 0x9c, 170));
        g.setColorStopAt(0.35, QColor(0xfe, 0xb2, 0x4c, 210));
        g.setColorStopAt(0.60, QColor(0xf0, 0x5a, 0x28, 230));
        g.setColorStopAt(0.82, QColor(0xbd, 0x0f, 0x26, 240));
        g.setColorStopAt(1.0, QColor(0x4a, 0x0a, 0x55, 250));
    }
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setNanHandling(QCPColorGradient::nhTransparent);
    m_map->setGradient(g);
    m_legend->setGradient(g);
    m_legend->setColors(theme.panel, theme.text, theme.mutedText);
}

void HeatmapLayer::setVisible(bool on)
{
    m_map->setVisible(on);
    m_legend->setVisible(on);
}

void HeatmapLayer::setIntensity(const HeatmapIntensity &intensity)
{
    if (intensity == m_intensity)
        return;
    m_intensity = intensity;
    rebuild();
}

void HeatmapLayer::setGrid(const std::shared_ptr<const HeatmapGrid> &grid)
{
    m_grid = grid;
    rebuild();
}

HeatmapLayer::Scale HeatmapLayer::scaleOf(const HeatmapGrid &grid, double clipPercentile, double nearShare)
{
    // Row centres once per grid (a log grid's edges cost a pow each); rows rise in price, so
    // the rows near a column's price are one run, found by bisection.
    std::vector<double> mids(size_t(std::max(0, grid.rows)));
    for (int r = 0; r < grid.rows; ++r)
        mids[size_t(r)] = 0.5 * (grid.rowEdge(r) + grid.rowEdge(r + 1));
    const auto collect = [&](bool nearOnly) {
        std::vector<float> cells;
        cells.reserve(size_t(grid.columns) * size_t(grid.rows) / 4);
        for (int c = 0; c < grid.columns; ++c) {
            const double price = grid.columnPrice.value(c);
            if (nearOnly && price <= 0)
                continue;
            int first = 0, last = grid.rows;
            if (nearOnly) {
                first = int(std::partition_point(mids.cbegin(), mids.cend(), [&](double mid) { return mid / price - 1 < -nearShare; }) - mids.cbegin());
                last = int(std::partition_point(mids.cbegin(), mids.cend(), [&](double mid) { return mid / price - 1 <= nearShare; }) - mids.cbegin());
            }
            for (int r = first; r < last; ++r) {
                const float v = grid.longUsd[grid.index(c, r)] + grid.shortUsd[grid.index(c, r)];
                if (v > 0)
                    cells.push_back(v);
            }
        }
        return cells;
    };
    Scale s;
    std::vector<float> cells = collect(true);
    s.nearPrice = !cells.empty();
    if (cells.empty())
        cells = collect(false);
    if (cells.empty())
        return s;
    auto mid = cells.begin() + cells.size() / 2;
    std::nth_element(cells.begin(), mid, cells.end());
    s.refUsd = std::max(1.0, double(*mid));
    auto top = cells.begin() + std::min(cells.size() - 1, size_t(double(cells.size()) * std::clamp(clipPercentile, 0.5, 1.0)));
    std::nth_element(cells.begin(), top, cells.end());
    s.topUsd = std::max(s.refUsd, double(*top));
    return s;
}

void HeatmapLayer::rebuild()
{
    m_lowUsd = m_highUsd = 0;
    m_legend->setScale({});
    const std::shared_ptr<const HeatmapGrid> &grid = m_grid;
    if (!grid || grid->columns <= 0 || grid->rows <= 0 || grid->columnTimes.size() != grid->columns) {
        m_map->data()->clear();
        return;
    }
    const Scale scale = scaleOf(*grid, m_intensity.clipPercentile);
    const double ref = std::max(1.0, scale.refUsd);
    const double clip = std::max(1e-6, std::log1p(scale.topUsd / ref));
    const double floor = clip * std::clamp(m_intensity.threshold, 0.0, 0.95);
    // No heat in view: no legend either (it would invent "$0.05 ... $1.72").
    if (scale.topUsd > 0) {
        // The legend starts where cells become visible: at the threshold, or where the
        // ramp leaves transparency.
        const double from = std::max(floor, clip * 0.1);
        m_lowUsd = ref * std::expm1(from);
        m_highUsd = scale.topUsd;
        m_legend->setScale({m_lowUsd, m_highUsd, m_intensity.clipPercentile, scale.nearPrice, from / clip});
    }

    // Cell centres: columns are snapshots at columnTimes (spaced evenly), rows span the price range.
    const double step = grid->columns > 1 ? (grid->columnTimes.last() - grid->columnTimes.first()) / 1000.0 / (grid->columns - 1)
                                          : grid->range.span() / 1000.0;
    const double firstKey = grid->columnTimes.first() / 1000.0 - step / 2;
    const double lastKey = grid->columnTimes.last() / 1000.0 - step / 2;
    const double rowHeight = (grid->priceHigh - grid->priceLow) / grid->rows;
    auto *data = new QCPColorMapData(grid->columns, grid->rows, QCPRange(firstKey, std::max(lastKey, firstKey + 1e-3)),
                                     QCPRange(grid->priceLow + rowHeight / 2, grid->priceHigh - rowHeight / 2));
    bool anyWarm = false;
    for (int c = 0; c < grid->columns; ++c) {
        anyWarm = anyWarm || grid->isWarm(c);
        for (int r = 0; r < grid->rows; ++r) {
            const double v = grid->longUsd[grid->index(c, r)] + grid->shortUsd[grid->index(c, r)];
            const double shown = v > 0 ? std::min(std::log1p(v / ref), clip) : 0;
            data->setCell(c, r, v > 0 && shown >= floor ? shown : std::numeric_limits<double>::quiet_NaN());
        }
    }
    // The warm-up is drawn faded (its levels are a prior, not the market's history yet).
    if (anyWarm)
        for (int c = 0; c < grid->columns; ++c)
            if (grid->isWarm(c))
                for (int r = 0; r < grid->rows; ++r)
                    data->setAlpha(c, r, warmUpAlpha);
    m_map->setData(data, false);
    m_map->setDataRange(QCPRange(0, clip));
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
