#include "readoutbar.h"

#include <QPainter>

ReadoutBar::ReadoutBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ReadoutBar::setSegments(Segments segments)
{
    bool same = segments.size() == m_segments.size();
    for (qsizetype i = 0; same && i < segments.size(); ++i)
        same = segments[i].text == m_segments[i].text && segments[i].color == m_segments[i].color;
    if (same)
        return;
    m_segments = std::move(segments);
    update();
}

QString ReadoutBar::text() const
{
    QString s;
    for (const Segment &seg : m_segments)
        s += seg.text + QLatin1Char(' ');
    return s.trimmed();
}

void ReadoutBar::setBackground(const QColor &color)
{
    m_background = color;
    update();
}

QSize ReadoutBar::sizeHint() const
{
    return {400, fontMetrics().height() + 8};
}

QSize ReadoutBar::minimumSizeHint() const
{
    return {0, fontMetrics().height() + 8};
}

void ReadoutBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), m_background.isValid() ? m_background : palette().window().color());
    QFont regular = font();
    QFont bold = font();
    bold.setBold(true);
    const int baseline = (height() + fontMetrics().ascent() - fontMetrics().descent()) / 2;
    int x = 8;
    for (const Segment &seg : m_segments) {
        p.setFont(seg.bold ? bold : regular);
        p.setPen(seg.color.isValid() ? seg.color : palette().windowText().color());
        p.drawText(x, baseline, seg.text);
        x += QFontMetrics(p.font()).horizontalAdvance(seg.text) + seg.gapAfter;
        if (x > width())
            break;
    }
}
