#include "coinbaseadapter.h"

#include "domain/numbers.h"
#include "domain/plausibility.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "sources/exchange/requestbudget.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

namespace {

constexpr qint64 minute = Timeframes::minuteMs;
const QString brokerage = QStringLiteral("/api/v3/brokerage");

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

// Coinbase sends every number as a string; a JSON number is accepted too.
std::optional<double> number(const QJsonValue &v)
{
    if (v.isString())
        return Numbers::parse(v.toString().toLatin1());
    if (v.isDouble())
        return v.toDouble();
    return std::nullopt;
}

std::optional<qint64> integer(const QJsonValue &v)
{
    if (v.isString())
        return Numbers::parseInt(v.toString().toLatin1());
    if (v.isDouble() && v.toDouble() == std::floor(v.toDouble()) && std::abs(v.toDouble()) < 9e15)
        return qint64(v.toDouble());
    return std::nullopt;
}

// Coinbase counts epoch seconds; a value past what milliseconds can hold is refused before the
// multiplication, which would otherwise overflow.
std::optional<qint64> secondsAsMs(std::optional<qint64> s)
{
    if (!s || *s < 0 || *s > std::numeric_limits<qint64>::max() / 1000)
        return std::nullopt;
    return *s * 1000;
}

} // namespace

CoinbaseAdapter::CoinbaseAdapter()
    : CoinbaseAdapter(Urls{})
{
}

CoinbaseAdapter::CoinbaseAdapter(Urls urls)
    : m_urls(std::move(urls))
{
}

