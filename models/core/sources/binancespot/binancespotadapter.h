#pragma once

#include "sources/binance/binanceadapter.h"

// Binance spot (research/data-formats-2.md §D.1, §D.2): the /api/v3 REST API and the spot
// combined stream. It shares USDⓈ-M's envelope (weights in X-MBX-USED-WEIGHT-1M, 429/418
// with Retry-After, bans in 418 bodies, 12-field klines), so it derives from BinanceAdapter
// and changes what differs: paths, the kline limit (1000) and weight (2), the instrument
// list (no contractType: a symbol trades when status is TRADING and spot trading is
// allowed), the stream (no /market routing; kline_1m every 2 s and aggTrade) and the venue
// key BINANCE_SPOT (the symbols are spelt as on USDⓈ-M: the market is part of the identity).
// A spot market has no open interest, funding, mark price or liquidations (isSpot()).
class BinanceSpotAdapter : public BinanceAdapter
{
public:
    static constexpr int klineLimit = 1000; // spot's maximum (USDⓈ-M: 1500)
    static constexpr int klineWeight = 2;   // whatever the limit

    BinanceSpotAdapter();
    explicit BinanceSpotAdapter(Urls urls);

    QString exchange() const override { return QStringLiteral("BINANCE_SPOT"); }
    QString venueName() const override { return QStringLiteral("Binance spot"); }
    QString coverageOrigin() const override { return QStringLiteral("binance spot"); }

    RestRequest serverTime() const override;
    RestRequest exchangeInfo(const QList<Instrument> &instruments = {}) const override;
    RestRequest page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const override;
    void applyLimits(RequestBudget &budget, const RestPage &info, double safety) const override;
    qint64 pageSpanMs(RestSeries series) const override;
    qint64 historyReachMs(RestSeries) const override { return 0; }
    QHash<QString, QString> notes(const Instrument &instrument) const override;
    bool parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const override;

    QUrl streamUrl(const QList<Instrument> &instruments) const override;
    bool parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const override;
    QString liquidationFeedNote() const override;
    bool isSpot() const override { return true; }
};
