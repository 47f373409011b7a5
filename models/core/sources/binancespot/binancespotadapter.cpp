#include "binancespotadapter.h"

#include "domain/numbers.h"
#include "domain/plausibility.h"
#include "domain/timeframe.h"
#include "sources/exchange/requestbudget.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

std::optional<double> number(const QJsonValue &v)
{
    return v.isString() ? Numbers::parse(v.toString().toLatin1()) : std::nullopt; // spot sends prices and sizes as strings
}

std::optional<qint64> integer(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d != std::floor(d) || std::abs(d) > 9e15)
        return std::nullopt;
    return qint64(d);
}

BinanceAdapter::Urls spotUrls()
{
    return {QUrl(QStringLiteral("https://api.binance.com")), QUrl(QStringLiteral("wss://stream.binance.com:9443"))};
}

} // namespace

BinanceSpotAdapter::BinanceSpotAdapter()
    : BinanceAdapter(spotUrls())
{
}

BinanceSpotAdapter::BinanceSpotAdapter(Urls urls)
    : BinanceAdapter(std::move(urls))
{
}

QString BinanceSpotAdapter::liquidationFeedNote() const
{
    return QStringLiteral("a spot market has no liquidations, open interest or funding: not applicable for spot");
}

RestRequest BinanceSpotAdapter::serverTime() const
{
    RestRequest r = BinanceAdapter::serverTime();
    r.path = QStringLiteral("/api/v3/time");
    return r;
}

RestRequest BinanceSpotAdapter::exchangeInfo(const QList<Instrument> &instruments) const
{
    // Only the symbols asked for: the whole list is megabytes (weight 20 either way).
    RestRequest r = BinanceAdapter::exchangeInfo(instruments);
    r.path = QStringLiteral("/api/v3/exchangeInfo");
    r.weight = 20;
    QStringList symbols;
    for (const Instrument &i : instruments)
        symbols << QLatin1Char('"') + i.symbol + QLatin1Char('"');
    if (!symbols.isEmpty())
        r.query.addQueryItem(QStringLiteral("symbols"), QLatin1Char('[') + symbols.join(QLatin1Char(',')) + QLatin1Char(']'));
    return r;
}

RestRequest BinanceSpotAdapter::page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const
{
    RestRequest r;
    r.series = series;
    r.instrument = instrument;
    r.from = from;
    r.to = to;
    r.end = to;
    if (series != RestSeries::Candles)
        return r; // nothing else exists on spot; the client does not ask (serves())
    r.path = QStringLiteral("/api/v3/klines");
    r.limit = int(std::clamp<qint64>((to - from + Timeframes::minuteMs - 1) / Timeframes::minuteMs, 1, klineLimit));
    r.weight = klineWeight;
    r.query.addQueryItem(QStringLiteral("symbol"), instrument.symbol);
    r.query.addQueryItem(QStringLiteral("interval"), QStringLiteral("1m"));
    r.query.addQueryItem(QStringLiteral("startTime"), QString::number(from));
    r.query.addQueryItem(QStringLiteral("endTime"), QString::number(to - 1)); // inclusive
    r.query.addQueryItem(QStringLiteral("limit"), QString::number(r.limit));
    return r;
}

void BinanceSpotAdapter::applyLimits(RequestBudget &budget, const RestPage &info, double safety) const
{
    // REQUEST_WEIGHT from exchangeInfo (6000 per minute since 2023-08; the 2021 capture says
    // 1200): the only limit market data runs into. No funding or OI buckets on spot.
    if (info.weightLimit > 0)
        budget.setWeightLimit(info.weightLimit, info.weightWindowMs, safety);
}

qint64 BinanceSpotAdapter::pageSpanMs(RestSeries) const
{
    return klineLimit * Timeframes::minuteMs;
}

QHash<QString, QString> BinanceSpotAdapter::notes(const Instrument &i) const
{
    return {{QStringLiteral("market_kind.") + i.key(), QStringLiteral("spot")}};
}

