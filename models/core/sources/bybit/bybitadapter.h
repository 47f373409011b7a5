#pragma once

#include "sources/exchange/exchangeadapter.h"

#include <QJsonObject>

// Bybit v5, category linear (research/data-formats.md §5): the retCode envelope (errors come
// as HTTP 200), kline and funding lists newest first, open interest paged by cursor, the
// 600 requests per 5 s IP limit, and the public linear socket with op:subscribe and an
// application-level ping every 20 s. allLiquidation publishes every liquidation, with the
// POSITION side (Buy = a long was liquidated: the opposite of Binance's order side).
class BybitAdapter : public ExchangeAdapter
{
public:
    struct Urls
    {
        QUrl rest{QStringLiteral("https://api.bybit.com")};
        QUrl stream{QStringLiteral("wss://stream.bybit.com")};
    };

    BybitAdapter();
    explicit BybitAdapter(Urls urls);

    QString exchange() const override { return QStringLiteral("BYBIT"); }
    QString venueName() const override { return QStringLiteral("Bybit USDT perpetual"); }
    QUrl restBase() const override { return m_urls.rest; }

    RestRequest serverTime() const override;
    RestRequest exchangeInfo(const QList<Instrument> &instruments = {}) const override;
    RestRequest page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const override;
    std::optional<RestRequest> nextPage(const RestRequest &request, const RestPage &answer) const override;
    TimeRange fundingCovered(const RestRequest &request, const RestPage &answer) const override;
    void applyLimits(RequestBudget &budget, const RestPage &info, double safety) const override;
    std::optional<RestRequest> marginTiers(const Instrument &instrument) const override; // public risk-limit
    qint64 pageSpanMs(RestSeries series) const override;
    qint64 historyReachMs(RestSeries) const override { return 0; } // every series back to listing
    QHash<QString, QString> notes(const Instrument &instrument) const override;
    bool parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const override;
    RestVerdict judge(int httpStatus, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64 serverNow) const override;
    std::optional<int> usedWeight(const QHash<QByteArray, QByteArray> &) const override { return std::nullopt; }

    QUrl streamUrl(const QList<Instrument> &instruments) const override;
    QList<QByteArray> subscribeMessages(const QList<Instrument> &instruments) const override;
    QByteArray heartbeat() const override { return QByteArrayLiteral(R"({"req_id":"ping","op":"ping"})"); }
    qint64 heartbeatMs() const override { return 20'000; }
    bool parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const override;
    CoverageQuality liquidationCoverage() const override { return CoverageQuality::Complete; }
    QString liquidationFeedNote() const override;

    static constexpr int klineLimit = 1000;
    static constexpr int fundingLimit = 200;
    static constexpr int oiLimit = 200;

private:
    bool parseTicker(const QJsonObject &top, QList<StreamUpdate> *updates, QString *error) const;

    Urls m_urls;
    // tickers.* sends a snapshot, then deltas with only the fields that changed: the merged
    // state per symbol (a new socket's subscription starts with a fresh snapshot).
    mutable QHash<QString, QJsonObject> m_tickers;
};
