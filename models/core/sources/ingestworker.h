#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "sources/marketbatch.h"

#include <QObject>
#include <QPointer>
#include <memory>

class DataSource;
class StoreWriter;

// Lives in the data thread: owns the active source and the store's writer, commits each
// batch the source emits (directly, in the same thread, so a fast backfill is paced by the
// disk) and reports what changed.
class IngestWorker : public QObject
{
    Q_OBJECT
public:
    explicit IngestWorker(QString dbPath);
    ~IngestWorker() override;

public slots:
    void setSource(DataSource *source); // takes ownership; nullptr = stop
    void shutdown();

signals:
    void appended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);
    void committed(const Instrument &instrument, qint64 rows);
    void progress(qint64 done, qint64 total, const QString &what);
    void sourceStatus(const QString &status);
    void sourceFailed(const QString &reason);
    void sourceFinished();
    void storeError(const QString &message);

private:
    void commit(const MarketBatch &batch);
    void dropSource();
    StoreWriter *writer();

    QString m_dbPath;
    std::unique_ptr<StoreWriter> m_writer;
    DataSource *m_source = nullptr;
};
