#pragma once

#include "domain/spotmarket.h"
#include "marketbatch.h"
#include "storage/storelocator.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <algorithm>

// Anything that produces market data: the simulator, an exchange client, a file importer.
// A source lives in the data thread (DataThread moves it there) and is driven by that
// thread's event loop: start() and stop() must return quickly, and long work proceeds in
// slices (timers, sockets) so a stop request is honoured promptly.
class DataSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString displayName() const = 0; // "Simulator · treadmill · seed 42"
    virtual QList<Instrument> instruments() const = 0;
    virtual bool isSimulated() const { return false; }
    // How completely this source sees liquidations where it covers them: Complete when every
    // liquidation is delivered (the simulator, Bybit), Sampled for a venue's snapshot feed
    // (Binance, OKX: at most one print per second), nullopt when it sees none (file imports).
    // The source records it in the coverage spans of its batches.
    virtual std::optional<CoverageQuality> liquidationCoverage() const { return std::nullopt; }
    // The same as the label the store keeps per instrument: "full", "throttled" or "unknown";
    // "not applicable for spot" when every instrument is a spot market (no liquidations exist).
    QString liquidationFeed() const
    {
        const auto q = liquidationCoverage();
        const QList<Instrument> all = instruments();
        if (!q && !all.isEmpty() && std::all_of(all.cbegin(), all.cend(), [](const Instrument &i) { return SpotMarket::isSpot(i); }))
            return SpotMarket::notApplicable();
        return !q ? QStringLiteral("unknown") : *q == CoverageQuality::Complete ? QStringLiteral("full") : QStringLiteral("throttled");
    }
    // Facts to keep in the store's meta table (e.g. the simulator's seed and preset).
    virtual QHash<QString, QString> metadata() const { return {}; }
    // True for a source whose history is one self-contained run (the simulator): what the
    // store holds for its instruments is replaced rather than merged with.
    virtual bool replacesStoredHistory() const { return false; }
    // What start() will do with the store, in a sentence (a command prints it first); empty
    // when there is nothing to say beyond the display name.
    virtual QString plan() const { return {}; }

    // The store the writer commits to; sources may read it (with a reader of their own,
    // MarketStore::attach(store()).reader()) to resume where the stored history ends.
    void setStore(const StoreLocator &store) { m_store = store; }
    const StoreLocator &store() const { return m_store; }

public slots:
    virtual void start() = 0;
    // stop() may emit one last batch (rows received since the previous one: a live client
    // flushes them); after it returns the source emits no more batches, and finished() once idle.
    virtual void stop() = 0;
    // The store took no batch for a while (disk full, read-only) and the ingest worker had to
    // drop some it could not keep; it has caught up again. since: per instrument, the newest
    // row time committed before the first dropped batch. A source that can fetch history
    // again (an exchange over REST) fetches from there, so what it had already counted as
    // delivered comes back. Batches the worker kept are committed in order, not dropped.
    virtual void storeRecovered(const QHash<Instrument, qint64> &since) { Q_UNUSED(since); }
    // A batch this source emitted with a tag is committed: changedRows of its rows were new or
    // held other values (0 for a replay). Called in the data thread, right inside batchReady
    // normally, later when the batch waited out a store outage; never for a dropped batch.
    virtual void batchStored(quint64 tag, qint64 changedRows)
    {
        Q_UNUSED(tag);
        Q_UNUSED(changedRows);
    }

signals:
    void batchReady(const MarketBatch &batch);
    void progress(qint64 done, qint64 total, const QString &what);
    void statusChanged(const QString &status);
    // Facts learned after start() (an exchange's contract sizes come with its instrument
    // list): kept in the meta table like metadata().
    void metadataChanged(const QHash<QString, QString> &meta);
    void failed(const QString &reason); // fatal: the source has stopped
    void finished();                    // done (backfill complete) or stopped

private:
    StoreLocator m_store;
};
