#include "timeaxisticker.h"


TimeAxisTicker::TimeAxisTicker()
{
    setDateTimeSpec(Qt::UTC);
    setTickCount(7);
}

double TimeAxisTicker::getTickStep(const QCPRange &range)
{
    // The base class picks calendar steps (and snaps months and years); remember the step so
    // labels can say as much as the step needs.
    m_step = QCPAxisTickerDateTime::getTickStep(range);
    return m_step;
}

QString TimeAxisTicker::getTickLabel(double tick, const QLocale &, QChar, int)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(tick * 1000.0)), Qt::UTC);
    const QTime tod = t.time();
    const QDate d = t.date();
    const bool midnight = tod.hour() == 0 && tod.minute() == 0;
    if (m_step < 86400) {
        if (!midnight)
            return t.toString(QStringLiteral("HH:mm"));
        return d.day() == 1 && d.month() == 1 ? d.toString(QStringLiteral("yyyy")) : d.toString(QStringLiteral("d MMM"));
    }
    if (m_step < 2629800)
        return d.day() == 1 ? (d.month() == 1 ? d.toString(QStringLiteral("yyyy")) : d.toString(QStringLiteral("MMM"))) : d.toString(QStringLiteral("d MMM"));
    if (m_step < 31557600)
        return d.month() == 1 ? d.toString(QStringLiteral("yyyy")) : d.toString(QStringLiteral("MMM yyyy"));
    return d.toString(QStringLiteral("yyyy"));
}
