#include "exchangeclient.h"

#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

namespace {
constexpr qint64 dayMs = 86'400'000;
}

ExchangeClient::ExchangeClient(std::unique_ptr<ExchangeAdapter> adapter, const Settings &settings, QObject *parent)
    : DataSource(parent)
    , m_adapter(std::move(adapter))
    , m_settings(settings)
{
    for (const Instrument &i : m_settings.instruments) {
        m_feeds.push_back(std::make_unique<InstrumentFeed>(i));
        m_feeds.back()->setCoverage(m_adapter->coverageOrigin(), m_adapter->liquidationCoverage(), m_adapter->candlesCarryTakerBuy());
        m_feeds.back()->setMarket(!m_adapter->isSpot(), m_adapter->barsFromTrades());
    }
}

ExchangeClient::~ExchangeClient() = default;

QString ExchangeClient::displayName() const
{
    return m_adapter->venueName() + (m_settings.live ? QStringLiteral(" (live)") : QStringLiteral(" (backfill)"));
}

QHash<QString, QString> ExchangeClient::metadata() const
{
    QHash<QString, QString> meta;
    for (const Instrument &i : m_settings.instruments) {
        meta.insert(QStringLiteral("source.") + i.key(), m_adapter->venueName() + QStringLiteral(" REST") +
                                                              (m_settings.live ? QStringLiteral(" + WebSocket (live)") : QString()));
        meta.insert(QStringLiteral("liquidation_feed_note.") + i.key(), m_adapter->liquidationFeedNote());
        meta.insert(m_adapter->notes(i));
    }
    return meta;
}

InstrumentFeed *ExchangeClient::feed(const Instrument &instrument)
{
    for (auto &f : m_feeds)
        if (f->instrument() == instrument)
            return f.get();
    return nullptr;
}

void ExchangeClient::setStatus(const QString &status)
{
    if (status == m_status)
        return;
    m_status = status;
    emit statusChanged(status);
}

void ExchangeClient::start()
{
    m_running = true;
    m_rest = new RestClient(*m_adapter, m_settings.rest, this);
    connect(m_rest, &RestClient::page, this, &ExchangeClient::onPage);
    connect(m_rest, &RestClient::failed, this, [this](const RestRequest &r, const QString &reason) {
        if (r.optional)
            return optionalFailed(r, reason);
        fail(reason, QStringLiteral("offline: %1").arg(reason));
    });
    connect(m_rest, &RestClient::banned, this, [this](qint64 until, const QString &message) {
        const QString when = until > 0 ? TimeFormat::display(until) : QStringLiteral("an unknown time");
        fail(QStringLiteral("%1 banned this IP address until %2 (HTTP 418 after too many requests: %3); stopped until then")
                 .arg(m_adapter->venueName(), when, message),
             QStringLiteral("banned until %1").arg(when));
    });
    connect(m_rest, &RestClient::restricted, this, [this](const QString &message) {
        fail(QStringLiteral("%1 refuses connections from this location (HTTP 451, restricted location: %2)").arg(m_adapter->venueName(), message),
             QStringLiteral("restricted location (HTTP 451)"));
    });
    connect(m_rest, &RestClient::waiting, this, [this](qint64 ms, const QString &why) {
        setStatus(QStringLiteral("waiting %1 s: %2").arg(std::max<qint64>(1, (ms + 500) / 1000)).arg(why));
    });
    connect(m_rest, &RestClient::offline, this, [this](qint64 retryAt, const QString &why) {
        const qint64 in = std::max<qint64>(1, (retryAt - QDateTime::currentMSecsSinceEpoch() + 500) / 1000);
        // When first: a narrow status bar elides the end of the line.
        setStatus(QStringLiteral("offline, retrying at %1 UTC (in %2 s): %3")
                      .arg(QDateTime::fromMSecsSinceEpoch(retryAt, Qt::UTC).toString(QStringLiteral("HH:mm:ss")))
                      .arg(in)
                      .arg(why));
    });
    connect(m_rest, &RestClient::online, this, [this] {
        setStatus(streamsConnected() ? QStringLiteral("connected; filling the gap") : QStringLiteral("online again"));
    });
    setStatus(QStringLiteral("connecting to %1").arg(m_adapter->venueName()));
    RestRequest time = m_adapter->serverTime();
    time.tag = int(Job::Handshake);
    m_rest->enqueue(time);
}

