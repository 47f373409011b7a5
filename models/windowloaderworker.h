#pragma once

#include "marketwindow.h"
#include "storage/storelocator.h"
#include "windowrequest.h"

#include <QObject>
#include <memory>

class StoreReader;
class WindowQueue;

// WindowLoader's half in the reader thread: takes the next request from the queue (current
// first, read-aheads after) and reads it.
class WindowLoaderWorker : public QObject
{
    Q_OBJECT
public:
    WindowLoaderWorker(StoreLocator store, WindowQueue *queue);
    ~WindowLoaderWorker() override;

    void loadNext();
    void loadInstruments();
    // One window, read with `reader` (the worker's; tests and benchmarks).
    static MarketWindow read(StoreReader &reader, const WindowRequest &request);
    MarketWindow readOnce(const WindowRequest &request); // read(), again on a new connection after a lost one

signals:
    void loaded(const MarketWindow &window);
    void prefetched(const MarketWindow &window);
    void instrumentsLoaded(const QList<Instrument> &instruments);
    void failed(const QString &message);

private:
    // The per-venue series of an aggregate's members (or of the venues of the instrument's
    // underlying), the tape's venues and what is missing.
    static void readVenues(StoreReader &reader, const WindowRequest &request, MarketWindow &window);
    StoreReader &reader();

    StoreLocator m_store;
    WindowQueue *m_queue;
    std::unique_ptr<StoreReader> m_reader;
};
