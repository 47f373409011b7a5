#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "storage/storelocator.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <memory>

class QSocketNotifier;
class StoreReader;

// StoreFollower's half on its thread: the reader connection, the LISTEN socket, the poll
// and retry timers, and the newest row of every series as last seen.
class StoreFollowerWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr int sqlitePollMs = 500;
    static constexpr int safetyPollMs = 5000;
    static constexpr int maxRetryMs = 30000;

    explicit StoreFollowerWorker(const StoreLocator &store);
    ~StoreFollowerWorker() override;

    void setPollInterval(int ms) { m_pollMs = ms; }

public slots:
    void start();
    void stop();

signals:
    void appended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);
    void instrumentsChanged();
    void stateChanged(const QString &state);

private:
    void connectStore();
    void look(bool force);
    void lost(const QString &why);
    void disconnectStore();

    StoreLocator m_store;
    std::unique_ptr<StoreReader> m_reader;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_poll;  // children: they move to the worker's thread with it
    QTimer *m_retry;
    int m_retryMs = 1000;
    int m_pollMs = 0; // 0: the backend's default
    bool m_running = false;
    bool m_haveBaseline = false;
    qint64 m_mark = -1;
    QHash<QString, qint64> m_newest; // "instrument key/kind" -> end of the newest row seen
    int m_instrumentCount = 0;
};