void ExchangeClient::stop()
{
    if (!m_running)
        return;
    flush(); // what the stream delivered since the last batch: a stop (SIGTERM) keeps it
    shutDown();
    setStatus(QStringLiteral("offline"));
    emit finished();
}

void ExchangeClient::shutDown()
{
    m_running = false;
    if (m_rest)
        m_rest->clear();
    for (StreamConnection *stream : m_streams)
        stream->close();
    if (m_batchTimer)
        m_batchTimer->stop();
    if (m_pollTimer)
        m_pollTimer->stop();
}

void ExchangeClient::fail(const QString &reason, const QString &status)
{
    if (!m_running)
        return;
    shutDown();
    setStatus(status);
    emit failed(reason);
    emit finished();
}

void ExchangeClient::onPage(const RestRequest &r, const RestPage &page)
{
    if (!m_running)
        return;
    if (r.tag == int(Job::Handshake))
        return onHandshake(r, page);
    InstrumentFeed *f = feed(r.instrument);
    if (!f)
        return;
    switch (r.series) {
    case RestSeries::Candles: f->addCandles(page.candles, false); break;
    case RestSeries::MarkCandles: f->addCandles(page.candles, true); break;
    case RestSeries::Funding: {
        f->addFunding(page.funding);
        // Funding history is complete: what the page proves (the adapter knows which end of
        // the window a full page holds) is covered, empty or not.
        const TimeRange known = m_adapter->fundingCovered(r, page);
        f->coverFunding(known.from, known.to);
        break;
    }
    case RestSeries::OpenInterestHistory:
        f->addOpenInterest(page.openInterest);
        if (r.tag != int(Job::Backfill))
            f->settleOpenInterest(); // a gap fill: value at the bars held now
        break;
    case RestSeries::OpenInterestNow:
        for (const OpenInterestSample &o : page.openInterest)
            f->addOpenInterestNow(o);
        break;
    case RestSeries::MarginTiers: {
        QVector<MarginTier> tiers = page.marginTiers;
        const qint64 now = m_rest->serverNow();
        for (MarginTier &t : tiers)
            if (t.fetchedMs <= 0)
                t.fetchedMs = now; // the venue's answer carries no time: when it came
        f->addMarginTiers(tiers, page.tiersInCoins);
        break;
    }
    default: break;
    }
    // Pagination is the venue's: the next page (window, walk or cursor) comes from the answer.
    if (std::optional<RestRequest> next = m_adapter->nextPage(r, page))
        enqueue(*next, Job(r.tag));
    if (r.tag == int(Job::Backfill)) {
        flush(); // one batch per page
        backfillStepDone();
    }
}

void ExchangeClient::optionalFailed(const RestRequest &r, const QString &reason)
{
    // Margin tiers are an improvement, not a condition: the heatmap keeps the stored tiers or
    // Binance's default, and the meta table says why.
    if (r.series == RestSeries::MarginTiers)
        emit metadataChanged({{QStringLiteral("margin_tiers_note.") + r.instrument.key(),
                               QStringLiteral("%1 margin tiers not fetched: %2; the heatmap uses the stored tiers or Binance BTCUSDT's default")
                                   .arg(m_adapter->venueName(), reason)}});
    if (r.tag == int(Job::Backfill))
        backfillStepDone();
}

