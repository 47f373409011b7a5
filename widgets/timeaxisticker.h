#pragma once

#include <qcustomplot.h>

// Date-time ticks in UTC labelled the way trading charts do: times of day inside a day, the
// day at midnight, the month at month starts, the year at year starts. Keys are seconds.
class TimeAxisTicker : public QCPAxisTickerDateTime
{
public:
    TimeAxisTicker();

protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override;
    double getTickStep(const QCPRange &range) override;

private:
    double m_step = 3600;
};
