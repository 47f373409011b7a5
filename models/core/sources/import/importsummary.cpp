#include "importsummary.h"

#include "domain/timeformat.h"

#include <QFileInfo>

namespace {

QString count(qint64 n)
{
    return QString::number(n); // plain digits: scripts parse the summary
}

QString kindWord(DataKind kind, const QString &tf = QStringLiteral("1m"))
{
    switch (kind) {
    case DataKind::Candles: return QStringLiteral("%1 candles").arg(tf);
    case DataKind::MarkCandles: return QStringLiteral("%1 mark price bars").arg(tf);
    case DataKind::Funding: return QStringLiteral("funding rates");
    case DataKind::PredictedFunding: return QStringLiteral("predicted funding rates");
    case DataKind::OpenInterest: return QStringLiteral("open interest samples");
    case DataKind::Liquidations: return QStringLiteral("liquidations");
    case DataKind::GroundTruth: return QStringLiteral("ground truth cells");
    case DataKind::TakerBuy: return QStringLiteral("%1 taker-buy volumes").arg(tf);
    }
    return {};
}

QString spanText(TimeRange r)
{
    return r.isValid() ? QStringLiteral("%1 to %2").arg(TimeFormat::iso(r.from), TimeFormat::iso(r.to)) : QString();
}

} // namespace

QString ImportSummary::File::name() const
{
    return QFileInfo(path).fileName();
}

QString ImportSummary::File::line() const
{
    if (rows == 0 && !ok())
        return QStringLiteral("%1: not imported: %2").arg(name(), error);
    QString s = QStringLiteral("%1: %2, %3 %4 for %5").arg(name(), format, count(rows), kindWord(storedAs, Timeframes::name(timeframe)), instrument.key());
    if (span.isValid())
        s += QStringLiteral(", ") + spanText(span);
    if (rows > 0 && changed == 0)
        s += QStringLiteral(", all already stored");
    else if (rows > 0 && changed > 0 && changed < rows)
        s += QStringLiteral(", %1 new or changed, %2 already stored").arg(count(changed), count(rows - changed));
    if (rejected)
        s += QStringLiteral(", %1 rows rejected").arg(count(rejected));
    if (duplicates)
        s += QStringLiteral(", %1 identical duplicates skipped").arg(count(duplicates));
    if (empty)
        s += QStringLiteral(", %1 empty rows skipped").arg(count(empty));
    if (!ok())
        s += QStringLiteral(" (stopped early: %1)").arg(error);
    return s;
}

void ImportSummary::add(const File &file)
{
    m_files.push_back(file);
}

qint64 ImportSummary::rows(DataKind kind) const
{
    qint64 n = 0;
    for (const File &f : m_files)
        if (f.storedAs == kind)
            n += f.rows;
    return n;
}

qint64 ImportSummary::totalRows() const
{
    qint64 n = 0;
    for (const File &f : m_files)
        n += f.rows;
    return n;
}

qint64 ImportSummary::changedRows(DataKind kind) const
{
    qint64 n = 0;
    for (const File &f : m_files)
        if (f.storedAs == kind && f.rows > 0) {
            if (f.changed < 0)
                return -1;
            n += f.changed;
        }
    return n;
}

qint64 ImportSummary::totalChanged() const
{
    qint64 n = 0;
    for (const File &f : m_files)
        if (f.rows > 0) {
            if (f.changed < 0)
                return -1;
            n += f.changed;
        }
    return n;
}

qint64 ImportSummary::rejected() const
{
    qint64 n = 0;
    for (const File &f : m_files)
        n += f.rejected;
    return n;
}

int ImportSummary::failedFiles() const
{
    int n = 0;
    for (const File &f : m_files)
        n += f.ok() ? 0 : 1;
    return n;
}

TimeRange ImportSummary::span() const
{
    TimeRange r;
    for (const File &f : m_files)
        r = r.united(f.span);
    return r;
}

QStringList ImportSummary::messages() const
{
    QStringList out = m_notes;
    for (const File &f : m_files) {
        if (!f.ok())
            out << QStringLiteral("%1: %2").arg(f.name(), f.error);
        out << f.messages;
    }
    return out;
}

QString ImportSummary::headline() const
{
    QStringList parts;
    for (DataKind k : {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding, DataKind::OpenInterest,
                       DataKind::Liquidations})
        if (const qint64 n = rows(k)) {
            QStringList tiers; // "1m" unless coarser klines were imported too
            for (const File &f : m_files)
                if (f.storedAs == k && f.rows > 0 && !tiers.contains(Timeframes::name(f.timeframe)))
                    tiers << Timeframes::name(f.timeframe);
            QString part = QStringLiteral("%1 %2").arg(count(n), kindWord(k, tiers.isEmpty() ? QStringLiteral("1m") : tiers.join(QLatin1Char('+'))));
            // Said only where the store knows it and it differs from "all new".
            const qint64 changed = rows(k) > 0 ? changedRows(k) : -1;
            if (changed >= 0 && changed < n && totalChanged() != 0)
                part += changed == 0 ? QStringLiteral(" (all already stored)") : QStringLiteral(" (%1 new or changed)").arg(count(changed));
            parts << part;
        }
    const int n = int(m_files.size());
    const bool nothingNew = !parts.isEmpty() && totalChanged() == 0;
    QString s = parts.isEmpty() ? QStringLiteral("Imported nothing")
        : nothingNew            ? QStringLiteral("Nothing new: ") + parts.join(QStringLiteral(", "))
                                : QStringLiteral("Imported ") + parts.join(QStringLiteral(", "));
    s += QStringLiteral(" from %1 file%2").arg(n).arg(n == 1 ? "" : "s");
    if (nothingNew)
        s += QStringLiteral(" already stored");
    if (span().isValid())
        s += QStringLiteral(" (%1)").arg(spanText(span()));
    s += QStringLiteral("; %1 rows rejected").arg(count(rejected()));
    if (const int failed = failedFiles())
        s += QStringLiteral("; %1 file%2 with errors").arg(failed).arg(failed == 1 ? "" : "s");
    return s;
}

QString ImportSummary::text() const
{
    QStringList lines{headline()};
    for (const File &f : m_files)
        lines << QStringLiteral("  ") + f.line();
    const QStringList msgs = messages();
    if (!msgs.isEmpty()) {
        lines << QStringLiteral("Messages:");
        for (const QString &m : msgs)
            lines << QStringLiteral("  ") + m;
    }
    return lines.join(QLatin1Char('\n'));
}