void ExchangeClient::onHandshake(const RestRequest &r, const RestPage &page)
{
    if (r.series == RestSeries::ServerTime) {
        RestRequest info = m_adapter->exchangeInfo(m_settings.instruments);
        info.tag = int(Job::Handshake);
        m_rest->enqueue(info);
        return;
    }
    m_adapter->applyLimits(m_rest->budget(), page, m_settings.rest.weightSafety);
    emit metadataChanged(metadata()); // the notes that depend on the instrument list
    for (auto &f : m_feeds)
        if (const int hours = page.fundingIntervalHours.value(f->instrument().symbol); hours > 0)
            f->setFundingInterval(hours);
    for (const Instrument &i : m_settings.instruments) {
        if (!page.symbolStatus.contains(i.symbol))
            return fail(QStringLiteral("%1 is not listed on %2").arg(i.symbol, m_adapter->venueName()), QStringLiteral("unknown symbol %1").arg(i.symbol));
        if (const QString why = page.symbolStatus.value(i.symbol); !why.isEmpty())
            return fail(QStringLiteral("%1 on %2: %3").arg(i.symbol, m_adapter->venueName(), why), QStringLiteral("%1: %2").arg(i.symbol, why));
    }
    startBackfill();
}

void ExchangeClient::request(RestSeries series, const Instrument &instrument, qint64 from, qint64 to, Job job)
{
    if (!m_adapter->serves(series))
        return; // a spot market: no mark price, funding or open interest to ask for
    if (from >= to && series != RestSeries::OpenInterestNow)
        return;
    enqueue(m_adapter->page(series, instrument, from, to), job);
}

void ExchangeClient::enqueue(RestRequest r, Job job)
{
    r.tag = int(job);
    if (job == Job::Backfill)
        ++m_backfillOpen;
    if (job == Job::Gap)
        m_rest->enqueueFront(r); // a hole in what the user is watching comes first
    else
        m_rest->enqueue(r);
}

void ExchangeClient::startBackfill()
{
    const qint64 now = m_rest->serverNow();
    m_end = Timeframes::floor(Timeframe::M1, m_settings.endMs > 0 ? m_settings.endMs : now);
    const qint64 start = Timeframes::floor(Timeframe::M1, m_end - qint64(m_settings.days * dayMs));
    std::unique_ptr<StoreReader> reader;
    if (MarketStore::holdsData(store())) {
        try {
            reader = MarketStore::attach(store()).reader();
        } catch (const StoreError &) {
            reader.reset(); // no resume then; the writer reports store problems
        }
    }
    // Resume: fetch only what lies outside the stored span of each series: before it (a
    // longer history asked for, or nothing when the symbol is younger) and from its last
    // row on (that row again: it may have been a live, partial bar). Holes inside the span
    // were the concern of the session that stored around them.
    const auto windows = [&](const Instrument &i, DataKind kind, qint64 from, qint64 step) -> QVector<TimeRange> {
        const TimeRange have = reader ? reader->extent(i, kind) : TimeRange{};
        if (!have.isValid() || have.to <= from || have.from >= m_end)
            return {{from, m_end}};
        QVector<TimeRange> out;
        if (have.from > from)
            out.push_back({from, have.from});
        out.push_back({std::max(from, have.to - step), m_end});
        return out;
    };
    for (const Instrument &i : m_settings.instruments) {
        qint64 oi = start;
        if (const qint64 reach = m_adapter->historyReachMs(RestSeries::OpenInterestHistory))
            oi = std::max(oi, Timeframes::floor(Timeframe::M5, now - reach) + Timeframes::ms(Timeframe::M5));
        const std::pair<RestSeries, QVector<TimeRange>> plan[] = {
            {RestSeries::Candles, windows(i, DataKind::Candles, start, Timeframes::minuteMs)},
            {RestSeries::MarkCandles, windows(i, DataKind::MarkCandles, start, Timeframes::minuteMs)},
            {RestSeries::Funding, windows(i, DataKind::Funding, start, 1)},
            {RestSeries::OpenInterestHistory, windows(i, DataKind::OpenInterest, oi, 1)},
        };
        for (const auto &[series, ranges] : plan)
            for (const TimeRange &r : ranges) {
                if (!m_adapter->serves(series))
                    continue;
                const qint64 perPage = std::max<qint64>(1, m_adapter->pageSpanMs(series));
                m_backfillTotal += int(std::max<qint64>(0, r.span()) / perPage + 1);
                request(series, i, r.from, r.to, Job::Backfill);
            }
        // The venue's public maintenance-margin tiers, at every start (a live start runs this
        // backfill first): the heatmap uses them instead of Binance's default table.
        if (std::optional<RestRequest> tiers = m_adapter->marginTiers(i)) {
            tiers->optional = true;
            ++m_backfillTotal;
            enqueue(*tiers, Job::Backfill);
        }
    }
    setStatus(QStringLiteral("backfilling"));
    if (m_backfillOpen == 0)
        backfillStepDone();
}

