#include "liquidationspane.h"

#include "bubbleplottable.h"
#include "displayformat.h"

#include <qcustomplot.h>

#include <cmath>

LiquidationsPane::LiquidationsPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : ChartPane(tr("Liquidations"), sync, model, parent)
{
    QCustomPlot *p = plot();
    m_price = new QCPGraph(p->xAxis, p->yAxis2);
    m_bubbles = new BubblePlottable(p->xAxis, p->yAxis2);
    themeChanged();
}

void LiquidationsPane::themeChanged()
{
    const ChartTheme &t = theme();
    m_price->setPen(QPen(t.mutedText, 1.2));
    m_bubbles->setOutline(t.background);
    refill(window());
}

void LiquidationsPane::refill(const MarketWindow &w)
{
    const double step = Timeframes::ms(w.timeframe) / 1000.0;
    QVector<QCPGraphData> path;
    path.reserve(w.candles.size());
    for (const Candle &c : w.candles)
        path.push_back(QCPGraphData(key(c.ts) + step / 2, c.close));
    m_price->data()->set(path, true);

    // Area proportional to notional, relative to the biggest bar-side in the window.
    double maxUsd = 0;
    for (const LiquidationBar &b : w.liquidations)
        maxUsd = std::max({maxUsd, b.longUsd, b.shortUsd});
    const double maxRadius = 26, minRadius = 2.5;
    QColor longColor = theme().longLiq, shortColor = theme().shortLiq;
    longColor.setAlpha(190);
    shortColor.setAlpha(190);
    QVector<BubblePlottable::Bubble> bubbles;
    for (const LiquidationBar &b : w.liquidations) {
        const double k = key(b.ts) + step / 2;
        if (b.longUsd > 0)
            bubbles.push_back({k, b.longPrice(), std::max(minRadius, maxRadius * std::sqrt(b.longUsd / maxUsd)), longColor});
        if (b.shortUsd > 0)
            bubbles.push_back({k, b.shortPrice(), std::max(minRadius, maxRadius * std::sqrt(b.shortUsd / maxUsd)), shortColor});
    }
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
    const qint64 step = Timeframes::ms(w.timeframe);
    if (t) {
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
        field(out, tr("In view: longs"), DisplayFormat::usd(longUsd), th.longLiq);
        field(out, tr("shorts"), DisplayFormat::usd(shortUsd), th.shortLiq, 14);
    }
    if (w.liquidationFeed == QLatin1String("throttled"))
        text(out, tr("· exchange feed: at most 1 print/s, a lower bound"), th.mutedText);
    else if (w.liquidationFeed == QLatin1String("full"))
        text(out, w.instrument.isSimulated() ? tr("· full tape (simulated)") : tr("· full tape"), th.mutedText);
}
