#pragma once

#include "chartpane.h"
#include "heatmapintensity.h"

#include <QTimer>

class BubblePlottable;
class HeatmapLayer;
class HeatmapModel;
class LiquidationMapStrip;
class QCPGraph;
class QCPItemText;

// Realized liquidations as bubbles at their average price per bar, sized by notional (area
// ~ USD) and coloured by side, over the price path, over the predicted liquidation heatmap
// (a colour map on the same price axis), with the liquidation map at the cursor time drawn
// in a strip right of the price axis.
class LiquidationsPane : public ChartPane
{
    Q_OBJECT
public:
    LiquidationsPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);
    ~LiquidationsPane() override;

    // The heatmap source (nullptr: bubbles and price only).
    void setHeatmapModel(HeatmapModel *heatmap);
    void setShowHeatmap(bool on);
    void setShowLiquidationMap(bool on);
    void setHeatmapIntensity(const HeatmapIntensity &intensity);
    HeatmapIntensity heatmapIntensity() const;
    bool showHeatmap() const { return m_showHeatmap; }
    bool showLiquidationMap() const { return m_showMap; }

    const BubblePlottable *bubbles() const { return m_bubbles; }
    const HeatmapLayer *heatmap() const { return m_heat.get(); }
    const LiquidationMapStrip *liquidationMap() const { return m_mapOverlay; }
    // What the pane says instead of heat where there is no open interest (empty: heat shown).
    QString heatmapNote() const;
    // Everything the pane shows of the model is finished for the current view: the grid of
    // this view and the liquidation map (when shown) are computed and set, nothing is asked
    // or running. Exports wait for this; false while there is no price data to map.
    bool heatmapDrawn() const;

protected:
    void refill(const MarketWindow &window) override;
    QCPRange valueRange(const QCPRange &keys) const override;
    void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const override;
    QString valueLabel(double value) const override;
    bool hasPaneData() const override;
    QString emptyText() const override;
    void themeChanged() override;
    void viewChanged() override;
    void cursorMoved(std::optional<qint64> t) override;

private:
    // Bubbles of one print group are at least this far apart (pixels); groups below this
    // share of the largest are left out once bars are grouped.
    static constexpr double minBubbleSpacingPx = 16;
    static constexpr double minClusterShare = 0.02;
    void rebuildBubbles();
    void requestHeatmap();
    void onGrid();
    void onMap();
    void updateHeatNote();

    QCPGraph *m_price;
    BubblePlottable *m_bubbles;
    std::unique_ptr<HeatmapLayer> m_heat;
    LiquidationMapStrip *m_mapOverlay;
    QCPItemText *m_heatNote;
    HeatmapModel *m_heatmapModel = nullptr;
    bool m_showHeatmap = true;
    bool m_showMap = true;
    QTimer m_heatDebounce;
    Instrument m_heatInstrument; // whose prices the grid shown was computed for
    std::tuple<quint64, int, int> m_bubbleKey; // window generation, bars per bubble and height drawn
};
