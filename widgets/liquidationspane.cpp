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

QString LiquidationsPane::readout(std::optional<qint64> t) const
{
    const MarketWindow &w = window();
    const ChartTheme &th = theme();
    QString feed;
    if (w.liquidationFeed == QLatin1String("throttled"))
        feed = tr("exchange feed: at most 1 print/s, a lower bound");
    else if (w.liquidationFeed == QLatin1String("full"))
        feed = w.instrument.isSimulated() ? tr("full tape (simulated)") : tr("full tape");
    QString s;
    const qint64 step = Timeframes::ms(w.timeframe);
    const LiquidationBar *b = t ? MarketWindow::at(w.liquidations, *t, step) : nullptr;
    if (t) {
        const double longUsd = b ? b->longUsd : 0, shortUsd = b ? b->shortUsd : 0;
        s += colored(tr("Longs"), th.mutedText) + QStringLiteral(" ") + colored(DisplayFormat::usd(longUsd), th.longLiq)
            + colored(QStringLiteral(" (%1)").arg(b ? b->longCount : 0), th.mutedText) + QStringLiteral("&nbsp; ")
            + colored(tr("Shorts"), th.mutedText) + QStringLiteral(" ") + colored(DisplayFormat::usd(shortUsd), th.shortLiq)
            + colored(QStringLiteral(" (%1)").arg(b ? b->shortCount : 0), th.mutedText);
        if (b && b->largestUsd > 0)
            s += QStringLiteral("&nbsp; ") + colored(tr("largest"), th.mutedText) + QStringLiteral(" ")
                + colored(DisplayFormat::usd(b->largestUsd), th.text);
    } else {
        double longUsd = 0, shortUsd = 0;
        for (const LiquidationBar &v : inKeys(w.liquidations, visibleKeys(), step)) {
            longUsd += v.longUsd;
            shortUsd += v.shortUsd;
        }
        s += colored(tr("In view: longs"), th.mutedText) + QStringLiteral(" ") + colored(DisplayFormat::usd(longUsd), th.longLiq)
            + QStringLiteral("&nbsp; ") + colored(tr("shorts"), th.mutedText) + QStringLiteral(" ")
            + colored(DisplayFormat::usd(shortUsd), th.shortLiq);
    }
    if (!feed.isEmpty())
        s += QStringLiteral("&nbsp;&nbsp;") + colored(QStringLiteral("· ") + feed, th.mutedText);
    return s;
}
