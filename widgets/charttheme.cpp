#include "charttheme.h"

#include <qcustomplot.h>

ChartTheme ChartTheme::dark()
{
    ChartTheme t;
    t.kind = Kind::Dark;
    t.background = QColor(0x13, 0x17, 0x22);
    t.panel = QColor(0x1b, 0x20, 0x2c);
    t.text = QColor(0xd1, 0xd4, 0xdc);
    t.mutedText = QColor(0x78, 0x7b, 0x86);
    t.grid = QColor(0x2a, 0x2e, 0x39);
    t.axis = QColor(0x43, 0x46, 0x51);
    t.up = QColor(0x26, 0xa6, 0x9a);
    t.down = QColor(0xef, 0x53, 0x50);
    t.longLiq = QColor(0xff, 0xb3, 0x00);
    t.shortLiq = QColor(0x29, 0xb6, 0xf6);
    t.accent = QColor(0x7e, 0x57, 0xc2).lighter(130);
    t.accent2 = QColor(0xf0, 0x9a, 0x37);
    t.cursor = QColor(0x9c, 0xa3, 0xb0);
    t.selection = QColor(0x42, 0x85, 0xf4, 48);
    return t;
}

ChartTheme ChartTheme::light()
{
    ChartTheme t;
    t.kind = Kind::Light;
    t.background = QColor(0xff, 0xff, 0xff);
    t.panel = QColor(0xf3, 0xf4, 0xf6);
    t.text = QColor(0x13, 0x17, 0x22);
    t.mutedText = QColor(0x6a, 0x6d, 0x78);
    t.grid = QColor(0xe8, 0xea, 0xee);
    t.axis = QColor(0xb2, 0xb5, 0xbe);
    t.up = QColor(0x08, 0x99, 0x81);
    t.down = QColor(0xf2, 0x36, 0x45);
    t.longLiq = QColor(0xe6, 0x8a, 0x00);
    t.shortLiq = QColor(0x02, 0x88, 0xd1);
    t.accent = QColor(0x5e, 0x35, 0xb1);
    t.accent2 = QColor(0xe6, 0x6a, 0x00);
    t.cursor = QColor(0x50, 0x55, 0x60);
    t.selection = QColor(0x29, 0x62, 0xff, 40);
    return t;
}

ChartTheme ChartTheme::byName(const QString &name)
{
    return name == QLatin1String("light") ? light() : dark();
}

QPalette ChartTheme::palette() const
{
    QPalette p;
    const QColor base = kind == Kind::Dark ? background.lighter(115) : QColor(Qt::white);
    const QColor button = kind == Kind::Dark ? panel.lighter(120) : QColor(0xe9, 0xeb, 0xef);
    const QColor highlight = kind == Kind::Dark ? QColor(0x29, 0x62, 0xff) : QColor(0x29, 0x62, 0xff);
    p.setColor(QPalette::Window, panel);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, kind == Kind::Dark ? base.lighter(110) : panel);
    p.setColor(QPalette::ToolTipBase, panel.lighter(130));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, mutedText);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, highlight.lighter(130));
    p.setColor(QPalette::Mid, grid);
    p.setColor(QPalette::Dark, kind == Kind::Dark ? background : axis);
    p.setColor(QPalette::Light, kind == Kind::Dark ? axis : Qt::white);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, mutedText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, grid);
    return p;
}

void ChartTheme::apply(QCustomPlot *plot) const
{
    plot->setBackground(background);
    const auto axes = plot->axisRect() ? plot->axisRect()->axes() : QList<QCPAxis *>();
    for (QCPAxis *a : axes) {
        a->setBasePen(QPen(axis));
        a->setTickPen(QPen(axis));
        a->setSubTickPen(QPen(axis));
        a->setTickLabelColor(mutedText);
        a->setLabelColor(text);
        a->grid()->setPen(QPen(grid, 1, Qt::SolidLine));
        a->grid()->setSubGridVisible(false);
        a->grid()->setZeroLinePen(QPen(axis, 1, Qt::DashLine));
    }
    if (plot->legend) {
        plot->legend->setBrush(QColor(background.red(), background.green(), background.blue(), 200));
        plot->legend->setBorderPen(QPen(grid));
        plot->legend->setTextColor(text);
    }
}
