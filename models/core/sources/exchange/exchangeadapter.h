#pragma once

#include "domain/candle.h"
#include "domain/coverage.h"
#include "domain/fundingsample.h"
#include "domain/instrument.h"
#include "domain/liquidation.h"
#include "domain/margintier.h"
#include "domain/openinterestsample.h"
#include "domain/timerange.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QUrl>
#include <QUrlQuery>
#include <QVector>
#include <optional>

// The series an exchange client asks for over REST.
enum class RestSeries { ServerTime, ExchangeInfo, Candles, MarkCandles, Funding, OpenInterestHistory, OpenInterestNow, MarginTiers };

// One REST call: where, what it costs, and which window of a paginated series it asks for.
struct RestRequest
{
    RestSeries series = RestSeries::ServerTime;
    Instrument instrument;
    QString path; // appended to the REST base URL
    QUrlQuery query;
    int weight = 1;  // request weight the venue charges
    QString bucket;  // a venue limit besides weight ("funding": 500 / 5 min), or empty
    qint64 from = 0; // page window [from, to)
    qint64 to = 0;
    qint64 end = 0;  // the whole window asked for ends here; the page may hold only part of it
    int limit = 0;   // rows a full page holds: fewer means the window is exhausted
    QString cursor;  // a cursor-paged API's position (Bybit nextPageCursor), empty on the first page
    int attempt = 0; // retries so far
    int tag = 0;     // the client's own marker (which job asked)
    // Nothing else depends on it (margin tiers): an answer that does not parse is reported
    // as failed at once instead of retried, and the client goes on without it.
    bool optional = false;

    QString describe() const { return QStringLiteral("GET %1").arg(path); }
};

// A parsed REST response.
struct RestPage
{
    QVector<Candle> candles; // 1m bars, oldest first
    QVector<FundingSample> funding;
    QVector<OpenInterestSample> openInterest;
    qint64 serverTime = 0;
    // exchangeInfo: the request-weight limit and its window, and whether the symbol trades.
    int weightLimit = 0;
    qint64 weightWindowMs = 0;
    QHash<QString, QString> symbolStatus; // symbol -> "" when tradable, else why not
    QHash<QString, int> fundingIntervalHours; // symbol -> hours, where the venue says it
    QString nextCursor; // a cursor-paged API: where the next page starts (empty = last page)
    // RestSeries::MarginTiers: the venue's schedule, tiers 1..n. With tiersInCoins the
    // bounds are coins (OKX linear swaps), which the feed values at the latest price.
    QVector<MarginTier> marginTiers;
    bool tiersInCoins = false;
    qint64 lastRowTime() const
    {
        if (!candles.isEmpty())
            return candles.back().ts;
        if (!funding.isEmpty())
            return funding.back().ts;
        return openInterest.isEmpty() ? 0 : openInterest.back().ts;
    }
    qsizetype rows() const { return candles.size() + funding.size() + openInterest.size(); }
};

// What a response means for the client.
struct RestVerdict
{
    enum class Kind {
        Ok,
        Retry,       // 5xx, 408, timeouts, a body that does not parse: back off and try again
        RateLimited, // 429: wait (retryAfterMs when the venue says how long)
        Banned,      // 418: stop everything until bannedUntilMs
        Restricted,  // 451: the venue refuses this location; permanent
        Fatal,       // any other 4xx: this request is wrong, retrying will not help
    };
    Kind kind = Kind::Ok;
    qint64 retryAfterMs = 0;
    qint64 bannedUntilMs = 0; // epoch ms (server clock); 0 when unknown
    QString message;
};

// Something a market stream said, normalised (liquidation side = the position's side).
struct StreamUpdate
{
    enum class Type { Candle, MarkPrice, Liquidation, OpenInterest, Trade, Ignored };
    Type type = Type::Ignored;
    Instrument instrument;
    qint64 eventTime = 0;
    Candle candle; // Type::Candle: a 1m bar snapshot
    bool closed = false;
    double markPrice = 0; // Type::MarkPrice
    double fundingRate = 0;
    qint64 nextFundingTime = 0;
    int fundingIntervalHours = 0; // the interval ending at nextFundingTime, where the venue says it (0 = unknown)
    Liquidation liquidation; // Type::Liquidation
    OpenInterestSample openInterest; // Type::OpenInterest: a pushed value (OKX open-interest), USD NaN when not given
    // Type::Trade: one print (Binance spot aggTrade, Coinbase match) at eventTime; takerBuy =
    // the aggressor bought. tradeId orders prints and shows missed ones (0 = none given).
    double price = 0;
    double qty = 0;
    bool takerBuy = false;
    qint64 tradeId = 0;
};

// One WebSocket a venue serves live data on, and the text frames every new socket sends
// first (subscriptions). Most venues have one; OKX has two (candles on /ws/v5/business, the
// rest on /ws/v5/public).
struct StreamEndpoint
{
    QUrl url;
    QList<QByteArray> subscribe;
};

class RequestBudget;

// The format of one venue: request building, pagination, limits, response parsing, error
// judgement, stream subscription and keep-alive. The client (ExchangeClient) owns the
// behaviour common to all venues: ordering, retries, streams, gaps, coverage. One adapter
// per venue folder (binance/, bybit/), registered in VenueRegistry.
class ExchangeAdapter
{
public:
    virtual ~ExchangeAdapter() = default;

