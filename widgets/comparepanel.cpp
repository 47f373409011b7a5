#include "comparepanel.h"

#include "analysis/rangefigures.h"
#include "comparemodel.h"
#include "displayformat.h"
#include "domain/timeformat.h"
#include "rangeanalysispanel.h"

#include <QDragEnterEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {
const QStringList rows = {QStringLiteral("Verdict"),       QStringLiteral("Confidence"),   QStringLiteral("From"),
                          QStringLiteral("To"),            QStringLiteral("Price change"), QStringLiteral("High / low"),
                          QStringLiteral("Realized vol"),  QStringLiteral("OI change"),    QStringLiteral("OI path"),
                          QStringLiteral("Taker flow"),    QStringLiteral("Funding"),      QStringLiteral("Funding mean"),
                          QStringLiteral("Funding paid"),  QStringLiteral("Long liq."),    QStringLiteral("Short liq."),
                          QStringLiteral("Liq. count"),    QStringLiteral("Largest print"), QStringLiteral("Zones consumed"),
                          QStringLiteral("Coverage")};
}

ComparePanel::ComparePanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new CompareModel(this))
    , m_table(new QTableWidget(int(rows.size()), 0, this))
    , m_hint(new QLabel(tr("Drag a range chip here (or press \"Add to Compare\") to set ranges side by side."), this))
{
    setAcceptDrops(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    layout->addWidget(m_table, 1);
    m_table->setVerticalHeaderLabels(rows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    // Ranges share the dock's width and long figures wrap, so two or three columns stand side
    // by side instead of the first one filling the dock and the rest behind a scroll bar.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setWordWrap(true);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const int column = m_table->horizontalHeader()->logicalIndexAt(pos);
        if (column < 0)
            return;
        QMenu menu;
        menu.addAction(tr("Remove this range"), this, [this, column] { m_model->remove(column); });
        menu.addAction(tr("Remove all"), m_model, &CompareModel::clear);
        menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
    });
    connect(m_model, &CompareModel::columnAdded, this, &ComparePanel::onColumnAdded);
    connect(m_model, &CompareModel::columnChanged, this, &ComparePanel::onColumnChanged);
    connect(m_model, &CompareModel::columnRemoved, this, &ComparePanel::onColumnRemoved);
}

int ComparePanel::columnCount() const
{
    return m_table->columnCount();
}

QString ComparePanel::cell(const QString &row, int column) const
{
    const auto *item = m_table->item(int(rows.indexOf(row)), column);
    return item ? item->text() : QString();
}

void ComparePanel::addRange(const RangeMime::Payload &payload)
{
    m_model->add(payload);
}

void ComparePanel::onColumnAdded(int column)
{
    const RangeMime::Payload &payload = m_model->column(column).payload;
    m_table->insertColumn(column);
    // "#2 · 14 Nov 09:00": which range, by where it starts; the whole label is the tooltip.
    const QString label = RangeMime::label(payload);
    auto *header = new QTableWidgetItem(QStringLiteral("#%1 · %2").arg(m_model->column(column).id).arg(label.section(QLatin1Char(' '), 1, 3)));
    header->setToolTip(RangeMime::label(payload));
    m_table->setHorizontalHeaderItem(column, header);
    m_table->setItem(0, column, new QTableWidgetItem(tr("analysing…")));
    m_hint->hide();
    emit columnsChanged(m_table->columnCount());
}

void ComparePanel::onColumnChanged(int column)
{
    const CompareModel::Column &c = m_model->column(column);
    if (c.result)
        fill(column, *c.result);
    else
        m_table->setItem(0, column, new QTableWidgetItem(c.error));
}

void ComparePanel::onColumnRemoved(int column)
{
    m_table->removeColumn(column);
    m_hint->setVisible(m_table->columnCount() == 0);
    emit columnsChanged(m_table->columnCount());
}

void ComparePanel::fill(int column, const RangeAnalysis::Result &r)
{
    using namespace DisplayFormat;
    const QStringList values = {
        RangeAnalysis::verdictTitle(r.verdict),
        r.verdict == RangeAnalysis::Verdict::InsufficientData ? tr("–") : RangeAnalysis::confidenceName(r.confidence),
        TimeFormat::minute(r.range.from),
        TimeFormat::minute(r.range.to),
        percent(r.priceChangePct / 100, 2, true),
        RangeFigures::highLow(r),
        r.realizedVolPct ? percent(*r.realizedVolPct / 100, 1) : RangeFigures::noData,
        RangeFigures::oiChangeShort(r),
        RangeFigures::oiPath(r),
        RangeFigures::takerFlow(r),
        RangeFigures::funding(r),
        RangeFigures::fundingMean(r),
        RangeFigures::fundingPaid(r),
        RangeFigures::longLiquidations(r),
        RangeFigures::shortLiquidations(r),
        RangeFigures::liquidationCount(r),
        RangeFigures::largestPrint(r),
        RangeFigures::consumption(r),
        RangeFigures::coverage(r),
    };
    for (int row = 0; row < values.size(); ++row) {
        auto *item = new QTableWidgetItem(values[row]);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, column, item);
    }
    m_table->item(0, column)->setForeground(Qt::white);
    m_table->item(0, column)->setBackground(RangeAnalysisPanel::verdictColor(r.verdict));
    m_table->item(0, column)->setToolTip(r.reasons.join(QLatin1Char('\n')));
}

void ComparePanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QString::fromLatin1(RangeMime::type)))
        event->acceptProposedAction();
}

void ComparePanel::dropEvent(QDropEvent *event)
{
    if (const auto payload = RangeMime::decode(event->mimeData())) {
        addRange(*payload);
        event->acceptProposedAction();
    }
}
