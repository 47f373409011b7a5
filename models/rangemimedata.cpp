#include "rangemimedata.h"

#include <QDataStream>
#include <QDir>
#include <QStandardPaths>
#include <QUrl>

namespace {
const QString csvType = QStringLiteral("text/csv");
const QString urlsType = QStringLiteral("text/uri-list");
} // namespace

RangeMimeData::RangeMimeData(const RangeMime::Payload &payload, const QString &folder)
    : m_payload(payload)
{
    // Our own type and the text come from the plain encoder, which never reads the store.
    std::unique_ptr<QMimeData> plain(RangeMime::encode(payload));
    for (const QString &format : plain->formats())
        setData(format, plain->data(format));
    const QString dir = folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::TempLocation) + QStringLiteral("/perpscope-drag") : folder;
    QDir().mkpath(dir);
    m_file = dir + QLatin1Char('/') + RangeMime::suggestedFileName(payload);
    m_csv = RangeCsvTask::start(payload, m_file, true);
}

RangeMimeData::~RangeMimeData()
{
    // The pool job holds copies of what it needs; waiting here keeps it from outliving the
    // file name it writes (a new drag may reuse it).
    m_csv.waitForFinished();
}

QStringList RangeMimeData::formats() const
{
    QStringList f = QMimeData::formats();
    f << csvType << urlsType;
    return f;
}

bool RangeMimeData::hasFormat(const QString &mimeType) const
{
    return mimeType == csvType || mimeType == urlsType || QMimeData::hasFormat(mimeType);
}

const RangeCsvTask::Result &RangeMimeData::csv() const
{
    if (!m_result)
        m_result = m_csv.result(); // waits only if the pool job is still writing
    return *m_result;
}

QVariant RangeMimeData::retrieveData(const QString &mimeType, QMetaType type) const
{
    if (mimeType == csvType)
        return csv().ok() ? QVariant(csv().csv) : QVariant();
    if (mimeType == urlsType) {
        if (!csv().ok() || csv().file.isEmpty())
            return {};
        const QList<QUrl> urls{QUrl::fromLocalFile(csv().file)};
        if (type.id() == QMetaType::QVariantList || type.id() == QMetaType::QUrl)
            return QVariantList{QVariant(urls.front())};
        return QVariant(urls.front().toString().toUtf8() + "\r\n");
    }
    return QMimeData::retrieveData(mimeType, type);
}
