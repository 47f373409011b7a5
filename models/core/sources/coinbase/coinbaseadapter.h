#pragma once

#include "sources/exchange/exchangeadapter.h"

// Coinbase spot (research/data-formats-2.md §D.4-D.6), two API generations on purpose:
// - REST is Advanced Trade (api.coinbase.com/api/v3/brokerage, public, no key): /time,
//   /market/products?product_ids=... (the instrument check), /market/products/{id}/candles
//   (ONE_MINUTE, at most 350 a call, times in UNIX seconds as strings, no trade count, no
//   taker volume, no quote volume).
// - The stream is the Exchange feed (wss://ws-feed.exchange.coinbase.com, the generation of
//   the recorded capture): the `matches` channel (every print, trade_id consecutive per
//   product) and `heartbeat`. Its `side` is the MAKER's side, documented and seen in the
//   capture (the same trade_id is side "sell" in a match and "buy" in the ticker), so a
//   taker buy is side "sell". Advanced Trade's market_trades `side` is contested (§D.5), so
//   it is not used for taker flow.
// Candles carry no taker side: bars from REST have taker-buy volume unknown (no TakerBuy
// coverage), the live 1m bars are folded from the matches (barsFromTrades) and carry it.
// Coinbase candles have no quote volume either: those bars hold 0 there (meta note).
class CoinbaseAdapter : public ExchangeAdapter
{
public:
    struct Urls
    {
        QUrl rest{QStringLiteral("https://api.coinbase.com")};
        QUrl stream{QStringLiteral("wss://ws-feed.exchange.coinbase.com")};
    };
    static constexpr int candleLimit = 350;

    CoinbaseAdapter();
    explicit CoinbaseAdapter(Urls urls);

    QString exchange() const override { return QStringLiteral("COINBASE"); }
    QString venueName() const override { return QStringLiteral("Coinbase"); }
    QUrl restBase() const override { return m_urls.rest; }

    RestRequest serverTime() const override;
    RestRequest exchangeInfo(const QList<Instrument> &instruments = {}) const override;
    RestRequest page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const override;
    std::optional<RestRequest> nextPage(const RestRequest &request, const RestPage &answer) const override;
    void applyLimits(RequestBudget &budget, const RestPage &info, double safety) const override;
    qint64 pageSpanMs(RestSeries) const override { return candleLimit * 60'000LL; }
    qint64 historyReachMs(RestSeries) const override { return 0; }
    QHash<QString, QString> notes(const Instrument &instrument) const override;
    bool parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const override;
    RestVerdict judge(int httpStatus, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64 serverNow) const override;
    std::optional<int> usedWeight(const QHash<QByteArray, QByteArray> &) const override { return std::nullopt; }

    QUrl streamUrl(const QList<Instrument> &) const override { return m_urls.stream; }
    QList<QByteArray> subscribeMessages(const QList<Instrument> &instruments) const override;
    bool parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const override;
    CoverageQuality liquidationCoverage() const override { return CoverageQuality::Complete; } // unused: isSpot()
    QString liquidationFeedNote() const override;
    bool isSpot() const override { return true; }
    bool barsFromTrades() const override { return true; }

    // The one place the Exchange feed's maker side becomes the taker's.
    static bool takerBought(const QString &makerSide) { return makerSide == QLatin1String("sell"); }
    // "2021-04-17T16:43:37.089723Z" -> epoch ms (the fraction cut to ms); nullopt otherwise.
    static std::optional<qint64> isoTime(const QString &text);

private:
    Urls m_urls;
};