void ExchangeClient::backfillStepDone()
{
    if (m_backfillOpen > 0) {
        --m_backfillOpen;
        ++m_backfillDone;
    }
    m_backfillTotal = std::max(m_backfillTotal, m_backfillDone + m_backfillOpen);
    // The status bar names the source beside it: the venue again here would repeat it.
    emit progress(m_backfillDone, m_backfillTotal, QStringLiteral("backfill pages"));
    if (m_backfillOpen > 0)
        return;
    for (auto &f : m_feeds) {
        f->settleOpenInterest(); // OI a venue sent in coins, valued where no bar came to price it
        if (f->dropUnvaluedTiers())
            emit metadataChanged({{QStringLiteral("margin_tiers_note.") + f->instrument().key(),
                                   QStringLiteral("%1 tiers in contracts were not stored: no price came to value them; the heatmap uses the "
                                                  "stored tiers or Binance BTCUSDT's default")
                                       .arg(m_adapter->venueName())}});
    }
    flush();
    if (!m_settings.live) {
        m_running = false;
        setStatus(QStringLiteral("backfill complete"));
        emit finished();
        return;
    }
    startLive();
}

void ExchangeClient::startLive()
{
    // One StreamConnection per endpoint the venue declares (OKX: business + public); each
    // keeps its own socket, subscriptions, watchdog and backoff.
    const QList<StreamEndpoint> endpoints = m_adapter->streamEndpoints(m_settings.instruments);
    for (const StreamEndpoint &e : endpoints) {
        auto *stream = new StreamConnection(m_settings.stream, this);
        stream->setSubscribeMessages(e.subscribe);
        stream->setHeartbeat(m_adapter->heartbeat(), m_settings.heartbeatMs > 0 ? m_settings.heartbeatMs : m_adapter->heartbeatMs());
        connect(stream, &StreamConnection::message, this, [this, stream](const QByteArray &m) { onStreamMessage(stream, m); });
        connect(stream, &StreamConnection::connected, this, &ExchangeClient::onStreamConnected);
        connect(stream, &StreamConnection::dropped, this, [this] { stopListening(); });
        if (endpoints.size() == 1)
            connect(stream, &StreamConnection::statusChanged, this, &ExchangeClient::setStatus);
        else
            connect(stream, &StreamConnection::statusChanged, this, [this, path = e.url.path()](const QString &status) {
                setStatus(QStringLiteral("%1: %2").arg(path, status));
            });
        m_streams.push_back(stream);
    }
    m_batchTimer = new QTimer(this);
    m_batchTimer->setTimerType(Qt::PreciseTimer);
    connect(m_batchTimer, &QTimer::timeout, this, &ExchangeClient::flush);
    m_batchTimer->start(int(std::max<qint64>(1, m_settings.batchMs)));
    m_pollTimer = new QTimer(this);
    connect(m_pollTimer, &QTimer::timeout, this, &ExchangeClient::pollOpenInterest);
    m_pollTimer->start(int(std::max<qint64>(1000, m_settings.oiPollMs)));
    for (qsizetype k = 0; k < endpoints.size(); ++k)
        m_streams[size_t(k)]->open(endpoints[k].url);
    pollOpenInterest();
}

int ExchangeClient::streamConnections() const
{
    int n = 0;
    for (const StreamConnection *stream : m_streams)
        n += stream->connectionCount();
    return n;
}

bool ExchangeClient::streamsConnected() const
{
    if (m_streams.empty())
        return false;
    for (const StreamConnection *stream : m_streams)
        if (!stream->isConnected())
            return false;
    return true;
}

void ExchangeClient::stopListening()
{
    // What the stream said until its last message is covered; from here on it is a hole
    // (liquidations missed during an outage cannot be fetched afterwards).
    coverListening(true);
    m_listeningFrom = -1;
}