std::optional<qint64> CoinbaseAdapter::isoTime(const QString &text)
{
    // Fractions run from ms to ns; QDateTime reads the seconds, the fraction is cut to ms.
    if (!text.endsWith(QLatin1Char('Z')) || text.size() < 20)
        return std::nullopt;
    const QDateTime base = QDateTime::fromString(text.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (!base.isValid())
        return std::nullopt;
    qint64 ms = QDateTime(base.date(), base.time(), Qt::UTC).toMSecsSinceEpoch();
    const QString rest = text.mid(19, text.size() - 20);
    if (!rest.isEmpty()) {
        if (!rest.startsWith(QLatin1Char('.')) || rest.size() < 2 || rest.size() > 10)
            return std::nullopt;
        const QString digits = rest.mid(1);
        for (const QChar c : digits)
            if (!c.isDigit())
                return std::nullopt;
        ms += (digits + QStringLiteral("00")).left(3).toLongLong();
    }
    return Plausibility::time(ms) ? std::optional<qint64>(ms) : std::nullopt;
}

QString CoinbaseAdapter::liquidationFeedNote() const
{
    return QStringLiteral("a spot market has no liquidations, open interest or funding: not applicable for spot");
}

RestRequest CoinbaseAdapter::serverTime() const
{
    RestRequest r;
    r.series = RestSeries::ServerTime;
    r.path = brokerage + QStringLiteral("/time");
    return r;
}

RestRequest CoinbaseAdapter::exchangeInfo(const QList<Instrument> &instruments) const
{
    RestRequest r;
    r.series = RestSeries::ExchangeInfo;
    r.path = brokerage + QStringLiteral("/market/products");
    for (const Instrument &i : instruments)
        r.query.addQueryItem(QStringLiteral("product_ids"), i.symbol);
    return r;
}

RestRequest CoinbaseAdapter::page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const
{
    RestRequest r;
    r.series = series;
    r.instrument = instrument;
    r.from = from;
    r.end = to;
    r.to = std::min(to, from + candleLimit * minute); // windows of 350 minutes, oldest first
    if (series != RestSeries::Candles)
        return r; // a spot market has nothing else (the client does not ask: serves())
    r.path = brokerage + QStringLiteral("/market/products/") + instrument.symbol + QStringLiteral("/candles");
    r.limit = candleLimit;
    // Seconds; the end asked a second before the window's: whether Coinbase counts `end`
    // in or not, no bucket of the next window is answered.
    r.query.addQueryItem(QStringLiteral("start"), QString::number(from / 1000));
    r.query.addQueryItem(QStringLiteral("end"), QString::number(r.to / 1000 - 1));
    r.query.addQueryItem(QStringLiteral("granularity"), QStringLiteral("ONE_MINUTE"));
    r.query.addQueryItem(QStringLiteral("limit"), QString::number(candleLimit));
    return r;
}

std::optional<RestRequest> CoinbaseAdapter::nextPage(const RestRequest &r, const RestPage &) const
{
    // Each window holds at most 350 minutes, so one call answers it whole: go on by window.
    if (r.series == RestSeries::Candles && r.to < r.end)
        return page(r.series, r.instrument, r.to, r.end);
    return std::nullopt;
}

void CoinbaseAdapter::applyLimits(RequestBudget &budget, const RestPage &info, double safety) const
{
    budget.setWeightLimit(info.weightLimit, info.weightWindowMs, safety);
}

QHash<QString, QString> CoinbaseAdapter::notes(const Instrument &i) const
{
    return {{QStringLiteral("market_kind.") + i.key(), QStringLiteral("spot")},
            {QStringLiteral("quote_volume_note.") + i.key(),
             QStringLiteral("Coinbase candles carry no quote volume: bars from REST hold 0 there (unknown, not zero); bars built "
                            "from the matches stream carry it")},
            {QStringLiteral("taker_buy_note.") + i.key(),
             QStringLiteral("Coinbase candles carry no taker side: taker-buy volume is known only for the minutes built from the matches "
                            "stream (Exchange feed side = the maker's side)")}};
}

bool CoinbaseAdapter::parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed JSON from %1 (%2)").arg(request.path, pe.error != QJsonParseError::NoError ? pe.errorString() : "not an object"));
    const QJsonObject o = doc.object();
    switch (request.series) {
    case RestSeries::ServerTime: {
        std::optional<qint64> t = integer(o.value(QLatin1String("epochMillis")));
        if (!t)
            t = secondsAsMs(integer(o.value(QLatin1String("epochSeconds"))));
        if (!t || !Plausibility::time(*t))
            return fail(error, QStringLiteral("%1 answered without epochMillis or epochSeconds").arg(request.path));
        page->serverTime = *t;
        return true;
    }
    case RestSeries::ExchangeInfo: {
        // Public limit about 10 requests per second per IP (§D.4); the answer does not say it.
        page->weightLimit = 10;
        page->weightWindowMs = 1000;
        if (!o.value(QLatin1String("products")).isArray())
            return fail(error, QStringLiteral("%1 answered without a products list").arg(request.path));
        // An empty list is an answer: none of the products asked for is listed (the client says so).
        for (const QJsonValue &pv : o.value(QLatin1String("products")).toArray()) {
            const QJsonObject p = pv.toObject();
            const QString status = p.value(QLatin1String("status")).toString();
            QString why;
            if (p.value(QLatin1String("trading_disabled")).toBool() || p.value(QLatin1String("is_disabled")).toBool())
                why = QStringLiteral("trading disabled");
            else if (status != QLatin1String("online"))
                why = QStringLiteral("not trading (status %1)").arg(status.isEmpty() ? QStringLiteral("missing") : status);
            page->symbolStatus.insert(p.value(QLatin1String("product_id")).toString(), why);
        }
        return true;
    }
    case RestSeries::Candles: {
        if (!o.value(QLatin1String("candles")).isArray())
            return fail(error, QStringLiteral("%1 answered without a candles list").arg(request.path));
        for (const QJsonValue &cv : o.value(QLatin1String("candles")).toArray()) {
            const QJsonObject c = cv.toObject();
            const auto startS = integer(c.value(QLatin1String("start")));
            const auto op = number(c.value(QLatin1String("open"))), hi = number(c.value(QLatin1String("high"))),
                       lo = number(c.value(QLatin1String("low"))), cl = number(c.value(QLatin1String("close"))),
                       vol = number(c.value(QLatin1String("volume")));
            if (!startS || !op || !hi || !lo || !cl || !vol)
                return fail(error, QStringLiteral("a candle lacks start, open, high, low, close or volume (numbers as strings)"));
            const auto start = secondsAsMs(startS);
            if (!start)
                return fail(error, QStringLiteral("candle start %1 is not a time in epoch seconds").arg(*startS));
            const Candle bar{*start, *op, *hi, *lo, *cl, *vol, 0, 0}; // no quote volume, no taker side
            if (bar.ts % minute != 0 || !Plausibility::time(bar.ts) || !Plausibility::candle(bar))
                return fail(error, QStringLiteral("candle at %1 has impossible values").arg(*startS));
            if (bar.ts >= request.from && bar.ts < request.to)
                page->candles.push_back(bar);
        }
        // Newest first as served (§D.4 [unverified]): sorted here either way.
        std::sort(page->candles.begin(), page->candles.end(), [](const Candle &a, const Candle &b) { return a.ts < b.ts; });
        return true;
    }
    default: break;
    }
    return fail(error, QStringLiteral("unknown request"));
}

