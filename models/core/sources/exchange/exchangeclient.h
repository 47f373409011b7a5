#pragma once

#include "exchangeadapter.h"
#include "instrumentfeed.h"
#include "restclient.h"
#include "sources/datasource.h"
#include "streamconnection.h"

#include <memory>
#include <vector>

class QTimer;

// A live exchange source, the same for every venue (the adapter holds the formats):
// 1. handshake: server time (clock offset) and exchange info (weight limit, symbol check);
// 2. backfill over REST, paginated, resuming where the store's history ends: 1m candles,
//    mark price candles, settled funding, open interest history (as far as the venue keeps
//    it), and the venue's public maintenance-margin tiers where it has them (a failure
//    there is noted in the meta table, not fatal); one batch per page;
// 3. live (when asked): the market stream, batched every batchMs into MarketBatches; gaps
//    the stream leaves (drops, reconnects, a minute that never closed) are fetched over REST,
//    open interest is polled. Status texts are meant for the GUI's status bar.
// A live client never gives up on the network: REST and the stream retry with capped
// backoff for as long as it runs, the status says when the next attempt is ("offline, retrying
// at 14:02:31 UTC (in 8 s): ..."), and once back the gap is fetched over REST. A stream
// that delivers only garbage is reconnected after malformedLimit bad messages in a row
// (only good messages keep its watchdog quiet). When the store had to drop batches during
// an outage (storeRecovered), the client fetches again from the first dropped row.
class ExchangeClient : public DataSource
{
    Q_OBJECT
public:
    struct Settings
    {
        QList<Instrument> instruments;
        double days = 30;     // history to backfill
        qint64 endMs = 0;     // backfill end (0 = now by the venue's clock)
        bool live = false;    // stream after the backfill
        qint64 oiPollMs = 60'000;
        qint64 batchMs = 250; // stream batching
        qint64 heartbeatMs = 0; // the venue's application-level ping interval when 0
        RestClient::Settings rest;
        StreamConnection::Settings stream;
    };

    ExchangeClient(std::unique_ptr<ExchangeAdapter> adapter, const Settings &settings, QObject *parent = nullptr);
    ~ExchangeClient() override;

    QString displayName() const override; // "Binance USDⓈ-M (live)"
    QList<Instrument> instruments() const override { return m_settings.instruments; }
    // nullopt for a spot market: it has no liquidations (liquidationFeed() says "not applicable").
    std::optional<CoverageQuality> liquidationCoverage() const override
    {
        return m_adapter->isSpot() ? std::nullopt : std::optional<CoverageQuality>(m_adapter->liquidationCoverage());
    }
    QHash<QString, QString> metadata() const override;

    const ExchangeAdapter &adapter() const { return *m_adapter; }
    const QString &status() const { return m_status; }
    int streamConnections() const; // sockets opened over all of the venue's stream endpoints
    int streamEndpoints() const { return int(m_streams.size()); }
    qint64 malformedMessages() const { return m_malformed; }
    // A CA certificate file (PEM) for the settings' caCertificates, or an error sentence.
    static QString loadCaFile(const QString &path, QList<QSslCertificate> *out);

public slots:
    void start() override;
    void stop() override;
    void storeRecovered(const QHash<Instrument, qint64> &since) override;

private:
    enum class Job { Handshake = 1, Backfill = 2, Gap = 3, Poll = 4 };

    InstrumentFeed *feed(const Instrument &instrument);
    void onPage(const RestRequest &request, const RestPage &page);
    void onHandshake(const RestRequest &request, const RestPage &page);
    void optionalFailed(const RestRequest &request, const QString &reason);
    void startBackfill();
    void request(RestSeries series, const Instrument &instrument, qint64 from, qint64 to, Job job);
    void enqueue(RestRequest request, Job job);
    void backfillStepDone();
    void startLive();
    void onStreamMessage(StreamConnection *stream, const QByteArray &message);
    bool streamsConnected() const; // every endpoint's socket is up
    void onStreamConnected(bool resumed);
    void pollOpenInterest();
    void flush();
    void coverListening(bool force);
    void stopListening();
    void fail(const QString &reason, const QString &status);
    void setStatus(const QString &status);
    void shutDown();

    std::unique_ptr<ExchangeAdapter> m_adapter;
    Settings m_settings;
    RestClient *m_rest = nullptr;
    std::vector<StreamConnection *> m_streams; // one per endpoint the adapter declares
    QTimer *m_batchTimer = nullptr;
    QTimer *m_pollTimer = nullptr;
    std::vector<std::unique_ptr<InstrumentFeed>> m_feeds;
    bool m_running = false;
    int m_backfillOpen = 0;  // pages in flight or queued
    int m_backfillDone = 0;
    int m_backfillTotal = 0; // estimate, for progress
    qint64 m_end = 0;
    qint64 m_malformed = 0;
    qint64 m_listeningFrom = -1; // the stream's liquidations are covered from here (server clock)
    qint64 m_lastMessageMs = -1;
    QString m_status;
};
