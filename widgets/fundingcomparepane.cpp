#include "fundingcomparepane.h"

#include "displayformat.h"
#include "valueaxisticker.h"

#include <qcustomplot.h>

namespace {

constexpr qint64 hourMs = 3'600'000;

double per8h(const FundingSample &f)
{
    return f.rate * 8.0 / std::max(1, f.intervalHours);
}

// The settled rate as a step over the interval it paid for: a point at the interval's start.
QVector<QCPGraphData> settledSteps(const QVector<FundingSample> &settlements)
{
    QVector<QCPGraphData> out;
    out.reserve(settlements.size() + 1);
    for (const FundingSample &f : settlements)
        out.push_back(QCPGraphData((f.ts - f.intervalHours * hourMs) / 1000.0, per8h(f)));
    if (!settlements.isEmpty())
        out.push_back(QCPGraphData(settlements.back().ts / 1000.0, per8h(settlements.back()))); // the last step's end
    return out;
}

} // namespace

FundingComparePane::FundingComparePane(TimeSync *sync, MarketWindowModel *model, QWidget *parent)
    : ChartPane(tr("Funding by venue"), sync, model, parent)
{
    QCustomPlot *p = plot();
    valueTicker()->setKind(ValueAxisTicker::Kind::Percent);
    m_spreadLow = new QCPGraph(p->xAxis, p->yAxis2);
    m_spreadHigh = new QCPGraph(p->xAxis, p->yAxis2);
    m_spreadHigh->setChannelFillGraph(m_spreadLow);
    for (QCPGraph *g : {m_spreadLow, m_spreadHigh}) {
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(Qt::NoPen);
    }
    m_mean = new QCPGraph(p->xAxis, p->yAxis2);
    m_mean->setLineStyle(QCPGraph::lsStepLeft);
    themeChanged();
}

QColor FundingComparePane::venueColor(const QString &exchange, int index)
{
    if (exchange == QLatin1String("BINANCE"))
        return QColor(0xf0, 0xb9, 0x0b);
    if (exchange == QLatin1String("BYBIT"))
        return QColor(0x42, 0xa5, 0xf5);
    if (exchange == QLatin1String("OKX"))
        return QColor(0xab, 0x47, 0xbc);
    static const QColor others[] = {QColor(0x66, 0xbb, 0x6a), QColor(0xff, 0x70, 0x43), QColor(0x8d, 0x6e, 0x63)};
    return others[index % 3];
}

void FundingComparePane::themeChanged()
{
    const ChartTheme &t = theme();
    m_mean->setPen(QPen(t.text, 2.2));
    QColor band = t.mutedText;
    band.setAlpha(60);
    m_spreadHigh->setBrush(band);
    plot()->yAxis2->grid()->setZeroLinePen(QPen(t.mutedText, 1, Qt::SolidLine));
}

void FundingComparePane::clearVenueGraphs()
{
    for (const QList<QCPGraph *> *list : {&m_lines, &m_marks, &m_running})
        for (QCPGraph *g : *list)
            plot()->removeGraph(g);
    m_lines.clear();
    m_marks.clear();
    m_running.clear();
}

std::optional<double> FundingComparePane::rateAt(const VenueSeries &venue, qint64 t)
{
    // The settlement that paid for the interval holding t: the first one after t, if t lies in it.
    const auto it = std::upper_bound(venue.funding.cbegin(), venue.funding.cend(), t, [](qint64 v, const FundingSample &f) { return v < f.ts; });
    if (it == venue.funding.cend() || t < it->ts - it->intervalHours * hourMs)
        return std::nullopt;
    return per8h(*it);
}

std::optional<double> FundingComparePane::spreadAt(const MarketWindow &w, qint64 t)
{
    std::optional<double> lo, hi;
    int n = 0;
    for (const VenueSeries &v : w.venues)
        if (const auto r = rateAt(v, t)) {
            lo = std::min(lo.value_or(*r), *r);
            hi = std::max(hi.value_or(*r), *r);
            ++n;
        }
    return n >= 2 ? std::optional(*hi - *lo) : std::nullopt;
}

