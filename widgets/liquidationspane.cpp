#include "liquidationspane.h"

#include "bubbleplottable.h"
#include "displayformat.h"
#include "domain/spotmarket.h"
#include "domain/timeformat.h"
#include "heatmaplayer.h"
#include "heatmapmodel.h"
#include "liquidationmapstrip.h"
#include "marketwindowmodel.h"
#include "timesync.h"
#include "valueaxisticker.h"

#include <qcustomplot.h>

#include <cmath>

LiquidationsPane::LiquidationsPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : ChartPane(tr("Liquidations"), sync, model, parent)
{
    QCustomPlot *p = plot();
    valueTicker()->setKind(ValueAxisTicker::Kind::Price);
    // Drawing order: heatmap, then the prints, then the price path over them, so the
    // bubbles of a heavy session never hide where price went.
    m_heat = std::make_unique<HeatmapLayer>(p->xAxis, p->yAxis2);
    m_bubbles = new BubblePlottable(p->xAxis, p->yAxis2);
    m_price = new QCPGraph(p->xAxis, p->yAxis2);
    m_mapOverlay = new LiquidationMapStrip(p, p->yAxis2, cursorLayerName(), [this] { return gutterRect(); });
    sync->setRightGutter(m_showMap ? LiquidationMapStrip::width : 0);
    // The model needs open interest; without it the pane says so where the heat would be.
    m_heatNote = new QCPItemText(p);
    m_heatNote->setLayer(QStringLiteral("overlay"));
    m_heatNote->setClipToAxisRect(true);
    m_heatNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_heatNote->position->setCoords(0.5, 0.0);
    m_heatNote->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_heatNote->setPadding(QMargins(6, 4, 6, 4));
    m_heatNote->setVisible(false);
    // Views change in bursts (wheel, drag): ask for a new heatmap once they settle.
    m_heatDebounce.setSingleShot(true);
    m_heatDebounce.setInterval(120);
    connect(&m_heatDebounce, &QTimer::timeout, this, &LiquidationsPane::requestHeatmap);
    themeChanged();
}

LiquidationsPane::~LiquidationsPane() = default;

void LiquidationsPane::setHeatmapModel(HeatmapModel *heatmap)
{
    m_heatmapModel = heatmap;
    if (!heatmap)
        return;
    connect(heatmap, &HeatmapModel::gridReady, this, &LiquidationsPane::onGrid);
    connect(heatmap, &HeatmapModel::mapReady, this, &LiquidationsPane::onMap);
    connect(heatmap, &HeatmapModel::paramsChanged, this, [this] {
        m_heat->setGrid(nullptr);
        m_mapOverlay->setMap(std::nullopt);
        updateHeatNote();
        requestHeatmap();
    });
    requestHeatmap();
}

