#include "fundingpane.h"

#include "displayformat.h"
#include "domain/spotmarket.h"
#include "fastbars.h"
#include "valueaxisticker.h"

#include <qcustomplot.h>

FundingPane::FundingPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : ChartPane(tr("Funding"), sync, model, parent)
{
    QCustomPlot *p = plot();
    valueTicker()->setKind(ValueAxisTicker::Kind::Percent);
    m_positive = new FastBars(p->xAxis, p->yAxis2);
    m_negative = new FastBars(p->xAxis, p->yAxis2);
    m_predicted = new QCPGraph(p->xAxis, p->yAxis2);
    m_predicted->setLineStyle(QCPGraph::lsStepLeft);
    themeChanged();
}

void FundingPane::themeChanged()
{
    const ChartTheme &t = theme();
    QColor up = t.up, down = t.down;
    up.setAlpha(200);
    down.setAlpha(200);
    m_positive->setBrush(up);
    m_positive->setPen(QPen(t.up));
    m_negative->setBrush(down);
    m_negative->setPen(QPen(t.down));
    m_predicted->setPen(QPen(t.accent2, 1.3));
    plot()->yAxis2->grid()->setZeroLinePen(QPen(t.mutedText, 1, Qt::SolidLine));
}

void FundingPane::refill(const MarketWindow &w)
{
    QVector<QCPBarsData> pos, neg;
    double width = 8 * 3600;
    for (const FundingSample &f : w.funding) {
        width = f.intervalHours * 3600.0;
        // The bar covers the interval this settlement paid for.
        const double k = key(f.ts) - width / 2;
        (f.rate >= 0 ? pos : neg).push_back(QCPBarsData(k, f.rate));
    }
    m_positive->data()->set(pos, true);
    m_negative->data()->set(neg, true);
    m_positive->setWidth(width * 0.8);
    m_negative->setWidth(width * 0.8);
    QVector<QCPGraphData> predicted;
    predicted.reserve(w.predictedFunding.size());
    for (const LineBar &b : w.predictedFunding)
        predicted.push_back(QCPGraphData(key(b.ts), b.close));
    m_predicted->data()->set(predicted, true);
}

QCPRange FundingPane::valueRange(const QCPRange &keys) const
{
    const MarketWindow &w = window();
    QCPRange r(0, 0); // zero always in view: the sign is the message
    for (const FundingSample &f : inKeys(w.funding, QCPRange(keys.lower, keys.upper + 8 * 3600), 8 * 3'600'000))
        r.expand(f.rate);
    for (const LineBar &b : inKeys(w.predictedFunding, keys, Timeframes::ms(w.timeframe))) {
        r.expand(b.high);
        r.expand(b.low);
    }
    if (r.size() < 0.0002)
        r.expand(r.lower + 0.0002); // keep 0.01 % readable on a flat history
    return r;
}

QString FundingPane::valueLabel(double value) const
{
    return DisplayFormat::rate(value);
}

void FundingPane::readout(std::optional<qint64> t, ReadoutBar::Segments &out) const
{
    const MarketWindow &w = window();
    const ChartTheme &th = theme();
    if (SpotMarket::isSpot(w.instrument)) // a spot market pays no funding
        return field(out, tr("Funding"), tr("not applicable for spot"), th.mutedText, 14);
    const qint64 at = t ? *t : qint64(visibleKeys().upper * 1000);
    if (const FundingSample *f = MarketWindow::lastAtOrBefore(w.funding, at)) {
        const QColor c = f->rate >= 0 ? th.up : th.down;
        field(out, tr("Settled"), DisplayFormat::rate(f->rate) + QStringLiteral("/%1h").arg(f->intervalHours), c);
        field(out, tr("APR"), DisplayFormat::percent(f->annualized(), 1), c);
        // Money moved at that settlement: rate x open interest (USD) at that moment.
        if (const LineBar *oi = MarketWindow::lastAtOrBefore(w.openInterestUsd, f->ts))
            field(out, f->rate >= 0 ? tr("longs paid") : tr("shorts paid"), DisplayFormat::usd(std::abs(f->rate) * oi->close), th.text, 14);
    }
    if (const LineBar *p = rowAt(w.predictedFunding, t, Timeframes::ms(w.timeframe)))
        field(out, tr("Predicted"), DisplayFormat::rate(p->close), th.accent2);
}

bool FundingPane::hasPaneData() const
{
    return !window().funding.isEmpty() || !window().predictedFunding.isEmpty();
}

QString FundingPane::emptyText() const
{
    return tr("No funding data");
}
