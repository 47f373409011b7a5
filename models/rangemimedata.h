#pragma once

#include "rangecsvtask.h"
#include "rangemime.h"

#include <QFuture>
#include <QMimeData>

// What a dragged range carries. The range itself (our MIME type and text/plain) is there at
// once; its CSV (text/csv) and a CSV file (text/uri-list, for file managers) are written on a
// pool thread as soon as the drag starts, and handed out lazily through retrieveData: only a
// target that asks for the CSV (another application, at the drop) waits for it, so starting
// a drag or moving it over Perpscope never reads the store on the GUI thread.
class RangeMimeData : public QMimeData
{
    Q_OBJECT
public:
    // The file goes into `folder` (default: a perpscope-drag folder in the temp location).
    explicit RangeMimeData(const RangeMime::Payload &payload, const QString &folder = QString());
    ~RangeMimeData() override;

    const RangeMime::Payload &payload() const { return m_payload; }
    bool isCsvReady() const { return m_csv.isFinished(); }
    QString csvFile() const { return m_file; }

    QStringList formats() const override;
    bool hasFormat(const QString &mimeType) const override;

protected:
    QVariant retrieveData(const QString &mimeType, QMetaType type) const override;

private:
    const RangeCsvTask::Result &csv() const;

    RangeMime::Payload m_payload;
    QString m_file;
    QFuture<RangeCsvTask::Result> m_csv;
    mutable std::optional<RangeCsvTask::Result> m_result;
};
