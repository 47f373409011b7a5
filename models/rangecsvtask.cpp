#include "rangecsvtask.h"

#include "storage/marketstore.h"
#include "storage/rangecsvwriter.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "workpool.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QSaveFile>
#include <QtConcurrent>

namespace RangeCsvTask {

Result run(const RangeMime::Payload &payload, const QString &path, bool keepBytes)
{
    Result r;
    try {
        const auto reader = MarketStore::attach(payload.store, MarketStore::Access::ReadOnly).reader();
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        r.rows = RangeCsvWriter(*reader).write(payload.instrument, payload.range, buffer);
        if (!path.isEmpty()) {
            QSaveFile out(path);
            if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
                throw StoreError(QCoreApplication::translate("RangeCsvTask", "%1: cannot write (%2)").arg(path, out.errorString()));
            r.file = path;
        }
        if (keepBytes)
            r.csv = std::move(bytes);
    } catch (const StoreError &e) {
        r.error = e.message();
    }
    return r;
}

QFuture<Result> start(const RangeMime::Payload &payload, const QString &path, bool keepBytes)
{
    return WorkPool::run([payload, path, keepBytes] { return run(payload, path, keepBytes); });
}

} // namespace RangeCsvTask
