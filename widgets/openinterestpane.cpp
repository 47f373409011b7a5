#include "openinterestpane.h"

#include "displayformat.h"
#include "domain/aggregates.h"
#include "domain/spotmarket.h"
#include "fundingcomparepane.h"
#include "fastbars.h"
#include "valueaxisticker.h"

#include <qcustomplot.h>

OpenInterestPane::OpenInterestPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : ChartPane(tr("Open interest"), sync, model, parent)
{
    QCustomPlot *p = plot();
    m_up = new FastBars(p->xAxis, p->yAxis);
    m_down = new FastBars(p->xAxis, p->yAxis);
    m_zero = new QCPGraph(p->xAxis, p->yAxis2);
    m_zero->setPen(Qt::NoPen);
    m_line = new QCPGraph(p->xAxis, p->yAxis2);
    valueTicker()->setKind(ValueAxisTicker::Kind::Quantity);
    themeChanged();
}

void OpenInterestPane::setShowUsd(bool usd)
{
    if (usd == m_usd)
        return;
    m_usd = usd;
    valueTicker()->setKind(usd ? ValueAxisTicker::Kind::Usd : ValueAxisTicker::Kind::Quantity);
    refill(window());
    plot()->yAxis2->setRange(valueRange(visibleKeys()));
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

bool OpenInterestPane::isStacking() const
{
    return m_stack && window().venues.size() >= 2 && Aggregates::isAggregate(window().instrument);
}

void OpenInterestPane::setStackByVenue(bool on)
{
    if (on == m_stack)
        return;
    m_stack = on;
    valueTicker()->setKind(m_usd || isStacking() ? ValueAxisTicker::Kind::Usd : ValueAxisTicker::Kind::Quantity);
    refill(window());
    plot()->yAxis2->setRange(valueRange(visibleKeys()));
    updateHeader();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

const QVector<LineBar> &OpenInterestPane::series() const
{
    // Layers are in USD (coins of different contracts add up, but the members' USD is what
    // the window holds per venue).
    return m_usd || isStacking() ? window().openInterestUsd : window().openInterest;
}

void OpenInterestPane::refillStack(const MarketWindow &w)
{
    for (QCPGraph *g : std::as_const(m_layers))
        plot()->removeGraph(g);
    m_layers.clear();
    m_zero->data()->clear();
    // The change bars would stripe the layers: stacked, the layers' edges show the change.
    m_up->setVisible(!isStacking());
    m_down->setVisible(!isStacking());
    if (!isStacking())
        return;
    valueTicker()->setKind(ValueAxisTicker::Kind::Usd);
    // The layers at the summed line's buckets, each member's last value held as the sum does.
    const double width = Timeframes::ms(w.timeframe) / 1000.0;
    const QVector<LineBar> &total = w.openInterestUsd;
    QVector<double> cumulative(total.size(), 0.0);
    QVector<QCPGraphData> zero;
    for (const LineBar &b : total)
        zero.push_back(QCPGraphData(key(b.ts) + width, 0));
    m_zero->data()->set(zero, true);
    QCPGraph *below = m_zero;
    for (int k = 0; k < int(w.venues.size()); ++k) {
        const QVector<LineBar> &rows = w.venues[k].openInterestUsd;
        QVector<QCPGraphData> layer;
        layer.reserve(total.size());
        for (qsizetype i = 0; i < total.size(); ++i) {
            if (const LineBar *b = MarketWindow::lastAtOrBefore(rows, total[i].ts))
                cumulative[i] += b->close;
            layer.push_back(QCPGraphData(key(total[i].ts) + width, cumulative[i]));
        }
        auto *g = new QCPGraph(plot()->xAxis, plot()->yAxis2);
        g->setName(w.venues[k].instrument.key());
        QColor c = FundingComparePane::venueColor(w.venues[k].instrument.exchange, k);
        g->setPen(QPen(c, 1));
        c.setAlpha(90);
        g->setBrush(c);
        g->setChannelFillGraph(below);
        g->data()->set(layer, true);
        m_layers << g;
        below = g;
    }
    // The summed line on top of its layers: moving it onto its own layer again appends it
    // there, after the layers just added.
    m_line->setLayer(m_line->layer());
}

void OpenInterestPane::themeChanged()
{
    const ChartTheme &t = theme();
    m_line->setPen(QPen(t.accent, 1.5));
    QColor fill = t.accent;
    fill.setAlpha(28);
    m_line->setBrush(fill);
    m_line->setChannelFillGraph(nullptr);
    QColor up = t.up, down = t.down;
    up.setAlpha(140);
    down.setAlpha(140);
    m_up->setBrush(up);
    m_down->setBrush(down);
}

void OpenInterestPane::refill(const MarketWindow &w)
{
    const QVector<LineBar> &s = series();
    const double width = Timeframes::ms(w.timeframe) / 1000.0;
    QVector<QCPGraphData> line;
    line.reserve(s.size());
    QVector<QCPBarsData> up, down;
    for (qsizetype i = 0; i < s.size(); ++i) {
        line.push_back(QCPGraphData(key(s[i].ts) + width, s[i].close));
        // Change over the bar: from the previous bar's close (or this bar's first sample).
        const double base = i > 0 && s[i - 1].ts == s[i].ts - Timeframes::ms(w.timeframe) ? s[i - 1].close : s[i].open;
        const double delta = s[i].close - base;
        (delta >= 0 ? up : down).push_back(QCPBarsData(key(s[i].ts) + width / 2, delta));
    }
    m_line->data()->set(line, true);
    m_up->data()->set(up, true);
    m_down->data()->set(down, true);
    m_up->setWidth(width * 0.72);
    m_down->setWidth(width * 0.72);
    // Filling to the axis would start at zero; fill down to the lowest value in view instead.
    m_line->setBrush(Qt::NoBrush);
    refillStack(w);
}

QCPRange OpenInterestPane::valueRange(const QCPRange &keys) const
{
    ValueSpan span;
    for (const LineBar &b : inKeys(series(), keys, Timeframes::ms(window().timeframe)))
        span.add(b.low, b.high);
    if (isStacking() && span.lo <= span.hi)
        span.add(0, 0); // stacked layers start at zero
    return span.range();
}

void OpenInterestPane::fitExtraAxes(const QCPRange &keys)
{
    // Deltas live in the bottom quarter, symmetric around their zero line.
    double maxAbs = 0;
    bool first = true;
    double prev = 0;
    for (const LineBar &b : inKeys(series(), keys, Timeframes::ms(window().timeframe))) {
        maxAbs = std::max(maxAbs, std::abs(b.close - (first ? b.open : prev)));
        prev = b.close;
        first = false;
    }
    if (maxAbs <= 0)
        maxAbs = 1;
    plot()->yAxis->setRange(-maxAbs, maxAbs * 7);
}

QString OpenInterestPane::valueLabel(double value) const
{
    return m_usd ? DisplayFormat::usd(value) : DisplayFormat::quantity(value);
}

void OpenInterestPane::readout(std::optional<qint64> t, ReadoutBar::Segments &out) const
{
    const MarketWindow &w = window();
    const ChartTheme &th = theme();
    if (SpotMarket::isSpot(w.instrument)) // a spot market has no open interest: not a hole, not 0
        return field(out, tr("OI"), tr("not applicable for spot"), th.mutedText, 14);
    const qint64 step = Timeframes::ms(w.timeframe);
    const LineBar *oi = rowAt(w.openInterest, t, step);
    if (!oi)
        return;
    if (isStacking()) {
        // Each venue's share of the sum at the cursor.
        for (int k = 0; k < int(w.venues.size()); ++k)
            if (const LineBar *b = MarketWindow::lastAtOrBefore(w.venues[k].openInterestUsd, oi->ts))
                field(out, w.venues[k].instrument.exchange, DisplayFormat::usd(b->close), FundingComparePane::venueColor(w.venues[k].instrument.exchange, k), 8);
    }
    field(out, tr("OI"), DisplayFormat::quantity(oi->close), th.accent, 4);
    if (const LineBar *usd = rowAt(w.openInterestUsd, t, step))
        text(out, QStringLiteral("(") + DisplayFormat::usd(usd->close) + QStringLiteral(")"), th.text, 14);
    const LineBar *prev = MarketWindow::at(w.openInterest, oi->ts - step, step);
    const double base = prev ? prev->close : oi->open;
    const double delta = oi->close - base;
    const QColor c = delta >= 0 ? th.up : th.down;
    field(out, QStringLiteral("Δ"), DisplayFormat::signedNumber(delta, std::abs(delta) >= 100 ? 0 : 2), c, 4);
    if (base > 0)
        text(out, QStringLiteral("(") + DisplayFormat::percent(delta / base, 2, true) + QStringLiteral(")"), c);
}

bool OpenInterestPane::hasPaneData() const
{
    return !series().isEmpty();
}

QString OpenInterestPane::emptyText() const
{
    return tr("No open-interest data");
}
