#pragma once

#include "charttheme.h"
#include "readoutbar.h"
#include "marketwindow.h"
#include "paneplot.h"

#include <QWidget>
#include <optional>
#include <span>

class MarketWindowModel;
class QCustomPlot;
class QCPAxis;
class QCPItemStraightLine;
class QCPItemText;
class QCPItemRect;
class QCPPainter;
class TimeSync;
class ValueAxisTicker;

// The base of every chart pane: a header line (title and read-outs at the cursor) over a
// QCustomPlot whose time axis follows TimeSync. Panes never listen to their axis: user
// input (wheel, drag) goes to TimeSync, and every pane, the origin included, applies what
// TimeSync says, so panes cannot ping-pong. The cursor lives on a buffered layer of its own:
// moving it repaints that layer, never the data.
class ChartPane : public QWidget
{
    Q_OBJECT
public:
    // Fixed side margins (value axis on the right) so time lines up across panes.
    static constexpr int leftMargin = 10;
    static constexpr int rightMargin = 88;

    ChartPane(const QString &title, TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

    QString title() const { return m_title; }
    // True while the pane shows its "no data" note instead of a value axis.
    bool isShowingEmptyNote() const;
    // The cursor's tags as drawn (empty when hidden): the value at the mouse's height on the
    // value axis, and the time on the time axis.
    QString cursorValueText() const;
    QString cursorTimeText() const;
    QSize sizeHint() const override { return {1100, 260}; }
    QCustomPlot *plot() const { return m_plot; }
    ReadoutBar *header() const { return m_header; }
    QCPAxis *timeAxis() const;
    QCPAxis *valueAxis() const;
    ValueAxisTicker *valueTicker() const { return m_valueTicker.data(); }
    const ChartTheme &theme() const { return m_theme; }
    void setTheme(const ChartTheme &theme);
    // Plot area width in pixels (what the tier choice is based on).
    int plotWidth() const;
    // The strip right of the value axis that every pane keeps free (TimeSync::rightGutter),
    // in plot pixels; empty when there is none.
    QRect gutterRect() const;
    // With the range tool on, a plain drag selects (as Shift-drag always does) instead of panning.
    void setRangeTool(bool on) { m_rangeTool = on; }

    // Paints header and plot at `origin`, at the pane's logical size (exports). Uses
    // QCustomPlot::toPainter, which stays fast at any device pixel ratio and draws vectors
    // on SVG and PDF devices.
    void paintSnapshot(QCPPainter *painter, const QPoint &origin);

signals:
    void plotWidthChanged(int pixels);

protected:
    // The window's data changed: refill the plottables.
    virtual void refill(const MarketWindow &window) = 0;
    // Value range of the data whose keys (seconds) are in `keys`; invalid = keep.
    virtual QCPRange valueRange(const QCPRange &keys) const = 0;
    // Header read-outs at t (nullopt: at the latest data in view).
    virtual void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const = 0;
    virtual void themeChanged() {}
    // The view (range, size or value axis) changed: panes that fetch more data ask now.
    virtual void viewChanged() {}
    // The shared cursor moved (nullopt: left the charts); items on the cursor layer update.
    virtual void cursorMoved(std::optional<qint64> t) { Q_UNUSED(t); }
    // The value under the mouse, when the mouse is over this pane.
    std::optional<double> hoverValue() const;
    static const QString &cursorLayerName();
    // Secondary axes (volume, OI delta) follow the visible keys too.
    virtual void fitExtraAxes(const QCPRange &keys) { Q_UNUSED(keys); }
    // Text on the cursor's value tag for a value-axis coordinate.
    virtual QString valueLabel(double value) const;
    // Whether the window holds anything this pane draws; without it the pane says so
    // (emptyText) instead of showing an invented value axis.
    virtual bool hasPaneData() const = 0;
    // "No funding data": the series, for the empty-pane message.
    virtual QString emptyText() const = 0;

    const MarketWindow &window() const;
    static double key(qint64 ms) { return ms / 1000.0; }
    // Read-out helpers: a label in the muted colour followed by a value in `color`.
    void field(ReadoutBar::Segments &out, const QString &label, const QString &value, const QColor &color, int gap = 10) const;
    static void text(ReadoutBar::Segments &out, const QString &value, const QColor &color, int gap = 4);
    // Rows whose bucket [ts, ts + step) overlaps the visible keys (seconds).
    template<typename T>
    static std::span<const T> inKeys(const QVector<T> &rows, const QCPRange &keys, qint64 stepMs)
    {
        const qint64 lo = qint64(keys.lower * 1000.0) - stepMs;
        const qint64 hi = qint64(keys.upper * 1000.0);
        auto b = std::lower_bound(rows.cbegin(), rows.cend(), lo, [](const T &r, qint64 v) { return r.ts <= v; });
        auto e = std::upper_bound(b, rows.cend(), hi, [](qint64 v, const T &r) { return v < r.ts; });
        return std::span<const T>(rows.constData() + (b - rows.cbegin()), size_t(e - b)); // no *begin() of an empty vector (UBSan)
    }
    // The row under the cursor, or the newest row in view when there is no cursor.
    template<typename T>
    const T *rowAt(const QVector<T> &rows, std::optional<qint64> t, qint64 stepMs) const
    {
        if (t)
            return MarketWindow::at(rows, *t, stepMs);
        const auto shown = inKeys(rows, visibleKeys(), stepMs);
        return shown.empty() ? nullptr : &shown.back();
    }
    QCPRange visibleKeys() const;

    // Min/max accumulator; range() is invalid (lower > upper) while empty. (QCPRange's
    // constructor swaps reversed bounds, so it cannot start "empty" itself.)
    struct ValueSpan
    {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -std::numeric_limits<double>::infinity();
        void add(double low, double high)
        {
            lo = std::min(lo, low);
            hi = std::max(hi, high);
        }
        QCPRange range() const
        {
            QCPRange r;
            r.lower = lo;
            r.upper = hi;
            return r;
        }
    };
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

    TimeSync *sync() const { return m_sync; }
    void updateHeader();

private:
    void applyVisibleRange();
    void fitValueAxis();
    void onWindowChanged();
    void onCursorChanged(std::optional<qint64> t, const QObject *origin);
    void onSelectionChanged(TimeRange range);
    qint64 timeAt(int x) const;
    // Which edge of the selection (if any) is within grabbing distance of x: -1 left, 1 right.
    int selectionEdgeNear(int x) const;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void applyThemeToItems();
    void applyBaseTheme();
    void updateEmptyState();
    void fitTickCounts();
    void followMouse();
    QMargins plotMargins() const;
    void applyMargins();
    void replotCursorLayer();

    QString m_title;
    TimeSync *m_sync;
    MarketWindowModel *m_model;
    ChartTheme m_theme;
    ReadoutBar *m_header;
    PanePlot *m_plot;
    QCPItemStraightLine *m_cursorLine;
    QCPItemStraightLine *m_crossLine;
    QCPItemText *m_timeTag;
    QCPItemText *m_valueTag;
    QCPItemText *m_emptyNote;
    QSharedPointer<ValueAxisTicker> m_valueTicker;
    std::optional<QPoint> m_hover; // the mouse, while it is over the plot area
    QCPItemRect *m_selectionRect;
    QCPItemStraightLine *m_selectionEdges[2];
    bool m_rangeTool = false;
    enum class Drag { None, Pan, Select, AdjustLeft, AdjustRight } m_drag = Drag::None;
    qint64 m_selectAnchor = 0;
    QPoint m_dragStart;
    TimeRange m_dragRange;
};
