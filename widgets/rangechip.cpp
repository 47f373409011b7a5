#include "rangechip.h"

#include "rangemimedata.h"

#include <QApplication>
#include <QDrag>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>

RangeChip::RangeChip(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("rangeChip"));
    setFrameShape(QFrame::StyledPanel);
    setCursor(Qt::OpenHandCursor);
    setToolTip(tr("Drag this range onto Compare, onto a chart, or out of Perpscope (as CSV)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    auto *grip = new QLabel(QStringLiteral("⠿"), this);
    layout->addWidget(grip);
    // The label wraps rather than widening the dock it sits in.
    m_label->setWordWrap(true);
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_label, 1);
    setPayload(std::nullopt);
}

void RangeChip::setPayload(const std::optional<RangeMime::Payload> &payload)
{
    m_payload = payload;
    m_label->setText(payload ? RangeMime::label(*payload) : tr("Shift-drag on any chart to select a range"));
    setEnabled(payload.has_value());
}

QMimeData *RangeChip::mimeData() const
{
    // The range at once; its CSV is written in the background and waited for only by a
    // target that asks for it (RangeMimeData).
    return m_payload ? new RangeMimeData(*m_payload) : nullptr;
}

void RangeChip::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        m_pressPos = event->position().toPoint();
    QFrame::mousePressEvent(event);
}

void RangeChip::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || !m_payload
        || (event->position().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance())
        return;
    auto *drag = new QDrag(this);
    drag->setMimeData(mimeData());
    drag->setPixmap(grab());
    drag->setHotSpot(m_pressPos);
    emit dragStarted();
    drag->exec(Qt::CopyAction);
}
