#include "pricepane.h"

#include "candleplottable.h"
#include "displayformat.h"
#include "fastbars.h"
#include "valueaxisticker.h"

#include <qcustomplot.h>

PricePane::PricePane(TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : ChartPane(tr("Price"), sync, model, parent)
{
    QCustomPlot *p = plot();
    valueTicker()->setKind(ValueAxisTicker::Kind::Price);
    // Volume on the hidden left axis, scaled so bars fill the bottom fifth.
    m_volumeUp = new FastBars(p->xAxis, p->yAxis);
    m_volumeDown = new FastBars(p->xAxis, p->yAxis);
    m_candles = new CandlePlottable(p->xAxis, p->yAxis2);
    m_candles->setWidthType(QCPFinancial::wtPlotCoords);
    m_candles->setAntialiased(false); // axis-aligned: AA only costs time
    m_mark = new QCPGraph(p->xAxis, p->yAxis2);
    m_mark->setVisible(false);
    m_lastLine = new QCPItemStraightLine(p);
    m_lastTag = new QCPItemText(p);
    m_lastTag->setLayer(QStringLiteral("overlay")); // above the axis labels it covers
    m_lastTag->setClipToAxisRect(false);
    m_lastTag->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_lastTag->position->setTypeY(QCPItemPosition::ptPlotCoords);
    m_lastTag->position->setAxes(p->xAxis, p->yAxis2);
    m_lastTag->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_lastTag->setPadding(QMargins(4, 2, 4, 2));
    m_lastLine->setVisible(false);
    m_lastTag->setVisible(false);
    themeChanged();
}

void PricePane::setShowMarkPrice(bool show)
{
    m_showMark = show;
    m_mark->setVisible(show);
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void PricePane::themeChanged()
{
    const ChartTheme &t = theme();
    m_candles->setBrushPositive(t.up);
    m_candles->setBrushNegative(t.down);
    m_candles->setPenPositive(QPen(t.up));
    m_candles->setPenNegative(QPen(t.down));
    QColor up = t.up, down = t.down;
    up.setAlpha(70);
    down.setAlpha(70);
    m_volumeUp->setBrush(up);
    m_volumeUp->setPen(Qt::NoPen);
    m_volumeDown->setBrush(down);
    m_volumeDown->setPen(Qt::NoPen);
    m_mark->setPen(QPen(t.accent2, 1.2));
    m_lastLine->setPen(QPen(t.mutedText, 1, Qt::DotLine));
    m_lastTag->setColor(Qt::white);
}

void PricePane::refill(const MarketWindow &w)
{
    const double width = Timeframes::ms(w.timeframe) / 1000.0;
    QVector<double> keys, open, high, low, close;
    QSharedPointer<QCPFinancialDataContainer> bars(new QCPFinancialDataContainer);
    QVector<QCPFinancialData> data;
    data.reserve(w.candles.size());
    QVector<QCPBarsData> upVol, downVol;
    for (const Candle &c : w.candles) {
        const double k = key(c.ts) + width / 2; // draw the bar over its whole interval
        data.push_back(QCPFinancialData(k, c.open, c.high, c.low, c.close));
        (c.close >= c.open ? upVol : downVol).push_back(QCPBarsData(k, c.volume));
    }
    bars->set(data, true);
    m_candles->setData(bars);
    m_candles->setWidth(width * 0.72);
    m_volumeUp->data()->set(upVol, true);
    m_volumeDown->data()->set(downVol, true);
    m_volumeUp->setWidth(width * 0.72);
    m_volumeDown->setWidth(width * 0.72);

    QVector<QCPGraphData> mark;
    mark.reserve(w.markCandles.size());
    for (const Candle &c : w.markCandles)
        mark.push_back(QCPGraphData(key(c.ts) + width / 2, c.close));
    m_mark->data()->set(mark, true);

    // The last-price tag only means something when the window reaches the newest bar.
    const bool haveLast = !w.candles.isEmpty() && w.candles.back().ts + Timeframes::ms(w.timeframe) >= w.extent.to;
    m_lastLine->setVisible(haveLast);
    m_lastTag->setVisible(haveLast);
    if (haveLast) {
        const Candle &last = w.candles.back();
        m_lastLine->point1->setCoords(0, last.close);
        m_lastLine->point2->setCoords(1, last.close);
        m_lastLine->point1->setAxes(plot()->xAxis, plot()->yAxis2);
        m_lastLine->point2->setAxes(plot()->xAxis, plot()->yAxis2);
        m_lastTag->position->setCoords(1.0, last.close);
        m_lastTag->setText(DisplayFormat::price(last.close));
        m_lastTag->setBrush(last.close >= last.open ? theme().up : theme().down);
    }
}

QCPRange PricePane::valueRange(const QCPRange &keys) const
{
    const qint64 step = Timeframes::ms(window().timeframe);
    ValueSpan span;
    for (const Candle &c : inKeys(window().candles, keys, step))
        span.add(c.low, c.high);
    return span.range();
}

void PricePane::fitExtraAxes(const QCPRange &keys)
{
    const qint64 step = Timeframes::ms(window().timeframe);
    double maxVol = 0;
    for (const Candle &c : inKeys(window().candles, keys, step))
        maxVol = std::max(maxVol, c.volume);
    plot()->yAxis->setRange(0, maxVol > 0 ? maxVol * 5.0 : 1.0);
}

QString PricePane::valueLabel(double value) const
{
    return DisplayFormat::price(value);
}

void PricePane::readout(std::optional<qint64> t, ReadoutBar::Segments &out) const
{
    const MarketWindow &w = window();
    const Candle *c = rowAt(w.candles, t, Timeframes::ms(w.timeframe));
    if (!c)
        return;
    const ChartTheme &th = theme();
    const QColor dir = c->close >= c->open ? th.up : th.down;
    field(out, QStringLiteral("O"), DisplayFormat::price(c->open), dir, 8);
    field(out, QStringLiteral("H"), DisplayFormat::price(c->high), dir, 8);
    field(out, QStringLiteral("L"), DisplayFormat::price(c->low), dir, 8);
    field(out, QStringLiteral("C"), DisplayFormat::price(c->close), dir, 8);
    text(out, DisplayFormat::percent(c->close / c->open - 1.0, 2, true), dir, 14);
    field(out, tr("Vol"), DisplayFormat::quantity(c->volume), th.text);
    if (w.takerBuy.isUnknown({c->ts, c->ts + Timeframes::ms(w.timeframe)}))
        field(out, tr("taker buy"), tr("unknown"), th.text, 14); // the source gives none (Bybit, OKX)
    else if (c->volume > 0)
        field(out, tr("taker buy"), DisplayFormat::percent(c->takerBuyVolume / c->volume, 0), th.text, 14);
    if (m_showMark)
        if (const Candle *m = rowAt(w.markCandles, t, Timeframes::ms(w.timeframe)))
            field(out, tr("Mark"), DisplayFormat::price(m->close), th.accent2);
}

bool PricePane::hasPaneData() const
{
    return !window().candles.isEmpty();
}

QString PricePane::emptyText() const
{
    return tr("No price data");
}

void PricePane::viewChanged()
{
    // The last-price tag covers the value axis at its price: no tick label under it (half
    // the tag, half a label and a little air).
    if (!m_lastTag->visible()) {
        valueTicker()->setKeepClear(std::nullopt);
        return;
    }
    const double half = QFontMetrics(m_lastTag->font()).height() / 2.0 + 2 + QFontMetrics(plot()->yAxis2->tickLabelFont()).height() / 2.0 + 2;
    valueTicker()->setKeepClear(m_lastTag->position->value(), half, plot()->yAxis2);
}
