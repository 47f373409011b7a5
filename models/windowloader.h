#pragma once

#include "marketwindow.h"
#include "storage/storelocator.h"
#include "windowqueue.h"

#include <QObject>
#include <QThread>

class WindowLoaderWorker;

// Reads market windows off the GUI thread, on a reader connection of its own. There is one
// current request (a newer one replaces it before it starts) and a queue of read-aheads that
// run only while no current request waits; replies carry the request's generation so the
// caller can drop any that arrive late.
class WindowLoader : public QObject
{
    Q_OBJECT
public:
    using Request = WindowRequest;

    explicit WindowLoader(const StoreLocator &store, QObject *parent = nullptr);
    ~WindowLoader() override;

    void request(const Request &request);
    // Replaces the queued read-aheads (those not started yet) with these.
    void prefetch(const QList<Request> &requests);
    void requestInstruments();

signals:
    void loaded(const MarketWindow &window);
    void prefetched(const MarketWindow &window);
    void instrumentsLoaded(const QList<Instrument> &instruments);
    void failed(const QString &message);

private:
    void wake();

    WindowQueue m_queue; // outlives the reader thread (joined in the destructor)
    QThread m_thread;
    WindowLoaderWorker *m_worker;
};
