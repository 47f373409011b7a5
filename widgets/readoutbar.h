#pragma once

#include <QColor>
#include <QVector>
#include <QWidget>

// A line of coloured read-outs ("O 91,234  H 91,400 ...") painted directly. It replaces a
// rich-text QLabel, whose document layout on every cursor move cost more than moving the
// cursor itself.
class ReadoutBar : public QWidget
{
    Q_OBJECT
public:
    struct Segment
    {
        QString text;
        QColor color;
        bool bold = false;
        int gapAfter = 4; // pixels
    };
    using Segments = QVector<Segment>;

    explicit ReadoutBar(QWidget *parent = nullptr);

    void setSegments(Segments segments);
    const Segments &segments() const { return m_segments; }
    QString text() const; // plain text, for tests and accessibility
    void setBackground(const QColor &color);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Segments m_segments;
    QColor m_background;
};
