#include "rangeanalysispanel.h"

#include "analysis/rangefigures.h"
#include "marketwindowmodel.h"
#include "rangeanalysismodel.h"
#include "rangechip.h"
#include "timesync.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

namespace {
const QStringList figureNames = {QStringLiteral("Price"),         QStringLiteral("High / low"),         QStringLiteral("Realized vol"),
                                 QStringLiteral("Open interest"), QStringLiteral("OI change"),          QStringLiteral("OI path"),
                                 QStringLiteral("Taker flow"),    QStringLiteral("Funding"),            QStringLiteral("Funding mean / peak"),
                                 QStringLiteral("Funding paid"),  QStringLiteral("Long liquidations"),  QStringLiteral("Short liquidations"),
                                 QStringLiteral("Largest print"), QStringLiteral("Zones consumed"),     QStringLiteral("Coverage")};
}

RangeAnalysisPanel::RangeAnalysisPanel(const StoreLocator &store, TimeSync *sync, MarketWindowModel *market, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_sync(sync)
    , m_market(market)
    , m_analysis(new RangeAnalysisModel(store, this))
    , m_chip(new RangeChip(this))
    , m_verdict(new QLabel(this))
    , m_reasons(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_chip);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setAlignment(Qt::AlignCenter);
    m_verdict->setMinimumHeight(30);
    // Text never widens the dock: every label wraps to the width the dock has, and its
    // horizontal size hint is ignored (a long verdict, reason or figure once pushed the dock
    // wider with every new analysis).
    m_verdict->setWordWrap(true);
    m_verdict->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_verdict);
    m_reasons->setWordWrap(true);
    m_reasons->setTextFormat(Qt::RichText);
    m_reasons->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_reasons);
    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignLeft);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    for (const QString &name : figureNames) {
        auto *value = new QLabel(QStringLiteral("–"), this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_figures.insert(name, value);
        form->addRow(tr(qPrintable(name)), value);
    }
    layout->addLayout(form);
    // An aggregate's members, one block each: what the sums above are made of.
    m_venues = new QLabel(this);
    m_venues->setObjectName(QStringLiteral("venueBreakdown"));
    m_venues->setWordWrap(true);
    m_venues->setTextFormat(Qt::RichText);
    m_venues->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_venues->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_venues->hide();
    layout->addWidget(m_venues);
    auto *buttons = new QHBoxLayout;
    m_compare = new QPushButton(tr("Add to Compare"), this);
    m_csv = new QPushButton(tr("Export CSV…"), this);
    buttons->addWidget(m_compare);
    buttons->addWidget(m_csv);
    layout->addLayout(buttons);
    layout->addStretch(1);
    connect(m_compare, &QPushButton::clicked, this, &RangeAnalysisPanel::compareRequested);
    connect(m_csv, &QPushButton::clicked, this, &RangeAnalysisPanel::exportCsvRequested);

    connect(m_sync, &TimeSync::selectionChanged, this, &RangeAnalysisPanel::onSelection);
    // A selection made before the instrument was known (or on another one) is analysed now.
    connect(m_market, &MarketWindowModel::windowChanged, this, [this] {
        const auto &p = m_chip->payload();
        if (m_sync->selection().isValid() && (!p || p->instrument != m_market->instrument()))
            onSelection(m_sync->selection());
    });
    connect(m_analysis, &RangeAnalysisModel::finished, this, &RangeAnalysisPanel::show);
    connect(m_analysis, &RangeAnalysisModel::failed, this, [this](const QString &message) {
        m_verdict->setText(tr("Cannot analyse this range"));
        m_reasons->setText(message.toHtmlEscaped());
    });
    onSelection({});
}

void RangeAnalysisPanel::setTheme(const ChartTheme &theme)
{
    m_theme = theme;
    if (m_analysis->result())
        show(*m_analysis->result());
}

QColor RangeAnalysisPanel::verdictColor(RangeAnalysis::Verdict v)
{
    switch (v) {
    case RangeAnalysis::Verdict::Flush: return QColor(0xff, 0x8f, 0x00);
    case RangeAnalysis::Verdict::PartialFlush: return QColor(0xc0, 0xa0, 0x00);
    case RangeAnalysis::Verdict::StillLoaded: return QColor(0xe5, 0x39, 0x35);
    case RangeAnalysis::Verdict::SpotLed: return QColor(0x1e, 0x88, 0xe5);
    case RangeAnalysis::Verdict::Quiet: return QColor(0x75, 0x75, 0x75);
    case RangeAnalysis::Verdict::Squeeze: return QColor(0x00, 0x97, 0xa7);
    case RangeAnalysis::Verdict::Deleveraging: return QColor(0x8e, 0x24, 0xaa);
    case RangeAnalysis::Verdict::InsufficientData: return QColor(0x54, 0x5b, 0x66);
    }
    return Qt::gray;
}

