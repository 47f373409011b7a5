#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "storage/storelocator.h"

#include <QObject>
#include <QThread>

#include "storefollowerworker.h"

// Follows what other processes write into the store the workspace reads (a recorder on a
// shared PostgreSQL store, a backfill into the same SQLite file), so panes move with new
// data without a source of their own. PostgreSQL: writers NOTIFY in their transactions and
// the follower LISTENs, so a commit is seen at once (and polled every safetyPollMs in case a
// notice was missed); SQLite: the file is polled every sqlitePollMs (PRAGMA data_version:
// one cheap statement when nothing changed). When something was written, the newest row of
// every series is compared with the last look and appended() names what grew (the newest
// 1m bar again, as a live writer rewrites it until it closes). Rows written behind the
// newest (a gap filled in the past) show at the next load of that window. A lost connection
// is retried with capped backoff, and the first look after it catches up on what was missed.
// All store access happens on a thread of its own.
class StoreFollower : public QObject
{
    Q_OBJECT
public:
    static constexpr int sqlitePollMs = StoreFollowerWorker::sqlitePollMs;
    static constexpr int safetyPollMs = StoreFollowerWorker::safetyPollMs;
    static constexpr int maxRetryMs = StoreFollowerWorker::maxRetryMs;

    explicit StoreFollower(const StoreLocator &store, QObject *parent = nullptr);
    ~StoreFollower() override;

    // The poll interval instead of the backend's default (before setActive; tests use a
    // long one to show that PostgreSQL's notices alone carry a commit).
    void setPollInterval(int ms);
    // Off while the workspace runs a source of its own (its rows arrive by appended already).
    void setActive(bool on);
    bool isActive() const { return m_active; }
    // "following", "connecting", or why not and when it tries again.
    const QString &state() const { return m_state; }

signals:
    void appended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);
    void instrumentsChanged();
    void stateChanged(const QString &state);

private:
    QThread m_thread;
    StoreFollowerWorker *m_worker;
    bool m_active = false;
    QString m_state;
};
