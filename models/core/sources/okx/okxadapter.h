#pragma once

#include "okxcontract.h"
#include "sources/exchange/exchangeadapter.h"

#include <QJsonObject>

// OKX v5, instType SWAP (research/data-formats-2.md §A): the code/msg envelope (errors come as
// HTTP 200 with a string code; 50011 = rate limit), candles, mark candles, funding and rubik
// open interest all newest first and paged backwards with the exclusive `after` cursor,
// per-endpoint limits counted over 2 s windows, contract sizes converted with ctVal (linear:
// coins per contract; inverse: USD per contract). Two sockets: candles on /ws/v5/business,
// funding-rate, open-interest, mark-price and liquidation-orders on /ws/v5/public; both
// subscribe with {"op":"subscribe","args":[...]} and keep alive with the text `ping`.
class OkxAdapter : public ExchangeAdapter
{
public:
    struct Urls
    {
        QUrl rest{QStringLiteral("https://www.okx.com")};
        QUrl stream{QStringLiteral("wss://ws.okx.com:8443")}; // + /ws/v5/business and /ws/v5/public
    };

    OkxAdapter();
    explicit OkxAdapter(Urls urls);

    QString exchange() const override { return QStringLiteral("OKX"); }
    QString venueName() const override { return QStringLiteral("OKX perpetual swap"); }
    QUrl restBase() const override { return m_urls.rest; }

    RestRequest serverTime() const override;
    RestRequest exchangeInfo(const QList<Instrument> &instruments = {}) const override;
    RestRequest page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const override;
    std::optional<RestRequest> nextPage(const RestRequest &request, const RestPage &answer) const override;
    TimeRange fundingCovered(const RestRequest &request, const RestPage &answer) const override;
    void applyLimits(RequestBudget &budget, const RestPage &info, double safety) const override;
    std::optional<RestRequest> marginTiers(const Instrument &instrument) const override; // public position-tiers
    qint64 pageSpanMs(RestSeries series) const override;
    qint64 historyReachMs(RestSeries series) const override;
    QHash<QString, QString> notes(const Instrument &instrument) const override;
    bool parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const override;
    RestVerdict judge(int httpStatus, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64 serverNow) const override;
    std::optional<int> usedWeight(const QHash<QByteArray, QByteArray> &) const override { return std::nullopt; }

    QUrl streamUrl(const QList<Instrument> &instruments) const override; // the public socket
    QList<StreamEndpoint> streamEndpoints(const QList<Instrument> &instruments) const override;
    QByteArray heartbeat() const override { return QByteArrayLiteral("ping"); }
    qint64 heartbeatMs() const override { return 20'000; } // OKX cuts a socket silent for 30 s
    bool parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const override;
    CoverageQuality liquidationCoverage() const override { return CoverageQuality::Sampled; }
    QString liquidationFeedNote() const override;

    // The contract of an instId, once the instrument list answered (nullptr before).
    const OkxContract *contract(const QString &instId) const;

    static constexpr int candleLimit = 300;   // candles, history-candles
    static constexpr int markLimit = 100;     // (history-)mark-price-candles
    static constexpr int fundingLimit = 400;  // funding-rate-history
    static constexpr int oiLimit = 100;       // rubik open-interest-history
    // Older OKX deployments cap every list at 100 rows whatever limit asks: a page with at
    // least this many rows may have been cut, so the walk goes on (an extra empty page at
    // worst); fewer rows prove the window exhausted.
    static constexpr int cappedPage = 100;

private:
    bool parseFundingPush(const QJsonObject &row, QList<StreamUpdate> *updates, QString *error) const;
    void seen(qint64 t) const { m_clock = std::max(m_clock, t); }

    Urls m_urls;
    mutable QHash<QString, OkxContract> m_contracts; // instId -> ctVal, ctMult, linear/inverse
    // The newest venue time seen (server time, rows): chooses candles (latest 1,440 rows)
    // or history-candles for a window.
    mutable qint64 m_clock = 0;
    // mark-price and funding-rate come on separate channels; the feed takes them as one
    // update (mark + predicted funding), so the latest of each is kept per instId.
    struct Live
    {
        double mark = 0;
        qint64 markTs = 0;
        double rate = 0;
        qint64 fundingTime = 0;
        int intervalHours = 0;
    };
    mutable QHash<QString, Live> m_live;
};