void RangeAnalysisPanel::onSelection(TimeRange range)
{
    const bool on = range.isValid() && m_market->instrument().isValid();
    m_chip->setPayload(on ? std::optional(RangeMime::Payload{m_store, m_market->instrument(), range}) : std::nullopt);
    m_compare->setEnabled(on);
    m_csv->setEnabled(on);
    if (!on) {
        m_analysis->clear();
        m_verdict->setText(QString());
        m_verdict->setStyleSheet(QString());
        m_verdict->hide();
        m_reasons->setText(tr("Select a time range: Shift-drag across any chart (or use the range tool). "
                              "Esc clears it; drag its edges to adjust."));
        fitReasons();
        for (QLabel *l : std::as_const(m_figures))
            l->setText(QStringLiteral("–"));
        m_venues->clear();
        m_venues->hide();
        return;
    }
    m_verdict->setText(tr("Analysing…"));
    m_verdict->show();
    m_analysis->analyze(m_market->instrument(), range);
}

void RangeAnalysisPanel::show(const RangeAnalysis::Result &r)
{
    const QColor c = verdictColor(r.verdict);
    m_verdict->setText(RangeFigures::verdict(r));
    m_verdict->setStyleSheet(QStringLiteral("QLabel{background:%1;color:white;font-weight:bold;border-radius:4px;padding:4px;}").arg(c.name()));
    QString reasons;
    for (const QString &reason : r.reasons)
        reasons += QStringLiteral("• ") + reason.toHtmlEscaped() + QStringLiteral("<br>");
    m_reasons->setText(reasons);
    fitReasons();
    const auto set = [this](const char *name, const QString &text) { m_figures[QLatin1String(name)]->setText(text); };
    set("Price", RangeFigures::price(r));
    set("High / low", RangeFigures::highLow(r));
    set("Realized vol", RangeFigures::realizedVol(r));
    set("Open interest", RangeFigures::openInterest(r));
    set("OI change", RangeFigures::oiChange(r));
    set("OI path", RangeFigures::oiPath(r));
    set("Taker flow", RangeFigures::takerFlow(r));
    set("Funding", RangeFigures::funding(r));
    set("Funding mean / peak", RangeFigures::fundingMeanPeak(r));
    set("Funding paid", RangeFigures::fundingPaid(r));
    set("Long liquidations", RangeFigures::longLiquidations(r));
    set("Short liquidations", RangeFigures::shortLiquidations(r));
    set("Largest print", RangeFigures::largestPrint(r));
    // The consumed notional per side (and the zones among it), beside the realized prints:
    // a path that crossed no hot zone still consumed predicted liquidations.
    set("Zones consumed", RangeFigures::consumption(r));
    set("Coverage", RangeFigures::coverage(r));
    QString venues;
    for (const RangeAnalysis::Venue &v : r.venues)
        venues += QStringLiteral("<b>%1</b>%2<br>%3<br>")
                      .arg(v.instrument.key().toHtmlEscaped(), v.missing.isEmpty() ? QString() : QStringLiteral(" <span style='color:%1'>(partial)</span>").arg(m_theme.down.name()),
                           RangeFigures::venue(v).toHtmlEscaped());
    m_venues->setText(venues.isEmpty() ? QString() : tr("<b>By venue</b> (price from %1)<br>").arg(r.priceReference.key().toHtmlEscaped()) + venues);
    m_venues->setVisible(!venues.isEmpty());
    // Figures not fully known are greyed: "no data", "sampled" and "covered" say why.
    for (QLabel *l : std::as_const(m_figures)) {
        const QString t = l->text();
        const bool partial = t.startsWith(RangeFigures::noData) || t.startsWith(QLatin1String("stale")) || t.contains(QLatin1String("sampled"))
            || t.contains(QLatin1String("covered"));
        l->setStyleSheet(partial && l != m_figures[QStringLiteral("Coverage")] ? QStringLiteral("QLabel{color:%1;}").arg(m_theme.mutedText.name()) : QString());
    }
}

void RangeAnalysisPanel::fitReasons()
{
    // Word-wrapped labels in docks do not ask for the height they need on their own.
    m_reasons->setMinimumHeight(m_reasons->heightForWidth(std::max(120, m_reasons->width())));
}

void RangeAnalysisPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitReasons();
}

QString RangeAnalysisPanel::figure(const QString &name) const
{
    return m_figures.contains(name) ? m_figures[name]->text() : QString();
}

QString RangeAnalysisPanel::verdictText() const
{
    return m_verdict->text();
}

QString RangeAnalysisPanel::venueText() const
{
    QTextDocument d;
    d.setHtml(m_venues->text());
    return d.toPlainText();
}