void LiquidationsPane::setShowHeatmap(bool on)
{
    m_showHeatmap = on;
    m_heat->setVisible(on);
    if (on)
        requestHeatmap();
    updateHeatNote();
    updateHeader();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void LiquidationsPane::setShowLiquidationMap(bool on)
{
    m_showMap = on;
    m_mapOverlay->setVisible(on);
    // The strip's room is kept by every pane, so time stays aligned across them.
    sync()->setRightGutter(on ? LiquidationMapStrip::width : 0);
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void LiquidationsPane::setHeatmapIntensity(const HeatmapIntensity &intensity)
{
    m_heat->setIntensity(intensity);
    updateHeader();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

HeatmapIntensity LiquidationsPane::heatmapIntensity() const
{
    return m_heat->intensity();
}

void LiquidationsPane::viewChanged()
{
    rebuildBubbles(); // the grouping follows the zoom
    if (m_heatmapModel && m_showHeatmap)
        m_heatDebounce.start();
}

void LiquidationsPane::requestHeatmap()
{
    if (!m_heatmapModel || !m_showHeatmap || !window().instrument.isValid())
        return;
    const TimeRange view = sync()->visibleRange();
    if (window().candles.isEmpty() || !view.isValid())
        return; // no prices in view: the axis is a placeholder, there is nothing to map
    QCPRange prices = plot()->yAxis2->range();
    // The price grid is logarithmic: it starts above zero even when the axis reaches it.
    prices.lower = std::max(prices.lower, prices.upper * 1e-3);
    if (!(prices.upper > prices.lower))
        return;
    // About one cell per two pixels: finer adds nothing the eye can see.
    const int columns = std::clamp(plotWidth() / 2, 50, 1000);
    const int rows = std::clamp(plot()->axisRect()->height() / 2, 40, 400);
    m_heatmapModel->requestGrid({window().instrument, view, columns, rows, prices.lower, prices.upper});
    if (!sync()->cursor())
        m_heatmapModel->requestMap(window().instrument, std::min(view.to, window().extent.to) - 1);
}

bool LiquidationsPane::heatmapDrawn() const
{
    if (!m_heatmapModel || !m_heatmapModel->isEnabled() || (!m_showHeatmap && !m_showMap))
        return true;
    if (m_heatDebounce.isActive() || !window().instrument.isValid() || window().candles.isEmpty())
        return false;
    if (m_showHeatmap && !(m_heatmapModel->gridIsCurrent() && m_heat->grid() == m_heatmapModel->grid()))
        return false;
    // With the heatmap hidden the map is asked for by cursor moves only: not waited for then.
    return !m_showMap || !m_showHeatmap || m_heatmapModel->mapIsCurrent();
}

void LiquidationsPane::onGrid()
{
    const auto &grid = m_heatmapModel->grid();
    if (!grid || grid->range.span() <= 0 || (grid->columnTimes.isEmpty()))
        return;
    // A grid asked for before the switch to another instrument (or to one without prices)
    // answers a question nobody asks any more.
    if (m_heatmapModel->gridInstrument() != window().instrument || window().candles.isEmpty())
        return;
    m_heat->setGrid(grid);
    updateHeatNote();
    updateHeader();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

QString LiquidationsPane::heatmapNote() const
{
    const auto &grid = m_heat->grid();
    if (!m_showHeatmap || !grid || window().candles.isEmpty())
        return {};
    if (!grid->hasOpenInterest)
        return tr("No open interest for %1: no heatmap").arg(window().instrument.key());
    // Prices for more than an hour before the first OI sample (not merely the view reaching
    // back past the start of all data), and the view shows some of that time.
    const bool pricesBeforeOi = window().extent.isValid() && grid->openInterestFrom - window().extent.from > 3'600'000;
    if (pricesBeforeOi && !grid->columnTimes.isEmpty() && grid->columnTimes.first() < grid->openInterestFrom)
        return tr("No open interest before %1: no heatmap there").arg(TimeFormat::display(grid->openInterestFrom));
    return {};
}

void LiquidationsPane::updateHeatNote()
{
    const QString note = heatmapNote();
    m_heatNote->setText(note);
    m_heatNote->setVisible(!note.isEmpty());
}

void LiquidationsPane::onMap()
{
    const bool ours = m_heatmapModel->mapInstrument() == window().instrument && !window().candles.isEmpty();
    m_mapOverlay->setMap(ours ? m_heatmapModel->map() : std::nullopt);
    plot()->layer(cursorLayerName())->replot();
}

void LiquidationsPane::cursorMoved(std::optional<qint64> t)
{
    if (m_heatmapModel && m_showMap && window().instrument.isValid())
        m_heatmapModel->requestMap(window().instrument, t ? *t : std::min(sync()->visibleRange().to, window().extent.to) - 1);
}

void LiquidationsPane::themeChanged()
{
    const ChartTheme &t = theme();
    m_heat->setTheme(t);
    m_mapOverlay->setColors({t.longLiq, t.shortLiq, t.text, t.mutedText, t.grid, t.panel});
    m_price->setPen(QPen(t.kind == ChartTheme::Kind::Dark ? QColor(0xe0, 0xe3, 0xeb) : QColor(0x30, 0x34, 0x40), 1.3));
    m_bubbles->setOutline(t.background);
    m_heatNote->setColor(t.mutedText);
    QColor plate = t.background;
    plate.setAlpha(200);
    m_heatNote->setBrush(plate);
    m_heatNote->setPen(Qt::NoPen);
    refill(window());
}

void LiquidationsPane::refill(const MarketWindow &w)
{
    if (m_heat->hasData() && (w.candles.isEmpty() || w.instrument != m_heatInstrument))
        m_heat->setGrid(nullptr); // another instrument, or nothing to map
    if (m_mapOverlay->map() && (w.candles.isEmpty() || w.instrument != m_heatInstrument))
        m_mapOverlay->setMap(std::nullopt);
    m_heatInstrument = w.instrument;
    updateHeatNote();
    const double step = Timeframes::ms(w.timeframe) / 1000.0;
    QVector<QCPGraphData> path;
    path.reserve(w.candles.size());
    for (const Candle &c : w.candles)
        path.push_back(QCPGraphData(key(c.ts) + step / 2, c.close));
    m_price->data()->set(path, true);

    m_bubbleKey = {};
    rebuildBubbles();
}

void LiquidationsPane::rebuildBubbles()
{
    const MarketWindow &w = window();
    const TimeRange view = sync()->visibleRange();
    const qint64 barMs = Timeframes::ms(w.timeframe);
    // Bars closer than a bubble's width merge into one bubble per group of bars (its prints
    // summed, at their notional-weighted time and price); then small groups are left out, so
    // coarse views show where the liquidations were instead of a string of beads.
    const double pxPerBar = view.isValid() ? plotWidth() * double(barMs) / double(view.span()) : minBubbleSpacingPx;
    const int group = std::max(1, int(std::ceil(minBubbleSpacingPx / std::max(pxPerBar, 1e-9))));
    const std::tuple<quint64, int, int> drawn{w.generation, group, plot()->axisRect()->height()};
    if (drawn == m_bubbleKey)
        return;
    m_bubbleKey = drawn;
    struct Cluster
    {
        double usd = 0, qty = 0, weightedKey = 0;
    };
    QVector<std::pair<qint64, std::array<Cluster, 2>>> clusters; // by group start, long/short
    const qint64 groupMs = barMs * group;
    for (const LiquidationBar &b : w.liquidations) {
        const qint64 start = b.ts - ((b.ts % groupMs) + groupMs) % groupMs;
        if (clusters.isEmpty() || clusters.back().first != start)
            clusters.push_back({start, {}});
        const double k = key(b.ts) + barMs / 2000.0;
        for (int side = 0; side < 2; ++side) {
            const double usd = side == 0 ? b.longUsd : b.shortUsd;
            if (usd <= 0)
                continue;
            Cluster &c = clusters.back().second[size_t(side)];
            c.usd += usd;
            c.qty += side == 0 ? b.longQty : b.shortQty;
            c.weightedKey += k * usd;
        }
    }
    double maxUsd = 0;
    for (const auto &[start, sides] : clusters)
        maxUsd = std::max({maxUsd, sides[0].usd, sides[1].usd});
    // Area proportional to notional, relative to the biggest bubble in the window.
    // The largest bubble spans at most a quarter of the pane's height.
    const double maxRadius = std::clamp(plot()->axisRect()->height() * 0.125, 8.0, 26.0), minRadius = 2.5;
    const double floorUsd = group > 1 ? maxUsd * minClusterShare : 0;
    QColor colors[2] = {theme().longLiq, theme().shortLiq};
    for (QColor &c : colors)
        c.setAlpha(170);
    QVector<BubblePlottable::Bubble> bubbles;
    for (const auto &[start, sides] : clusters)
        for (int side = 0; side < 2; ++side) {
            const Cluster &c = sides[size_t(side)];
            if (c.usd <= 0 || c.usd < floorUsd || c.qty <= 0)
                continue;
            bubbles.push_back({c.weightedKey / c.usd, c.usd / c.qty, std::max(minRadius, maxRadius * std::sqrt(c.usd / maxUsd)), colors[side]});
        }
    std::sort(bubbles.begin(), bubbles.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
    m_bubbles->setBubbles(std::move(bubbles));
}

QCPRange LiquidationsPane::valueRange(const QCPRange &keys) const
{
    const MarketWindow &w = window();
    const qint64 step = Timeframes::ms(w.timeframe);
    ValueSpan span;
    for (const Candle &c : inKeys(w.candles, keys, step))
        span.add(c.low, c.high);
    return span.range();
}

QString LiquidationsPane::valueLabel(double value) const
{
    return DisplayFormat::price(value);
}

void LiquidationsPane::readout(std::optional<qint64> t, ReadoutBar::Segments &out) const
{
    const MarketWindow &w = window();
    const ChartTheme &th = theme();
    if (SpotMarket::isSpot(w.instrument)) // nobody is liquidated on a spot market: not "unknown", not $0
        return field(out, tr("Liquidations"), tr("not applicable for spot"), th.mutedText, 14);
    const qint64 step = Timeframes::ms(w.timeframe);
    // Liquidations where nothing listened are unknown, not $0 (a backfill cannot fetch them).
    const auto coveredShare = [&w](TimeRange r) {
        return r.isValid() ? double(Coverages::length(Coverages::clip(w.liquidationCoverage.covered, r))) / double(r.span()) : 0.0;
    };
    if (t && coveredShare({Timeframes::floor(w.timeframe, *t), Timeframes::floor(w.timeframe, *t) + step}) <= 0) {
        field(out, tr("Liquidations"), tr("unknown (not covered here)"), th.mutedText, 14);
    } else if (t) {
        const LiquidationBar *b = MarketWindow::at(w.liquidations, *t, step);
        field(out, tr("Longs"), DisplayFormat::usd(b ? b->longUsd : 0), th.longLiq, 4);
        text(out, QStringLiteral("(%1)").arg(b ? b->longCount : 0), th.mutedText, 10);
        field(out, tr("Shorts"), DisplayFormat::usd(b ? b->shortUsd : 0), th.shortLiq, 4);
        text(out, QStringLiteral("(%1)").arg(b ? b->shortCount : 0), th.mutedText, 10);
        if (b && b->largestUsd > 0)
            field(out, tr("largest"), DisplayFormat::usd(b->largestUsd), th.text, 14);
    } else {
        double longUsd = 0, shortUsd = 0;
        for (const LiquidationBar &v : inKeys(w.liquidations, visibleKeys(), step)) {
            longUsd += v.longUsd;
            shortUsd += v.shortUsd;
        }
        const QCPRange keys = visibleKeys();
        const double share = coveredShare({qint64(keys.lower * 1000.0), qint64(keys.upper * 1000.0)});
        if (share <= 0) {
            field(out, tr("In view: liquidations"), tr("unknown (not covered)"), th.mutedText, 14);
        } else {
            field(out, tr("In view: longs"), DisplayFormat::usd(longUsd), th.longLiq);
            field(out, tr("shorts"), DisplayFormat::usd(shortUsd), th.shortLiq, share < 0.99 ? 4 : 14);
            if (share < 0.99)
                text(out, tr("(%1 covered)").arg(share < 0.01 ? QStringLiteral("<1%") : DisplayFormat::percent(share, 0)), th.mutedText, 14);
        }
    }
    if (m_showHeatmap && m_heat->hasData() && !w.candles.isEmpty() && !m_heat->grid()->hasOpenInterest) {
        field(out, tr("Heat"), tr("no open interest: no heatmap"), th.mutedText, 14);
    } else if (m_showHeatmap && m_heat->hasData() && !w.candles.isEmpty() && m_heat->legendHighUsd() > 0) {
        const auto hover = hoverValue();
        const auto cell = t && hover ? m_heat->cellAt(*t, *hover) : std::nullopt;
        if (cell)
            field(out, tr("Predicted here"), DisplayFormat::usd(cell->first + cell->second), th.text, 14);
        else
            field(out, tr("Heat"), DisplayFormat::usd(m_heat->legendLowUsd()) + QStringLiteral(" … ") + DisplayFormat::usd(m_heat->legendHighUsd()),
                  th.text, 14);
    }
    // The coverage badge: how completely the source saw liquidations (its registry row). How a
    // sampled feed samples is the venue's (Binance: one print per second; OKX: undocumented):
    // the tape below shows the venue's own note.
    if (w.liquidationFeed == QLatin1String("throttled"))
        text(out, tr("· coverage: sampled (a lower bound)"), th.mutedText);
    else if (w.liquidationFeed == QLatin1String("full"))
        text(out, w.instrument.isSynthetic()   ? tr("· made-up prints (synthetic random walk)")
                  : w.instrument.isSimulated() ? tr("· coverage: complete (simulated)")
                                               : tr("· coverage: complete (every liquidation)"),
             th.mutedText);
}

bool LiquidationsPane::hasPaneData() const
{
    return !window().candles.isEmpty() || !window().liquidations.isEmpty();
}

QString LiquidationsPane::emptyText() const
{
    return tr("No price or liquidation data");
}