    virtual QString exchange() const = 0;  // "BINANCE": the store's venue key
    virtual QString venueName() const = 0; // "Binance USDⓈ-M"
    virtual QUrl restBase() const = 0;

    virtual RestRequest serverTime() const = 0;
    // What the handshake asks to learn the limits and check the instruments.
    virtual RestRequest exchangeInfo(const QList<Instrument> &instruments) const = 0;
    // The first page of a series over [from, to) (request.end = to).
    virtual RestRequest page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const = 0;
    // The page after `request`, from what it answered; nullopt when the window is done.
    // Ascending time windows, newest-first walks and cursors all fit here.
    virtual std::optional<RestRequest> nextPage(const RestRequest &request, const RestPage &answer) const = 0;
    // Which part of [request.from, request.to) a funding page proves complete (settlements
    // are rare: an empty answer is knowledge too). Ascending pages by default.
    virtual TimeRange fundingCovered(const RestRequest &request, const RestPage &answer) const;
    // The venue's request limits, set once the handshake answered (info: its parsed answer).
    virtual void applyLimits(RequestBudget &budget, const RestPage &info, double safety) const = 0;
    // The request for the instrument's public maintenance-margin tiers, or nullopt when the
    // venue publishes none without an API key (Binance: leverageBracket is signed).
    virtual std::optional<RestRequest> marginTiers(const Instrument &instrument) const
    {
        Q_UNUSED(instrument);
        return std::nullopt;
    }
    // Time one backfill page of a series spans at most (progress estimates).
    virtual qint64 pageSpanMs(RestSeries series) const = 0;
    // How far back a series reaches (0 = no limit); Binance OI history: about 30 days.
    virtual qint64 historyReachMs(RestSeries series) const = 0;
    // Facts about a source of this venue for the store's meta table (notes on reach, units).
    virtual QHash<QString, QString> notes(const Instrument &instrument) const = 0;
    virtual bool parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const = 0;
    virtual RestVerdict judge(int httpStatus, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                              qint64 serverNow) const = 0;
    // Request weight used in the current window, from the response headers.
    virtual std::optional<int> usedWeight(const QHash<QByteArray, QByteArray> &headers) const = 0;

    virtual QUrl streamUrl(const QList<Instrument> &instruments) const = 0;
    // Text frames sent on every new socket before anything else (Bybit: op:subscribe).
    virtual QList<QByteArray> subscribeMessages(const QList<Instrument> &instruments) const
    {
        Q_UNUSED(instruments);
        return {};
    }
    // Every socket the live client keeps open. By default the one streamUrl() with
    // subscribeMessages(); a venue with several endpoints overrides this.
    virtual QList<StreamEndpoint> streamEndpoints(const QList<Instrument> &instruments) const
    {
        return {StreamEndpoint{streamUrl(instruments), subscribeMessages(instruments)}};
    }
    // An application-level keep-alive sent every heartbeatMs (0 = none: Binance's pings are
    // WebSocket control frames that QWebSocket answers by itself).
    virtual QByteArray heartbeat() const { return {}; }
    virtual qint64 heartbeatMs() const { return 0; }
    // Parses one stream message; false with *error when it is not a message of this venue.
    virtual bool parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const = 0;
    // Gives the liquidations of one parsed message their natural-key seq from what each print
    // says (Liquidation::contentSeq), so prints of one millisecond sent in different messages
    // are all kept and a replayed message changes nothing. The client calls it for every venue.
    static void keyLiquidations(QList<StreamUpdate> &updates);
    // What the venue's liquidation stream shows: every liquidation (Complete) or a sample
    // (Sampled: Binance sends at most one print per symbol per second).
    virtual CoverageQuality liquidationCoverage() const = 0;
    // The name the venue's streams and REST pages go by in coverage spans ("binance").
    virtual QString coverageOrigin() const { return exchange().toLower(); }
    virtual QString liquidationFeedNote() const = 0;
    // Whether the venue's 1m klines carry taker-buy volume (Binance: field 9). Without it the
    // bars hold 0 there and no DataKind::TakerBuy coverage is recorded: unknown, not zero.
    virtual bool candlesCarryTakerBuy() const { return false; }
    // A spot market (Binance spot, Coinbase): it has candles and trades only. No open
    // interest, funding, mark price or liquidations exist there, so the client asks for none
    // and records no liquidation coverage: those series are "not applicable for spot"
    // (domain/spotmarket.h), not holes.
    virtual bool isSpot() const { return false; }
    // Whether the client asks for this series at all (a spot venue serves only the server
    // time, the instrument list and candles).
    virtual bool serves(RestSeries series) const
    {
        return !isSpot() || series == RestSeries::ServerTime || series == RestSeries::ExchangeInfo || series == RestSeries::Candles;
    }
    // The live 1m bars come from the venue's trade prints (Coinbase: no 1m candle stream),
    // not from a kline stream: the feed folds Type::Trade updates into bars (with taker-buy
    // volume) and counts a minute final once a print of a later minute arrived.
    virtual bool barsFromTrades() const { return false; }
};
