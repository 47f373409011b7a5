#include "liquidationtape.h"

#include "domain/aggregates.h"
#include "domain/spotmarket.h"
#include "liquidationtapemodel.h"
#include "marketwindowmodel.h"
#include "timesync.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

LiquidationTape::LiquidationTape(MarketWindowModel *model, TimeSync *sync, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_sync(sync)
    , m_tape(new LiquidationTapeModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("tapeCoverageNote"));
    m_note->setContentsMargins(6, 3, 6, 3);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_view = new QTableView(this);
    m_view->setModel(m_tape);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(20);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    // Column widths from the first rows: measuring all 2,000 rows' texts took ~100 ms.
    m_view->horizontalHeader()->setResizeContentsPrecision(40);
    layout->addWidget(m_view, 1);
    m_settle.setSingleShot(true);
    m_settle.setInterval(80);
    connect(&m_settle, &QTimer::timeout, this, &LiquidationTape::refresh);
    connect(m_model, &MarketWindowModel::windowChanged, this, &LiquidationTape::scheduleRefresh);
    connect(m_sync, &TimeSync::visibleRangeChanged, this, &LiquidationTape::scheduleRefresh);
}

void LiquidationTape::scheduleRefresh()
{
    m_dirty = true;
    if (isVisible())
        m_settle.start();
}

void LiquidationTape::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        m_settle.start();
}

void LiquidationTape::setTheme(const ChartTheme &theme)
{
    m_tape->setSideColors(theme.longLiq, theme.shortLiq);
}

void LiquidationTape::refresh()
{
    m_dirty = false;
    const MarketWindow &w = m_model->window();
    // The window holds the newest prints before its padded right edge; show those up to the
    // view's right edge, so the tape reads along with the charts.
    const qint64 edge = m_sync->visibleRange().isValid() ? m_sync->visibleRange().to : std::numeric_limits<qint64>::max();
    QVector<Liquidation> rows;
    QStringList venues;
    rows.reserve(w.tape.size());
    for (qsizetype k = 0; k < w.tape.size(); ++k)
        if (w.tape[k].ts < edge) {
            rows.push_back(w.tape[k]);
            if (!w.tapeVenue.isEmpty())
                venues << w.venueOfTapeRow(k);
        }
    m_tape->setRows(rows, venues);
    m_view->setColumnHidden(LiquidationTapeModel::Venue, w.tapeVenue.isEmpty());
    if (SpotMarket::isSpot(w.instrument))
        m_note->setText(tr("A spot market has no liquidations: not applicable for spot."));
    else if (Aggregates::isAggregate(w.instrument))
        m_note->setText(w.liquidationFeed == QLatin1String("full")
                            ? tr("Every venue's prints; every member's feed is complete.")
                            : tr("Every venue's prints; as complete as the weakest member's feed (a sampled one makes the totals a lower bound)."));
    else if (w.liquidationFeed == QLatin1String("throttled") && !w.liquidationFeedNote.isEmpty())
        m_note->setText(tr("Sampled feed: %1. Totals are a lower bound.").arg(w.liquidationFeedNote));
    else if (w.liquidationFeed == QLatin1String("throttled"))
        m_note->setText(tr("Sampled exchange feed: not every liquidation; totals are a lower bound."));
    else if (w.instrument.isSynthetic())
        m_note->setText(tr("Synthetic random walk: made-up liquidation prints, not a market."));
    else if (w.instrument.isSimulated())
        m_note->setText(tr("Simulated market: full liquidation tape."));
    else if (w.liquidationFeed == QLatin1String("full"))
        m_note->setText(tr("Complete feed: every liquidation the venue published while the stream listened."));
    else
        m_note->setText(QString());
    m_note->setVisible(!m_note->text().isEmpty());
    if (!m_sized && !rows.isEmpty()) {
        m_view->resizeColumnsToContents();
        m_sized = true;
    }
}
