#include "rowscreen.h"

#include "domain/plausibility.h"
#include "domain/timeformat.h"

namespace {
constexpr qint64 hourMs = 3'600'000;
constexpr qint64 dayMs = 24 * hourMs;
} // namespace

RowScreen::RowScreen(const ImportFormat &format, qint64 nowMs)
{
    const bool dump = format.kind == ImportKind::Klines || format.kind == ImportKind::MarkPriceKlines
                   || format.kind == ImportKind::AggTrades || format.kind == ImportKind::FundingRate || format.kind == ImportKind::Metrics;
    if (!dump) {
        m_allowed = {Plausibility::minTimeMs, Plausibility::maxTimeMs};
        m_what = QStringLiteral("a time from 2009 to 2100");
        return;
    }
    const TimeRange period = format.name.period;
    if (!period.isValid()) { // a renamed dump: at least not in the future
        m_allowed = {Plausibility::minTimeMs, nowMs + dayMs};
        m_what = QStringLiteral("a time from 2009 to now");
    } else {
        // Slack where the format has it: settlement stamps a few ms off the hour, metrics
        // days phase-shifted by up to a day ("00:35 to 00:30 the next day").
        const qint64 before = format.kind == ImportKind::FundingRate ? hourMs : 0;
        const qint64 after = format.kind == ImportKind::FundingRate ? hourMs : format.kind == ImportKind::Metrics ? dayMs : 0;
        m_allowed = {period.from - before, std::min(period.to + after, nowMs + dayMs)};
        m_what = QStringLiteral("a time inside the file's period (%1 to %2)")
                     .arg(TimeFormat::iso(period.from).left(10), TimeFormat::iso(period.to).left(10));
    }
    if (format.name.isValid())
        m_symbol = format.name.symbol.toLatin1();
    else if (format.instrument.isValid())
        m_symbol = format.instrument.symbol.toLatin1();
}

bool RowScreen::inPeriod(qint64 ts, int column, RowProblem *problem) const
{
    if (ts >= m_allowed.from && ts < m_allowed.to)
        return true;
    problem->column = column;
    problem->expected = m_what;
    return false;
}

bool RowScreen::ownSymbol(QByteArrayView symbol, int column, RowProblem *problem) const
{
    if (m_symbol.isEmpty() || symbol.trimmed().compare(m_symbol, Qt::CaseInsensitive) == 0)
        return true;
    problem->column = column;
    problem->expected = QStringLiteral("%1, the file's own symbol").arg(QString::fromLatin1(m_symbol));
    return false;
}