void FundingComparePane::refill(const MarketWindow &w)
{
    clearVenueGraphs();
    m_values = {};
    QCustomPlot *p = plot();
    for (int k = 0; k < int(w.venues.size()); ++k) {
        const VenueSeries &v = w.venues[k];
        const QColor c = venueColor(v.instrument.exchange, k);
        auto *line = new QCPGraph(p->xAxis, p->yAxis2);
        line->setName(v.instrument.key());
        line->setLineStyle(QCPGraph::lsStepLeft);
        line->setPen(QPen(c, 1.4));
        const QVector<QCPGraphData> steps = settledSteps(v.funding);
        line->data()->set(steps, true);
        auto *marks = new QCPGraph(p->xAxis, p->yAxis2);
        marks->setLineStyle(QCPGraph::lsNone);
        marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 5));
        QVector<QCPGraphData> dots;
        for (const FundingSample &f : v.funding) {
            dots.push_back(QCPGraphData(key(f.ts), per8h(f)));
            m_values.add(per8h(f), per8h(f));
        }
        marks->data()->set(dots, true);
        // The running interval: the venue's predicted rate after its last settlement.
        auto *running = new QCPGraph(p->xAxis, p->yAxis2);
        running->setPen(QPen(c, 1.1, Qt::DashLine));
        const qint64 after = v.funding.isEmpty() ? std::numeric_limits<qint64>::min() : v.funding.back().ts;
        QVector<QCPGraphData> predicted;
        const double f8 = 8.0 / std::max(1, v.intervalHours);
        for (const LineBar &b : v.predictedFunding)
            if (b.ts >= after) {
                predicted.push_back(QCPGraphData(key(b.ts), b.close * f8));
                m_values.add(b.low * f8, b.high * f8);
            }
        running->data()->set(predicted, true);
        m_lines << line;
        m_marks << marks;
        m_running << running;
    }
    // The OI-weighted mean (per 8 h, over the union of the venues' settlement times), drawn
    // over the interval each value held; the spread band over the same steps.
    QVector<QCPGraphData> mean, high, low;
    for (qsizetype i = 0; i < w.venueMeanFunding.size(); ++i) {
        const FundingSample &f = w.venueMeanFunding[i];
        const qint64 start = i > 0 ? w.venueMeanFunding[i - 1].ts : f.ts - 8 * hourMs;
        mean.push_back(QCPGraphData(key(start), f.rate));
        m_values.add(f.rate, f.rate);
    }
    if (!w.venueMeanFunding.isEmpty())
        mean.push_back(QCPGraphData(key(w.venueMeanFunding.back().ts), w.venueMeanFunding.back().rate));
    QVector<qint64> edges; // every venue's interval starts: where the spread can change
    for (const VenueSeries &v : w.venues)
        for (const FundingSample &f : v.funding)
            edges << f.ts - f.intervalHours * hourMs << f.ts;
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    for (const qint64 e : std::as_const(edges)) {
        std::optional<double> lo, hi;
        int n = 0;
        for (const VenueSeries &v : w.venues)
            if (const auto r = rateAt(v, e)) {
                lo = std::min(lo.value_or(*r), *r);
                hi = std::max(hi.value_or(*r), *r);
                ++n;
            }
        // No band where fewer than two venues have a rate (nothing to spread).
        const double nan = std::numeric_limits<double>::quiet_NaN();
        high.push_back(QCPGraphData(key(e), n >= 2 ? *hi : nan));
        low.push_back(QCPGraphData(key(e), n >= 2 ? *lo : nan));
    }
    m_mean->data()->set(mean, true);
    m_spreadHigh->data()->set(high, true);
    m_spreadLow->data()->set(low, true);
    m_mean->setVisible(w.venues.size() >= 2);
}

QCPRange FundingComparePane::valueRange(const QCPRange &keys) const
{
    Q_UNUSED(keys);
    QCPRange r(0, 0); // zero always in view: the sign is the message
    if (m_values.lo <= m_values.hi) {
        r.expand(m_values.lo);
        r.expand(m_values.hi);
    }
    if (r.size() < 0.0002)
        r.expand(r.lower + 0.0002);
    return r;
}

QString FundingComparePane::valueLabel(double value) const
{
    return DisplayFormat::rate(value);
}

void FundingComparePane::readout(std::optional<qint64> t, ReadoutBar::Segments &out) const
{
    const MarketWindow &w = window();
    const ChartTheme &th = theme();
    const qint64 at = t ? *t : qint64(visibleKeys().upper * 1000) - 1;
    for (int k = 0; k < int(w.venues.size()); ++k) {
        const VenueSeries &v = w.venues[k];
        std::optional<double> r = rateAt(v, at);
        if (!r && !t && !v.funding.isEmpty())
            r = per8h(v.funding.back()); // no cursor: the newest settlement
        const QColor c = venueColor(v.instrument.exchange, k);
        field(out, v.instrument.exchange, r ? DisplayFormat::rate(*r) + QStringLiteral(" (%1 APR)").arg(DisplayFormat::percent(*r * 3 * 365, 1)) : tr("no data"),
              c, 12);
    }
    if (w.venues.size() >= 2) {
        // The mean held over the step that ends at its sample (as drawn).
        const auto m = std::lower_bound(w.venueMeanFunding.cbegin(), w.venueMeanFunding.cend(), at,
                                        [](const FundingSample &f, qint64 v) { return f.ts < v; });
        if (m != w.venueMeanFunding.cend())
            field(out, tr("OI-weighted"), DisplayFormat::rate(m->rate), th.text, 12);
        else if (!t && !w.venueMeanFunding.isEmpty())
            field(out, tr("OI-weighted"), DisplayFormat::rate(w.venueMeanFunding.back().rate), th.text, 12);
        if (const auto s = spreadAt(w, at))
            field(out, tr("spread"), DisplayFormat::rate(*s), th.mutedText, 12);
    }
    text(out, tr("per 8 h"), th.mutedText, 12);
}

bool FundingComparePane::hasPaneData() const
{
    for (const VenueSeries &v : window().venues)
        if (!v.funding.isEmpty() || !v.predictedFunding.isEmpty())
            return true;
    return false;
}

QString FundingComparePane::emptyText() const
{
    return window().venues.isEmpty() ? tr("No other venue of this underlying in the store") : tr("No funding data");
}