RestVerdict CoinbaseAdapter::judge(int status, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64) const
{
    RestVerdict v;
    if (status >= 200 && status < 300)
        return v;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString text = o.contains(QLatin1String("message")) ? o.value(QLatin1String("message")).toString()
                                                              : QString::fromUtf8(body.left(200)).simplified();
    v.message = QStringLiteral("HTTP %1: %2").arg(status).arg(text.isEmpty() ? QStringLiteral("(empty body)") : text);
    if (status == 429) {
        v.kind = RestVerdict::Kind::RateLimited;
        const auto s = Numbers::parseInt(headers.value("retry-after"));
        v.retryAfterMs = s && *s >= 0 ? std::min<qint64>(*s, 3600) * 1000 : 1000;
    } else if (status == 408 || status >= 500) {
        v.kind = RestVerdict::Kind::Retry;
    } else if (status == 451) {
        v.kind = RestVerdict::Kind::Restricted;
    } else {
        v.kind = RestVerdict::Kind::Fatal;
    }
    return v;
}

QList<QByteArray> CoinbaseAdapter::subscribeMessages(const QList<Instrument> &instruments) const
{
    QJsonArray ids;
    for (const Instrument &i : instruments)
        ids << i.symbol;
    const QJsonObject sub{{QStringLiteral("type"), QStringLiteral("subscribe")},
                          {QStringLiteral("product_ids"), ids},
                          {QStringLiteral("channels"), QJsonArray{QStringLiteral("matches"), QStringLiteral("heartbeat")}}};
    return {QJsonDocument(sub).toJson(QJsonDocument::Compact)};
}

bool CoinbaseAdapter::parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed stream message (%1)").arg(pe.error != QJsonParseError::NoError ? pe.errorString() : "not an object"));
    const QJsonObject m = doc.object();
    const QString type = m.value(QLatin1String("type")).toString();
    if (type == QLatin1String("error"))
        return fail(error, QStringLiteral("Coinbase refused: %1 (%2)")
                               .arg(m.value(QLatin1String("message")).toString(), m.value(QLatin1String("reason")).toString()));
    if (type != QLatin1String("match") && type != QLatin1String("last_match"))
        return true; // subscriptions, heartbeat, ticker, l2update, snapshot: nothing for the store
    const auto id = integer(m.value(QLatin1String("trade_id")));
    const auto price = number(m.value(QLatin1String("price"))), size = number(m.value(QLatin1String("size")));
    const auto t = isoTime(m.value(QLatin1String("time")).toString());
    const QString side = m.value(QLatin1String("side")).toString();
    const QString product = m.value(QLatin1String("product_id")).toString();
    if (!id || *id <= 0 || !price || !Plausibility::price(*price) || !size || !Plausibility::positiveSize(*size) || !t
        || (side != QLatin1String("buy") && side != QLatin1String("sell")) || product.isEmpty())
        return fail(error, QStringLiteral("%1 message with missing or impossible fields (trade_id, price, size, side, time, product_id)").arg(type));
    StreamUpdate u;
    u.type = StreamUpdate::Type::Trade;
    u.instrument = {exchange(), product.toUpper()};
    u.eventTime = *t;
    u.price = *price;
    u.qty = *size;
    u.takerBuy = takerBought(side);
    u.tradeId = *id;
    updates->push_back(u);
    return true;
}
