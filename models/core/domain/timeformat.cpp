#include "timeformat.h"

#include <QDateTime>
#include <QRegularExpression>

namespace TimeFormat {

std::optional<qint64> parse(const QString &text)
{
    const QString t = text.trimmed();
    static const QRegularExpression digits(QStringLiteral("^-?\\d+$"));
    if (digits.match(t).hasMatch()) {
        bool ok = false;
        const qint64 v = t.toLongLong(&ok);
        return ok ? std::optional<qint64>(v) : std::nullopt;
    }
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid()) {
        const QDate d = QDate::fromString(t, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        dt = QDateTime(d, QTime(0, 0), Qt::UTC);
    }
    // No zone given means UTC, never the machine's local time.
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    return dt.toMSecsSinceEpoch();
}

QString iso(qint64 ms)
{
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    return dt.toString(ms % 1000 ? QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ") : QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QString display(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString minute(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace TimeFormat
