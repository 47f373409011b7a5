#include "rangemime.h"

#include "domain/plausibility.h"
#include "domain/timeformat.h"

#include <QDataStream>
#include <QIODevice>
#include <QDateTime>
#include <QMimeData>
#include <QUrl>

namespace RangeMime {

QMimeData *encode(const Payload &p, const QByteArray &csv, const QString &csvFile)
{
    auto *mime = new QMimeData;
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << quint8(1) << p.store.text() << p.instrument.exchange << p.instrument.symbol << p.range.from << p.range.to;
    mime->setData(QString::fromLatin1(type), bytes);
    mime->setText(QStringLiteral("%1 %2 .. %3").arg(p.instrument.key(), TimeFormat::iso(p.range.from), TimeFormat::iso(p.range.to)));
    if (!csv.isEmpty())
        mime->setData(QStringLiteral("text/csv"), csv);
    if (!csvFile.isEmpty())
        mime->setUrls({QUrl::fromLocalFile(csvFile)});
    return mime;
}

std::optional<Payload> decode(const QMimeData *mime)
{
    if (!mime || !mime->hasFormat(QString::fromLatin1(type)))
        return std::nullopt;
    QDataStream in(mime->data(QString::fromLatin1(type)));
    quint8 version = 0;
    Payload p;
    QString store;
    in >> version >> store >> p.instrument.exchange >> p.instrument.symbol >> p.range.from >> p.range.to;
    // Times no market has (a fuzzer's -8.7e18 .. 6e18 overflowed span()) and a nameless
    // instrument are not a range of ours.
    if (version != 1 || in.status() != QDataStream::Ok || !p.range.isValid() || !Plausibility::time(p.range.from)
        || !Plausibility::time(p.range.to - 1) || !p.instrument.isValid())
        return std::nullopt;
    p.store = StoreLocator::parse(store);
    if (!p.store.isValid())
        return std::nullopt;
    return p;
}

QString label(const Payload &p)
{
    const auto fmt = [](qint64 t) { return QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("d MMM HH:mm")); };
    const qint64 minutes = p.range.span() / 60'000;
    const QString span = minutes >= 2 * 1440 ? QStringLiteral("%1 d").arg(minutes / 1440.0, 0, 'f', 1)
                         : minutes >= 120    ? QStringLiteral("%1 h").arg(minutes / 60.0, 0, 'f', 1)
                                             : QStringLiteral("%1 min").arg(minutes);
    return QStringLiteral("%1  %2 → %3  (%4)").arg(p.instrument.symbol, fmt(p.range.from), fmt(p.range.to), span);
}

QString suggestedFileName(const Payload &p)
{
    const auto fmt = [](qint64 t) { return QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmm")); };
    return QStringLiteral("perpscope-%1-%2-%3.csv").arg(p.instrument.symbol, fmt(p.range.from), fmt(p.range.to));
}

} // namespace RangeMime