bool BinanceSpotAdapter::parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const
{
    if (!BinanceAdapter::parse(request, body, page, error))
        return false;
    if (request.series != RestSeries::ExchangeInfo)
        return true;
    // The base judged the symbols as futures contracts (contractType); spot lists none.
    page->symbolStatus.clear();
    const QJsonArray symbols = QJsonDocument::fromJson(body).object().value(QLatin1String("symbols")).toArray();
    for (const QJsonValue &sv : symbols) {
        const QJsonObject s = sv.toObject();
        const QString status = s.value(QLatin1String("status")).toString();
        QString why;
        if (status != QLatin1String("TRADING"))
            why = QStringLiteral("not trading (status %1)").arg(status.isEmpty() ? QStringLiteral("missing") : status);
        else if (s.contains(QLatin1String("isSpotTradingAllowed")) && !s.value(QLatin1String("isSpotTradingAllowed")).toBool())
            why = QStringLiteral("spot trading not allowed");
        page->symbolStatus.insert(s.value(QLatin1String("symbol")).toString(), why);
    }
    if (page->symbolStatus.isEmpty())
        return fail(error, QStringLiteral("%1 lists no symbols").arg(request.path));
    return true;
}

QUrl BinanceSpotAdapter::streamUrl(const QList<Instrument> &instruments) const
{
    QStringList streams;
    for (const Instrument &i : instruments) {
        const QString s = i.symbol.toLower();
        streams << s + QStringLiteral("@kline_1m") << s + QStringLiteral("@aggTrade");
    }
    QUrl url = urls().stream;
    url.setPath(url.path() + QStringLiteral("/stream")); // spot has no /market routing
    url.setQuery(QStringLiteral("streams=") + streams.join(QLatin1Char('/')));
    return url;
}

bool BinanceSpotAdapter::parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed stream message (%1)").arg(pe.error != QJsonParseError::NoError ? pe.errorString() : "not an object"));
    const QJsonObject top = doc.object();
    if (top.contains(QLatin1String("result")) || top.contains(QLatin1String("id")))
        return true; // a reply to SUBSCRIBE and the like
    const QJsonObject d = top.contains(QLatin1String("data")) ? top.value(QLatin1String("data")).toObject() : top;
    const QString event = d.value(QLatin1String("e")).toString();
    if (event == QLatin1String("kline")) {
        // The same fields as USDⓈ-M's (k.V taker-buy base volume, k.x closed).
        QList<StreamUpdate> bars;
        if (!BinanceAdapter::parseStream(QJsonDocument(d).toJson(QJsonDocument::Compact), &bars, error))
            return false;
        for (StreamUpdate &u : bars) {
            u.instrument.exchange = exchange();
            updates->push_back(u);
        }
        return true;
    }
    if (event == QLatin1String("aggTrade")) {
        const auto t = integer(d.value(QLatin1String("T"))), id = integer(d.value(QLatin1String("a")));
        const auto p = number(d.value(QLatin1String("p"))), q = number(d.value(QLatin1String("q")));
        const QJsonValue m = d.value(QLatin1String("m"));
        if (!t || !Plausibility::time(*t) || !id || *id < 0 || !p || !Plausibility::price(*p) || !q || !Plausibility::positiveSize(*q)
            || !m.isBool())
            return fail(error, QStringLiteral("aggTrade message with missing or impossible fields (T, a, p, q, m)"));
        StreamUpdate u;
        u.type = StreamUpdate::Type::Trade;
        u.instrument = {exchange(), d.value(QLatin1String("s")).toString().toUpper()};
        u.eventTime = *t;
        u.price = *p;
        u.qty = *q;
        u.takerBuy = !m.toBool(); // m: the buyer was the maker, so the taker sold
        u.tradeId = *id + 1;      // ids start at 0; 0 means "no id" in a StreamUpdate
        updates->push_back(u);
        return true;
    }
    return true; // serverShutdown, depth, bookTicker, anything newer: nothing for the store
}
