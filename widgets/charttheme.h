#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QCustomPlot;

// Colours of one look (dark or light) for the application palette and the charts.
// QCustomPlot ignores QPalette, so every chart applies its theme explicitly.
struct ChartTheme
{
    enum class Kind { Dark, Light };

    Kind kind = Kind::Dark;
    QColor background;
    QColor panel;       // docks, tables
    QColor text;
    QColor mutedText;
    QColor grid;
    QColor axis;
    QColor up;          // rising candle, short liquidation (a forced buy)
    QColor down;        // falling candle, long liquidation (a forced sell)
    QColor longLiq;
    QColor shortLiq;
    QColor accent;      // lines (OI, funding)
    QColor accent2;     // secondary line (predicted funding, mark)
    QColor cursor;
    QColor selection;   // range fill (with alpha)

    static ChartTheme dark();
    static ChartTheme light();
    static ChartTheme byName(const QString &name); // "dark" | "light"
    QString name() const { return kind == Kind::Dark ? QStringLiteral("dark") : QStringLiteral("light"); }

    QPalette palette() const;
    void apply(QCustomPlot *plot) const;
};
