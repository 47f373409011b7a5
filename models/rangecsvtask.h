#pragma once

#include "rangemime.h"

#include <QByteArray>
#include <QFuture>
#include <QString>

// The selected range as one CSV table (RangeCsvWriter), built on a pool thread with its
// own reader connection, so neither a drag nor File → Export CSV reads on the GUI thread.
namespace RangeCsvTask {

struct Result
{
    qint64 rows = 0;
    QByteArray csv; // when asked to keep the bytes
    QString file;   // the file written, when one was asked for and written
    QString error;  // empty on success; names the database or the file
    bool ok() const { return error.isEmpty(); }
};

// Writes the CSV to `path` (atomically, QSaveFile) when it is not empty, and keeps the bytes
// in the result when `keepBytes` is set.
QFuture<Result> start(const RangeMime::Payload &payload, const QString &path, bool keepBytes = false);
// The same, on the calling thread (the pool job; tests).
Result run(const RangeMime::Payload &payload, const QString &path, bool keepBytes);

} // namespace RangeCsvTask
