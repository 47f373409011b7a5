#include "chartpane.h"

#include "domain/aggregates.h"
#include "domain/timeformat.h"
#include "marketwindowmodel.h"
#include "rangemime.h"
#include "timeaxisticker.h"
#include "timesync.h"
#include "valueaxisticker.h"

#include <QMimeData>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <qcustomplot.h>

#include <cmath>

namespace {
const QString cursorLayer = QStringLiteral("cursor");
}

const QString &ChartPane::cursorLayerName()
{
    return cursorLayer;
}

std::optional<double> ChartPane::hoverValue() const
{
    if (!m_hover)
        return std::nullopt;
    return m_plot->yAxis2->pixelToCoord(m_hover->y());
}

ChartPane::ChartPane(const QString &title, TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
    , m_sync(sync)
    , m_model(model)
    , m_theme(ChartTheme::dark())
{
    setObjectName(title);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_header = new ReadoutBar(this); // clips long read-outs: never forces the dock area wide
    layout->addWidget(m_header);
    m_plot = new PanePlot(this);
    m_plot->setMinimumHeight(80);
    layout->addWidget(m_plot, 1);

    // Value axis on the right, time at the bottom; the left axis is only a hidden helper.
    m_plot->yAxis->setVisible(false);
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setTickLabels(true);
    m_valueTicker = QSharedPointer<ValueAxisTicker>::create(ValueAxisTicker::Kind::Quantity);
    m_plot->yAxis2->setTicker(m_valueTicker);
    m_plot->yAxis2->setPadding(4);
    m_plot->xAxis->setTicker(QSharedPointer<TimeAxisTicker>::create());
    m_plot->xAxis->setPadding(2);
    m_plot->axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    m_plot->axisRect()->setMargins(plotMargins());
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setPlottingHint(QCP::phCacheLabels, true);
    // Lines as separate segments: Qt strokes a long antialiased polyline wider than 1 px as
    // one path with joins, about 6x slower than the segments (measured: 1,826 points at
    // 1.3 px, 11 ms against 2 ms); at these widths the joins are not visible.
    m_plot->setPlottingHint(QCP::phFastPolylines, true);

    // Two paint buffers only: everything else shares one, the cursor layer (on top) has its
    // own, so a cursor move redraws a few items and blits two pixmaps.
    m_plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    m_plot->addLayer(cursorLayer, m_plot->layer(QStringLiteral("overlay")), QCustomPlot::limAbove);
    m_plot->layer(cursorLayer)->setMode(QCPLayer::lmBuffered);
    const auto onCursorLayer = [this](QCPAbstractItem *item) {
        item->setLayer(cursorLayer);
        item->setClipToAxisRect(false);
        item->setVisible(false);
    };
    // The selection lives on the cursor layer too: dragging it repaints one buffer.
    m_selectionRect = new QCPItemRect(m_plot);
    m_selectionEdges[0] = new QCPItemStraightLine(m_plot);
    m_selectionEdges[1] = new QCPItemStraightLine(m_plot);
    for (QCPAbstractItem *item : std::initializer_list<QCPAbstractItem *>{m_selectionRect, m_selectionEdges[0], m_selectionEdges[1]}) {
        onCursorLayer(item);
        item->setClipToAxisRect(true);
    }
    m_selectionRect->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_selectionRect->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_cursorLine = new QCPItemStraightLine(m_plot);
    m_crossLine = new QCPItemStraightLine(m_plot);
    m_timeTag = new QCPItemText(m_plot);
    m_valueTag = new QCPItemText(m_plot);
    for (QCPAbstractItem *item : std::initializer_list<QCPAbstractItem *>{m_cursorLine, m_crossLine, m_timeTag, m_valueTag})
        onCursorLayer(item);
    m_cursorLine->setClipToAxisRect(true);
    m_crossLine->setClipToAxisRect(true);
    m_timeTag->position->setTypeX(QCPItemPosition::ptPlotCoords);
    m_timeTag->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_timeTag->position->setAxes(m_plot->xAxis, m_plot->yAxis);
    m_timeTag->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_timeTag->setPadding(QMargins(5, 2, 5, 2));
    m_valueTag->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_valueTag->position->setTypeY(QCPItemPosition::ptPlotCoords);
    m_valueTag->position->setAxes(m_plot->xAxis, m_plot->yAxis2);
    m_valueTag->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_valueTag->setPadding(QMargins(4, 2, 4, 2));

    // Said in the middle of an empty pane, in place of a value axis that would be invented.
    m_emptyNote = new QCPItemText(m_plot);
    m_emptyNote->setLayer(QStringLiteral("overlay"));
    m_emptyNote->setClipToAxisRect(false);
    m_emptyNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyNote->position->setCoords(0.5, 0.5);
    m_emptyNote->setPositionAlignment(Qt::AlignCenter);
    m_emptyNote->setVisible(false);

    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    connect(m_sync, &TimeSync::visibleRangeChanged, this, &ChartPane::applyVisibleRange);
    connect(m_sync, &TimeSync::cursorChanged, this, &ChartPane::onCursorChanged);
    connect(m_sync, &TimeSync::selectionChanged, this, &ChartPane::onSelectionChanged);
    connect(m_sync, &TimeSync::rightGutterChanged, this, &ChartPane::applyMargins);
    setAcceptDrops(true);
    setFocusPolicy(Qt::ClickFocus);
    connect(m_model, &MarketWindowModel::windowChanged, this, &ChartPane::onWindowChanged);
    applyBaseTheme(); // no virtual calls yet: the subclass is not constructed
    // A pane created later adopts the current range (and data) at once.
    QMetaObject::invokeMethod(this, [this] {
        onWindowChanged();
        applyVisibleRange();
        onSelectionChanged(m_sync->selection());
    }, Qt::QueuedConnection);
}

QCPAxis *ChartPane::timeAxis() const
{
    return m_plot->xAxis;
}

QCPRange ChartPane::visibleKeys() const
{
    return m_plot->xAxis->range();
}

QCPAxis *ChartPane::valueAxis() const
{
    return m_plot->yAxis2;
}

const MarketWindow &ChartPane::window() const
{
    return m_model->window();
}

int ChartPane::plotWidth() const
{
    return std::max(1, m_plot->width() - leftMargin - rightMargin - m_sync->rightGutter());
}

void ChartPane::field(ReadoutBar::Segments &out, const QString &label, const QString &value, const QColor &color, int gap) const
{
    out.push_back({label, m_theme.mutedText, false, 4});
    out.push_back({value, color, false, gap});
}

void ChartPane::text(ReadoutBar::Segments &out, const QString &value, const QColor &color, int gap)
{
    out.push_back({value, color, false, gap});
}

QString ChartPane::valueLabel(double value) const
{
    return QLocale::c().toString(value, 'f', std::abs(value) >= 1000 ? 1 : 4);
}

void ChartPane::applyBaseTheme()
{
    m_theme.apply(m_plot);
    m_header->setBackground(m_theme.background);
    applyThemeToItems();
}

void ChartPane::setTheme(const ChartTheme &theme)
{
    m_theme = theme;
    applyBaseTheme();
    themeChanged();
    updateHeader();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartPane::applyThemeToItems()
{
    m_selectionRect->setBrush(m_theme.selection);
    m_selectionRect->setPen(Qt::NoPen);
    QColor edge = m_theme.selection;
    edge.setAlpha(220);
    m_selectionEdges[0]->setPen(QPen(edge, 2));
    m_selectionEdges[1]->setPen(QPen(edge, 2));
    const QPen cursorPen(m_theme.cursor, 1, Qt::DashLine);
    m_cursorLine->setPen(cursorPen);
    m_crossLine->setPen(cursorPen);
    m_emptyNote->setColor(m_theme.mutedText);
    for (QCPItemText *tag : {m_timeTag, m_valueTag}) {
        tag->setColor(m_theme.background);
        tag->setBrush(m_theme.cursor);
        tag->setPen(Qt::NoPen);
    }
}

void ChartPane::applyVisibleRange()
{
    const TimeRange r = m_sync->visibleRange();
    if (!r.isValid())
        return;
    m_plot->xAxis->setRange(key(r.from), key(r.to));
    updateEmptyState();
    fitValueAxis();
    if (!m_sync->cursor())
        updateHeader();
    viewChanged();
    // The cursor follows once every pane has queued its replot (they hear of the new range
    // after this one): then its move redraws no cursor layer that the replots redraw anyway.
    if (m_hover)
        QMetaObject::invokeMethod(this, &ChartPane::followMouse, Qt::QueuedConnection);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartPane::followMouse()
{
    // The mouse did not move but the axes did (wheel, keys, new data): the cursor is at the
    // time under the mouse now, and the value tag shows the value at its height.
    if (!m_hover)
        return;
    m_sync->setCursor(timeAt(m_hover->x()), this);
    onCursorChanged(m_sync->cursor(), this);
}

void ChartPane::fitValueAxis()
{
    fitExtraAxes(m_plot->xAxis->range());
    const QCPRange range = valueRange(m_plot->xAxis->range());
    if (!(range.lower <= range.upper) || !std::isfinite(range.lower) || !std::isfinite(range.upper))
        return;
    double lo = range.lower, hi = range.upper;
    const double pad = std::max((hi - lo) * 0.08, std::max(std::abs(hi), std::abs(lo)) * 1e-6 + 1e-12);
    // Prices and open interest are never negative: the room below them stops at zero.
    m_plot->yAxis2->setRange(lo >= 0 ? std::max(0.0, lo - pad) : lo - pad, hi + pad);
}

QString ChartPane::cursorValueText() const
{
    return m_valueTag->visible() ? m_valueTag->text() : QString();
}

QString ChartPane::cursorTimeText() const
{
    return m_timeTag->visible() ? m_timeTag->text() : QString();
}

bool ChartPane::isShowingEmptyNote() const
{
    return m_emptyNote->visible();
}

void ChartPane::updateEmptyState()
{
    const bool empty = !hasPaneData();
    const bool noView = !m_sync->visibleRange().isValid();
    if (empty) {
        const Instrument &i = window().instrument;
        m_emptyNote->setText(!i.isValid() ? tr("No data yet: pick a source, or import files (File → Import…)")
                             : noView     ? tr("No data for %1 in this database").arg(i.key())
                                          : tr("%1 for %2 in this range").arg(emptyText(), i.key()));
    }
    m_emptyNote->setVisible(empty);
    m_plot->yAxis2->setTickLabels(!empty);
    m_plot->yAxis2->grid()->setVisible(!empty);
    m_plot->xAxis->setTickLabels(!noView);
    m_plot->xAxis->grid()->setVisible(!noView);
}

void ChartPane::onWindowChanged()
{
    refill(window());
    updateEmptyState();
    fitValueAxis();
    updateHeader();
    viewChanged();
    followMouse();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartPane::onCursorChanged(std::optional<qint64> t, const QObject *origin)
{
    const bool here = origin == this && m_hover.has_value();
    m_cursorLine->setVisible(t.has_value());
    m_timeTag->setVisible(t.has_value() && here);
    m_crossLine->setVisible(here);
    m_valueTag->setVisible(here);
    if (t) {
        const double k = key(*t);
        m_cursorLine->point1->setCoords(k, 0);
        m_cursorLine->point2->setCoords(k, 1);
        m_timeTag->position->setCoords(k, 1.0);
        m_timeTag->setText(QDateTime::fromMSecsSinceEpoch(*t, Qt::UTC).toString(QStringLiteral("ddd d MMM yy  HH:mm")));
    }
    if (here) {
        const double v = m_plot->yAxis2->pixelToCoord(m_hover->y());
        m_crossLine->point1->setPixelPosition(QPointF(0, m_hover->y()));
        m_crossLine->point2->setPixelPosition(QPointF(1, m_hover->y()));
        m_valueTag->position->setCoords(1.0, v);
        m_valueTag->setText(valueLabel(v));
    }
    cursorMoved(t);
    updateHeader();
    replotCursorLayer();
}

void ChartPane::replotCursorLayer()
{
    if (!m_plot->replotQueued())
        m_plot->layer(cursorLayer)->replot();
}

void ChartPane::updateHeader()
{
    ReadoutBar::Segments out;
    out.push_back({m_title, m_theme.text, true, 8});
    const MarketWindow &w = window();
    if (Aggregates::isAggregate(w.instrument)) {
        // An aggregate says what it sums and where its price comes from, and which members
        // are missing in view (their part of a sum is unknown there).
        out.push_back({w.instrument.key() + QStringLiteral(" (%1 venues) · ").arg(w.venues.size()) + Timeframes::name(w.timeframe)
                           + (w.priceReference.isValid() ? QStringLiteral(" · price ") + w.priceReference.key() : QString()),
                       m_theme.mutedText, false, 16});
        if (!w.missing.isEmpty())
            out.push_back({tr("partial: ") + w.missing.join(QStringLiteral("; ")), m_theme.down, false, 12});
    } else if (w.instrument.isValid()) {
        out.push_back({w.instrument.symbol + QStringLiteral(" · ") + Timeframes::name(w.timeframe), m_theme.mutedText, false, 16});
    }
    readout(m_sync->cursor(), out);
    m_header->setSegments(std::move(out));
}

bool ChartPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    const QRect rect = m_plot->axisRect()->rect();
    switch (event->type()) {
    case QEvent::Wheel: {
        auto *e = static_cast<QWheelEvent *>(event);
        const QPoint delta = e->angleDelta();
        if (std::abs(delta.x()) > std::abs(delta.y())) {
            const TimeRange r = m_sync->visibleRange();
            m_sync->pan(qint64(-delta.x() / 120.0 * r.span() * 0.1), this);
        } else if (delta.y() != 0) {
            const qint64 anchor = qint64(std::llround(m_plot->xAxis->pixelToCoord(e->position().x()) * 1000.0));
            m_sync->zoom(std::pow(0.85, delta.y() / 120.0), anchor, this);
        }
        return true;
    }
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        const QPoint p = e->position().toPoint();
        if (e->button() != Qt::LeftButton || !rect.contains(p))
            break;
        setFocus(Qt::MouseFocusReason);
        const int edge = selectionEdgeNear(p.x());
        if (edge != 0) {
            m_drag = edge < 0 ? Drag::AdjustLeft : Drag::AdjustRight;
        } else if (m_rangeTool || (e->modifiers() & Qt::ShiftModifier)) {
            m_drag = Drag::Select;
            m_selectAnchor = timeAt(p.x());
        } else {
            m_drag = Drag::Pan;
            m_dragStart = p;
            m_dragRange = m_sync->visibleRange();
            m_plot->setCursor(Qt::ClosedHandCursor);
        }
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        const QPoint p = e->position().toPoint();
        const qint64 t = timeAt(p.x());
        switch (m_drag) {
        case Drag::Pan:
            if (m_dragRange.isValid()) {
                const double msPerPixel = double(m_dragRange.span()) / std::max(1, rect.width());
                const qint64 shift = qint64(std::llround(-(p.x() - m_dragStart.x()) * msPerPixel));
                m_sync->setVisibleRange({m_dragRange.from + shift, m_dragRange.to + shift}, this);
            }
            break;
        case Drag::Select:
            m_sync->setSelection({std::min(m_selectAnchor, t), std::max(m_selectAnchor, t)}, this);
            break;
        case Drag::AdjustLeft:
        case Drag::AdjustRight: {
            const TimeRange sel = m_sync->selection();
            const qint64 fixed = m_drag == Drag::AdjustLeft ? sel.to : sel.from;
            m_sync->setSelection({std::min(fixed, t), std::max(fixed, t)}, this);
            if (t < fixed && m_drag == Drag::AdjustRight)
                m_drag = Drag::AdjustLeft; // dragged across the other edge
            else if (t > fixed && m_drag == Drag::AdjustLeft)
                m_drag = Drag::AdjustRight;
            break;
        }
        case Drag::None:
            if (selectionEdgeNear(p.x()) != 0)
                m_plot->setCursor(Qt::SizeHorCursor);
            else
                m_plot->unsetCursor();
            break;
        }
        if (rect.contains(p)) {
            m_hover = p;
            m_sync->setCursor(t, this);
            // setCursor returns early when the time did not change: keep the crosshair moving.
            onCursorChanged(m_sync->cursor(), this);
        } else if (m_hover) {
            m_hover.reset();
            m_sync->clearCursor(this);
        }
        return m_drag != Drag::None;
    }
    case QEvent::MouseButtonRelease:
        if (m_drag != Drag::None) {
            const bool selecting = m_drag != Drag::Pan;
            m_drag = Drag::None;
            m_plot->unsetCursor();
            // A click (or a sliver under a minute) is not a selection.
            if (selecting && m_sync->selection().isValid() && m_sync->selection().span() < 60'000)
                m_sync->clearSelection(this);
            return true;
        }
        break;
    case QEvent::Leave:
        m_hover.reset();
        m_sync->clearCursor(this);
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

qint64 ChartPane::timeAt(int x) const
{
    return qint64(std::llround(m_plot->xAxis->pixelToCoord(x) * 1000.0));
}

int ChartPane::selectionEdgeNear(int x) const
{
    const TimeRange sel = m_sync->selection();
    if (!sel.isValid())
        return 0;
    const double left = m_plot->xAxis->coordToPixel(key(sel.from));
    const double right = m_plot->xAxis->coordToPixel(key(sel.to));
    if (std::abs(x - left) <= 5)
        return -1;
    if (std::abs(x - right) <= 5)
        return 1;
    return 0;
}

void ChartPane::onSelectionChanged(TimeRange range)
{
    const bool on = range.isValid();
    m_selectionRect->setVisible(on);
    m_selectionEdges[0]->setVisible(on);
    m_selectionEdges[1]->setVisible(on);
    if (on) {
        m_selectionRect->topLeft->setCoords(key(range.from), 0);
        m_selectionRect->bottomRight->setCoords(key(range.to), 1);
        m_selectionEdges[0]->point1->setCoords(key(range.from), 0);
        m_selectionEdges[0]->point2->setCoords(key(range.from), 1);
        m_selectionEdges[1]->point1->setCoords(key(range.to), 0);
        m_selectionEdges[1]->point2->setCoords(key(range.to), 1);
    }
    replotCursorLayer();
}

void ChartPane::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && m_sync->selection().isValid()) {
        m_sync->clearSelection(this);
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void ChartPane::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QString::fromLatin1(RangeMime::type)))
        event->acceptProposedAction();
}

void ChartPane::dropEvent(QDropEvent *event)
{
    // A range dropped on a chart: show it (with a little room around) and select it.
    const auto payload = RangeMime::decode(event->mimeData());
    if (!payload)
        return;
    m_sync->setFollowLatest(false);
    m_sync->setVisibleRange(payload->range.padded(0.08), this);
    m_sync->setSelection(payload->range, this);
    event->acceptProposedAction();
}

void ChartPane::fitTickCounts()
{
    // As many labels as fit without touching: about one per 40 px of height on the value axis
    // and one per 130 px of width on the time axis ("28 Nov12:00" in a narrow pane otherwise).
    const int plotHeight = std::max(0, m_plot->height() - 30);
    m_valueTicker->setTickCount(std::clamp(plotHeight / 40, 2, 8));
    m_plot->xAxis->ticker()->setTickCount(std::clamp(plotWidth() / 130, 2, 12));
}

QMargins ChartPane::plotMargins() const
{
    // The right margin holds the value axis, then the room a side strip keeps in every pane.
    return QMargins(leftMargin, 0, rightMargin + m_sync->rightGutter(), 0);
}

void ChartPane::applyMargins()
{
    m_plot->axisRect()->setMargins(plotMargins());
    fitTickCounts();
    emit plotWidthChanged(plotWidth());
    viewChanged();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QRect ChartPane::gutterRect() const
{
    const int gutter = m_sync->rightGutter();
    const QRect plotArea = m_plot->axisRect()->rect();
    if (gutter <= 0)
        return {};
    return QRect(plotArea.right() + 1 + rightMargin, plotArea.top(), gutter, plotArea.height());
}

void ChartPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitTickCounts();
    emit plotWidthChanged(plotWidth());
    viewChanged();
}

void ChartPane::paintSnapshot(QCPPainter *painter, const QPoint &origin)
{
    painter->save();
    painter->translate(origin);
    m_header->render(painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    painter->translate(0, m_header->height());
    m_plot->toPainter(painter, m_plot->width(), m_plot->height());
    painter->restore();
}
