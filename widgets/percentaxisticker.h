#pragma once

#include <qcustomplot.h>

// Tick labels for fractions shown as percent (funding rates: 0.0001 -> "0.010%").
class PercentAxisTicker : public QCPAxisTicker
{
protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override;
};
