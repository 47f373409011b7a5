#pragma once

#include "sources/exchange/exchangeadapter.h"

// Binance USDⓈ-M futures (research/data-formats.md §1-3): fapi REST, the combined stream on
// the routed /market path, weights from X-MBX-USED-WEIGHT-*, bans in 418 bodies.
class BinanceAdapter : public ExchangeAdapter
{
public:
    struct Urls
    {
        QUrl rest{QStringLiteral("https://fapi.binance.com")};
        QUrl stream{QStringLiteral("wss://fstream.binance.com")};
    };

    BinanceAdapter();
    explicit BinanceAdapter(Urls urls);

    QString exchange() const override { return QStringLiteral("BINANCE"); }
    QString venueName() const override;
    QUrl restBase() const override { return m_urls.rest; }

    RestRequest serverTime() const override;
    RestRequest exchangeInfo(const QList<Instrument> &instruments = {}) const override;
    RestRequest page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const override;
    std::optional<RestRequest> nextPage(const RestRequest &request, const RestPage &answer) const override;
    void applyLimits(RequestBudget &budget, const RestPage &info, double safety) const override;
    qint64 pageSpanMs(RestSeries series) const override;
    qint64 historyReachMs(RestSeries series) const override;
    QHash<QString, QString> notes(const Instrument &instrument) const override;
    bool parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const override;
    RestVerdict judge(int httpStatus, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64 serverNow) const override;
    std::optional<int> usedWeight(const QHash<QByteArray, QByteArray> &headers) const override;

    QUrl streamUrl(const QList<Instrument> &instruments) const override;
    bool parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const override;
    CoverageQuality liquidationCoverage() const override { return CoverageQuality::Sampled; }
    bool candlesCarryTakerBuy() const override { return true; } // klines field 9, the stream's "V"
    QString liquidationFeedNote() const override;

    // Kline request weight by limit (the same table for mark price klines).
    static int klineWeight(int limit);
    const Urls &urls() const { return m_urls; }

private:
    // The next page of an ascending series starts this far after the last row it held.
    static qint64 stepMs(RestSeries series);
    Urls m_urls;
};
