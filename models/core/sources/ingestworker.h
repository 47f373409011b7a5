#pragma once

#include "storage/storelocator.h"
#include "domain/datakind.h"
#include "domain/instrument.h"
#include "exchange/backoff.h"
#include "sources/marketbatch.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <deque>
#include <memory>

class DataSource;
class QTimer;
class StoreWriter;

// Lives in the data thread: owns the active source and the store's writer, commits each
// batch the source emits (directly, in the same thread, so a fast backfill is paced by the
// disk) and reports what changed.
//
// A commit the store cannot take for now (disk full, file or folder read-only, locked, an
// I/O error) loses nothing: the batch is kept, later batches queue behind it in order, and
// the head is retried with capped backoff; the status says so ("store: the disk is full;
// 1,204 rows waiting, retrying in 8 s"). The backlog is bounded (maxBacklogRows); a batch
// it cannot keep is dropped and the source is told, once the store is back, from when to
// fetch again (DataSource::storeRecovered). A batch the store rejects (rows no source should
// produce) is reported and dropped the same way. A source's finished() is passed on only
// once its batches are committed.
class IngestWorker : public QObject
{
    Q_OBJECT
public:
    struct CommitPolicy
    {
        qint64 firstRetryMs = 500;
        qint64 maxRetryMs = 30'000;
        int maxAttempts = 0;                // 0: retry for as long as the source runs (the GUI); CLI: a few
        qint64 maxBacklogRows = 2'000'000; // about 150 MB of rows
    };

    explicit IngestWorker(StoreLocator store);
    ~IngestWorker() override;

    // Rows received but not yet committed (kept through a store outage); call in the data thread.
    qint64 waitingRows() const { return m_backlogRows; }

public slots:
    void setSource(DataSource *source); // takes ownership; nullptr = stop
    void setCommitPolicy(const IngestWorker::CommitPolicy &policy);
    void shutdown();

signals:
    void appended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);
    void committed(const Instrument &instrument, qint64 rows);
    void progress(qint64 done, qint64 total, const QString &what);
    void sourceStatus(const QString &status);
    void sourceFailed(const QString &reason);
    void sourceFinished();
    // A batch could not be stored (first failure of an outage, or a rejected batch).
    void storeError(const QString &message);
    // The store refused a batch's rows (also reported as storeError); the source fetches again.
    void batchRejected(const QString &message);
    // Gave up after maxAttempts: the source is stopped and its waiting batches are dropped.
    void storeFailed(const QString &message);
    // The backlog of an outage is committed.
    void storeRecovered();

private:
    struct Pending
    {
        MarketBatch batch;
        quint64 source = 0; // m_sourceSerial of the source that emitted it
    };
    void commit(const MarketBatch &batch);
    void tryCommit(const Pending &pending);
    void retry();
    void drop(const MarketBatch &batch);
    void onSourceFinished();
    void storeMeta(const QHash<QString, QString> &meta);
    void dropSource();
    StoreWriter *writer();

    StoreLocator m_store;
    std::unique_ptr<StoreWriter> m_writer;
    DataSource *m_source = nullptr;
    CommitPolicy m_policy;
    std::deque<Pending> m_backlog; // batches waiting for the store, in arrival order
    quint64 m_sourceSerial = 0;    // counts setSource(): a batch's commit is told only to its own source
    qint64 m_backlogRows = 0;
    QTimer *m_retryTimer = nullptr;
    Backoff m_backoff;
    QString m_outage;             // what the store said when this outage began; empty when none
    int m_attempts = 0;
    bool m_finishPending = false; // the source finished while batches were waiting
    QHash<Instrument, qint64> m_refetchSince; // earliest row time of the batches dropped, per instrument
};

Q_DECLARE_METATYPE(IngestWorker::CommitPolicy)
