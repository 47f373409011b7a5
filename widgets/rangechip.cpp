#include "rangechip.h"

#include "storage/rangecsvwriter.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QDrag>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QSaveFile>
#include <QStandardPaths>

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
    if (!m_payload)
        return nullptr;
    QByteArray csv;
    QString file;
    try {
        StoreReader reader(m_payload->dbPath);
        QBuffer buffer(&csv);
        buffer.open(QIODevice::WriteOnly);
        RangeCsvWriter(reader).write(m_payload->instrument, m_payload->range, buffer);
        // File managers take files, not bytes: put the CSV in a file the drop can copy.
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation) + QStringLiteral("/perpscope-drag");
        QDir().mkpath(dir);
        file = dir + QLatin1Char('/') + RangeMime::suggestedFileName(*m_payload);
        QSaveFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(csv) != csv.size() || !out.commit())
            file.clear();
    } catch (const StoreError &) {
        csv.clear(); // the drag still carries the range itself
    }
    return RangeMime::encode(*m_payload, csv, file);
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
