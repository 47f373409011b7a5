#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "ingestworker.h"

#include <QObject>
#include <QThread>

class DataSource;

// The background data thread: runs the active DataSource and the store's writer. Lives in
// (and is used from) the GUI or main thread; its signals arrive there queued, after the
// data they announce is committed.
class DataThread : public QObject
{
    Q_OBJECT
public:
    explicit DataThread(const StoreLocator &store, QObject *parent = nullptr);
    ~DataThread() override; // stops the source and joins the thread

    const StoreLocator &store() const { return m_store; }
    // Takes ownership of a parentless source created in this thread; the previous source is
    // stopped and deleted in the data thread. nullptr just stops.
    void setSource(DataSource *source);
    void stopSource() { setSource(nullptr); }
    // Blocks until the data thread has processed everything queued so far.
    void sync();
    // Rows the writer holds for a store that cannot take them now (blocks like sync()): a
    // stopping recorder waits for 0 before it exits.
    qint64 waitingRows();
    // How failed commits are retried (default: for as long as the source runs).
    void setCommitPolicy(const IngestWorker::CommitPolicy &policy);

signals:
    void appended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);
    void committed(const Instrument &instrument, qint64 rows);
    void progress(qint64 done, qint64 total, const QString &what);
    void sourceStatus(const QString &status);
    void sourceFailed(const QString &reason);
    void sourceFinished();
    void storeError(const QString &message);
    void batchRejected(const QString &message);
    void storeFailed(const QString &message); // gave up: the source stopped
    void storeRecovered();

private:
    StoreLocator m_store;
    QThread m_thread;
    IngestWorker *m_worker = nullptr;
};