void ExchangeClient::coverListening(bool force)
{
    if (m_listeningFrom < 0 || m_lastMessageMs <= m_listeningFrom)
        return;
    bool pending = force || m_lastMessageMs - m_listeningFrom >= 5'000;
    for (auto &f : m_feeds)
        pending = pending || f->hasPending();
    if (!pending)
        return; // no batch of its own for a few quiet seconds
    for (auto &f : m_feeds)
        f->listening(m_listeningFrom, m_lastMessageMs + 1);
    m_listeningFrom = m_lastMessageMs + 1;
}

void ExchangeClient::onStreamConnected(bool)
{
    // Liquidations count as heard only while every endpoint listens (a venue may carry them
    // on any one of its sockets): the conservative reading when one of several is down.
    if (streamsConnected())
        m_listeningFrom = std::max(m_rest->serverNow(), m_lastMessageMs + 1);
    // Whatever closed while the stream was not listening (the backfill itself takes time,
    // and a drop loses messages) comes over REST; repeats are harmless upserts.
    const qint64 now = m_rest->serverNow();
    for (auto &f : m_feeds)
        for (const InstrumentFeed::Fetch &x : f->resume(now))
            request(x.series, f->instrument(), x.from, x.to, Job::Gap);
}

void ExchangeClient::onStreamMessage(StreamConnection *stream, const QByteArray &message)
{
    if (m_listeningFrom >= 0)
        m_lastMessageMs = std::max(m_lastMessageMs, m_rest->serverNow());
    QList<StreamUpdate> updates;
    QString error;
    if (!m_adapter->parseStream(message, &updates, &error)) {
        ++m_malformed; // one bad message is skipped; a run of them replaces the socket
        stream->reportMalformed(error);
        return;
    }
    stream->reportValid();
    ExchangeAdapter::keyLiquidations(updates);
    for (const StreamUpdate &u : updates)
        if (m_listeningFrom >= 0)
            m_lastMessageMs = std::max(m_lastMessageMs, u.eventTime); // the venue's clock: what its events are stamped with
    for (const StreamUpdate &u : updates)
        if (InstrumentFeed *f = feed(u.instrument))
            for (const InstrumentFeed::Fetch &x : f->apply(u))
                request(x.series, f->instrument(), x.from, x.to, Job::Gap);
}

void ExchangeClient::storeRecovered(const QHash<Instrument, qint64> &since)
{
    if (!m_running || !m_rest)
        return;
    // What the store could not keep comes again over REST, from the first row it dropped
    // (liquidations excepted: no venue serves their history).
    const qint64 now = m_rest->serverNow();
    for (auto it = since.cbegin(); it != since.cend(); ++it) {
        InstrumentFeed *f = feed(it.key());
        if (!f)
            continue;
        const qint64 from = Timeframes::floor(Timeframe::M1, it.value());
        const qint64 to = std::max(now, f->lastClosedCandle() + Timeframes::minuteMs); // as far as the feed has seen bars close
        for (RestSeries series : {RestSeries::Candles, RestSeries::MarkCandles, RestSeries::Funding, RestSeries::OpenInterestHistory})
            request(series, f->instrument(), series == RestSeries::Funding ? from - 8 * 3'600'000LL : from, to, Job::Gap);
    }
}

QString ExchangeClient::loadCaFile(const QString &path, QList<QSslCertificate> *out)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("ca_file %1: cannot read it (%2)").arg(path, f.errorString());
    *out = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
    if (out->isEmpty())
        return QStringLiteral("ca_file %1: holds no PEM certificate").arg(path);
    return {};
}

void ExchangeClient::pollOpenInterest()
{
    const qint64 now = m_rest->serverNow();
    for (auto &f : m_feeds) {
        request(RestSeries::OpenInterestNow, f->instrument(), 0, 0, Job::Poll);
        for (const InstrumentFeed::Fetch &x : f->pendingSettlement(now))
            request(x.series, f->instrument(), x.from, x.to, Job::Gap);
    }
}

void ExchangeClient::flush()
{
    if (!m_running)
        return;
    coverListening(false);
    for (auto &f : m_feeds)
        if (f->hasPending())
            emit batchReady(f->take());
}
