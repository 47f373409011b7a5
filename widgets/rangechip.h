#pragma once

#include "rangemime.h"

#include <QFrame>

class QLabel;

// The selected range as an object you can pick up: drag it onto Compare (a new column),
// onto a chart (zoom there), or out of the application (its CSV, as text and as a file).
class RangeChip : public QFrame
{
    Q_OBJECT
public:
    explicit RangeChip(QWidget *parent = nullptr);

    void setPayload(const std::optional<RangeMime::Payload> &payload);
    const std::optional<RangeMime::Payload> &payload() const { return m_payload; }
    // The MIME data a drag carries (also used by copy); caller owns it. Built without
    // reading the store: the CSV in it is written on a pool thread (RangeMimeData).
    QMimeData *mimeData() const;

signals:
    void dragStarted();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    std::optional<RangeMime::Payload> m_payload;
    QLabel *m_label;
    QPoint m_pressPos;
};
