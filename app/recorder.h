#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "sources/exchange/backoff.h"
#include "sources/ingestworker.h"
#include "sources/sourceoptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <vector>

class DataThread;
class QTimer;

// The headless recorder behind `perpscope record`: one DataThread per source (an exchange
// client takes all its instruments, the simulator one each), the same sources and writer as
// the GUI and `backfill`. Each source backfills what the store lacks, then streams; the
// writer keeps what a store outage refuses and retries it for as long as it takes
// (IngestWorker), so a database restart loses nothing received. Every event is one plain line
// for the log (journald stamps and labels it): started, backfill progress and done, the
// sources' states (connected, reconnecting in N s), each committed batch with the newest row
// it stored per kind, store unavailable / written again, stopping, stopped.
//
// stop() stops the sources (a live client hands over what it held) and waits until the store
// has taken every row, at most stopTimeoutMs; finished() carries the exit code.
class Recorder : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        StoreLocator store;
        QList<SourceOptions> sources; // one per DataThread, instruments already assigned
        IngestWorker::CommitPolicy commits;
        qint64 openRetryCapMs = 30'000; // the store cannot be reached at start: retry up to this apart
        qint64 stopTimeoutMs = 60'000;  // a stop waits this long for a store that is down
    };
    using Log = std::function<void(const QString &line)>;

    Recorder(Options options, Log log, QObject *parent = nullptr);
    ~Recorder() override;

    // Opens (or creates) the store, retrying while it cannot be reached, then starts the sources.
    void start();

public slots:
    void stop(const QString &why);

signals:
    void finished(int exitCode);

private:
    struct Feed
    {
        QString name;
        DataThread *thread = nullptr;
        bool finished = false;
        bool backfillDone = false;
        int progressStep = -1; // the last tenth of the backfill logged
        QElapsedTimer sinceProgress;
        QString lastStatus;
        // What the batch being committed touched: kind -> newest row time (appended() comes
        // before committed() for the same batch).
        QHash<Instrument, std::map<DataKind, qint64>> touched;
    };

    void tryOpen();
    void startSources();
    void watch(Feed *feed);
    void onProgress(Feed *feed, qint64 done, qint64 total, const QString &what);
    void onCommitted(Feed *feed, const Instrument &instrument, qint64 rows);
    void onFinished(Feed *feed);
    void fail(const QString &line);
    void checkStopped();
    void say(const QString &line) const { m_log(line.simplified()); } // one line: a store message may hold newlines, tabs

    Options m_options;
    Log m_log;
    std::vector<std::unique_ptr<Feed>> m_feeds;
    Backoff m_openBackoff;
    QTimer *m_openTimer = nullptr;
    QTimer *m_stopTimer = nullptr;
    QElapsedTimer m_stopping;
    bool m_stopRequested = false;
    bool m_done = false;
    int m_exitCode = 0;
    qint64 m_batches = 0;
    qint64 m_rows = 0;
};
