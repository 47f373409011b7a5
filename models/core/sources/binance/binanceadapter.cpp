#include "binanceadapter.h"

#include "domain/numbers.h"
#include "domain/plausibility.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "sources/exchange/requestbudget.h"
#include "sources/fundinggrid.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

constexpr int klineLimit = 1000; // weight 5; 1500 would cost 10 for 1.5x the rows
constexpr int fundingLimit = 1000;
constexpr int oiLimit = 500;
constexpr qint64 oiPeriodMs = 5 * 60'000;
constexpr qint64 dayMs = 86'400'000;

std::optional<double> number(const QJsonValue &v)
{
    if (v.isString())
        return Numbers::parse(v.toString().toLatin1());
    if (v.isDouble())
        return v.toDouble();
    return std::nullopt;
}

// Times and ids are JSON numbers, but openInterestHist.timestamp is documented as a string.
std::optional<qint64> integer(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d != std::floor(d) || std::abs(d) > 9e15)
            return std::nullopt;
        return qint64(d);
    }
    if (v.isString())
        return Numbers::parseInt(v.toString().toLatin1());
    return std::nullopt;
}

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

bool parseKlines(const QJsonArray &rows, QVector<Candle> *out, QString *error)
{
    out->reserve(rows.size());
    for (const QJsonValue &rv : rows) {
        const QJsonArray r = rv.toArray();
        if (r.size() < 11)
            return fail(error, QStringLiteral("a kline has %1 fields, expected 12").arg(r.size()));
        const auto ts = integer(r[0]);
        const auto o = number(r[1]), h = number(r[2]), l = number(r[3]), c = number(r[4]), v = number(r[5]), q = number(r[7]),
                   tb = number(r[9]);
        if (!ts || !o || !h || !l || !c || !v || !q || !tb)
            return fail(error, QStringLiteral("a kline field is not a number"));
        const Candle bar{*ts, *o, *h, *l, *c, *v, *q, *tb};
        if (*ts % Timeframes::minuteMs != 0 || !Plausibility::time(*ts) || !Plausibility::candle(bar))
            return fail(error, QStringLiteral("kline at %1 has impossible values").arg(TimeFormat::iso(*ts)));
        out->push_back(bar);
    }
    return true;
}

bool parseFunding(const QJsonArray &rows, QVector<FundingSample> *out, QString *error)
{
    for (const QJsonValue &rv : rows) {
        const QJsonObject r = rv.toObject();
        const auto t = integer(r.value(QLatin1String("fundingTime")));
        const auto rate = number(r.value(QLatin1String("fundingRate")));
        if (!t || !rate)
            return fail(error, QStringLiteral("a funding record lacks fundingTime or fundingRate"));
        if (!Plausibility::time(*t) || !Plausibility::fundingRate(*rate))
            return fail(error, QStringLiteral("a funding record has an impossible time or rate (%1)").arg(*rate));
        out->push_back({FundingGrid::snap(*t), *rate, 8});
    }
    // The interval is the spacing of settlements (8 h, 4 h, 1 h); REST does not say it.
    for (qsizetype i = 0; i < out->size(); ++i) {
        const qint64 gap = i > 0 ? (*out)[i].ts - (*out)[i - 1].ts : (out->size() > 1 ? (*out)[1].ts - (*out)[0].ts : 0);
        const int hours = int((gap + FundingGrid::hourMs / 2) / FundingGrid::hourMs);
        if (hours >= 1 && hours <= 24)
            (*out)[i].intervalHours = hours;
    }
    return true;
}

bool parseOpenInterestHistory(const QJsonArray &rows, QVector<OpenInterestSample> *out, QString *error)
{
    for (const QJsonValue &rv : rows) {
        const QJsonObject r = rv.toObject();
        const auto t = integer(r.value(QLatin1String("timestamp")));
        const auto oi = number(r.value(QLatin1String("sumOpenInterest")));
        const auto usd = number(r.value(QLatin1String("sumOpenInterestValue")));
        if (!t || !oi || !usd || !Plausibility::time(*t) || !Plausibility::size(*oi) || !Plausibility::notional(*usd))
            return fail(error, QStringLiteral("an open interest record lacks timestamp, sumOpenInterest or sumOpenInterestValue"));
        out->push_back({*t, *oi, *usd});
    }
    return true;
}

QString bodyMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.contains(QLatin1String("msg")))
        return o.value(QLatin1String("msg")).toString();
    QString text = QString::fromUtf8(body.left(200)).simplified();
    return text.isEmpty() ? QStringLiteral("(empty body)") : text;
}

Instrument instrumentOf(const QString &symbol)
{
    return {QStringLiteral("BINANCE"), symbol.toUpper()};
}

} // namespace

BinanceAdapter::BinanceAdapter()
    : BinanceAdapter(Urls{})
{
}

BinanceAdapter::BinanceAdapter(Urls urls)
    : m_urls(std::move(urls))
{
}

QString BinanceAdapter::venueName() const
{
    // Binance writes "USDⓈ-M", but no font Debian installs by default has the circled S, so
    // the GUI would show a missing-glyph box; "USDS-M" is Binance's own ASCII spelling (URLs).
    return QStringLiteral("Binance USDS-M");
}

QString BinanceAdapter::liquidationFeedNote() const
{
    return QStringLiteral("Binance forceOrder stream: a throttled snapshot, at most one liquidation per second per symbol, "
                          "not the full tape; no history exists for gaps");
}

int BinanceAdapter::klineWeight(int limit)
{
    return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

RestRequest BinanceAdapter::serverTime() const
{
    RestRequest r;
    r.series = RestSeries::ServerTime;
    r.path = QStringLiteral("/fapi/v1/time");
    return r;
}

RestRequest BinanceAdapter::exchangeInfo(const QList<Instrument> &) const
{
    RestRequest r;
    r.series = RestSeries::ExchangeInfo;
    r.path = QStringLiteral("/fapi/v1/exchangeInfo");
    return r;
}

qint64 BinanceAdapter::historyReachMs(RestSeries series) const
{
    // "Only the data of the latest 1 month is available"; keep a margin inside it.
    return series == RestSeries::OpenInterestHistory ? 30 * dayMs - oiPeriodMs : 0;
}

QHash<QString, QString> BinanceAdapter::notes(const Instrument &i) const
{
    return {{QStringLiteral("open_interest_note.") + i.key(),
             QStringLiteral("open interest history over REST reaches back %1 days; older values come from metrics dumps "
                            "(perpscope import)")
                 .arg(qRound(double(historyReachMs(RestSeries::OpenInterestHistory)) / dayMs))}};
}

void BinanceAdapter::applyLimits(RequestBudget &budget, const RestPage &info, double safety) const
{
    // REQUEST_WEIGHT from exchangeInfo (2400 per minute), and the two endpoints with their
    // own count limits (research/data-formats.md §2.2).
    if (info.weightLimit > 0)
        budget.setWeightLimit(info.weightLimit, info.weightWindowMs, safety);
    budget.addBucket(QStringLiteral("funding"), 500, 5 * 60'000);
    budget.addBucket(QStringLiteral("openInterestHist"), 1000, 5 * 60'000);
}

qint64 BinanceAdapter::pageSpanMs(RestSeries series) const
{
    return series == RestSeries::OpenInterestHistory ? oiLimit * oiPeriodMs
         : series == RestSeries::Funding             ? fundingLimit * 3'600'000LL
                                                     : klineLimit * Timeframes::minuteMs;
}

qint64 BinanceAdapter::stepMs(RestSeries series)
{
    switch (series) {
    case RestSeries::Candles:
    case RestSeries::MarkCandles: return Timeframes::minuteMs;
    case RestSeries::Funding: return 30 * 60'000; // settlements are >= 1 h apart; stamps drift a few ms
    case RestSeries::OpenInterestHistory: return oiPeriodMs;
    default: return 0;
    }
}

std::optional<RestRequest> BinanceAdapter::nextPage(const RestRequest &r, const RestPage &answer) const
{
    // Ascending pages: a full page means there may be more in the window, from its last row
    // on; openInterestHist is asked in windows of 500 periods, so a window done moves to the
    // next one until the whole range is.
    const qint64 step = stepMs(r.series);
    const qint64 last = answer.lastRowTime();
    const qint64 end = std::max(r.end, r.to);
    if (step > 0 && r.limit > 0 && answer.rows() >= r.limit && last + step < r.to && last + step > r.from)
        return page(r.series, r.instrument, last + step, end);
    if (r.series == RestSeries::OpenInterestHistory && r.to < end)
        return page(r.series, r.instrument, r.to, end);
    return std::nullopt;
}

RestRequest BinanceAdapter::page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const
{
    RestRequest r;
    r.series = series;
    r.instrument = instrument;
    r.from = from;
    r.to = to;
    r.end = to;
    r.query.addQueryItem(QStringLiteral("symbol"), instrument.symbol);
    switch (series) {
    case RestSeries::Candles:
    case RestSeries::MarkCandles: {
        r.path = series == RestSeries::Candles ? QStringLiteral("/fapi/v1/klines") : QStringLiteral("/fapi/v1/markPriceKlines");
        // Only the minutes asked for: a short gap costs weight 1, a backfill page weight 5.
        r.limit = int(std::clamp<qint64>((to - from + Timeframes::minuteMs - 1) / Timeframes::minuteMs, 1, klineLimit));
        r.weight = klineWeight(r.limit);
        r.query.addQueryItem(QStringLiteral("interval"), QStringLiteral("1m"));
        break;
    }
    case RestSeries::Funding:
        r.path = QStringLiteral("/fapi/v1/fundingRate");
        r.limit = fundingLimit;
        r.bucket = QStringLiteral("funding");
        break;
    case RestSeries::OpenInterestHistory:
        r.path = QStringLiteral("/futures/data/openInterestHist");
        r.limit = oiLimit;
        r.bucket = QStringLiteral("openInterestHist");
        r.to = std::min(to, from + oiLimit * oiPeriodMs);
        r.query.addQueryItem(QStringLiteral("period"), QStringLiteral("5m"));
        break;
    case RestSeries::OpenInterestNow:
        r.path = QStringLiteral("/fapi/v1/openInterest");
        return r;
    case RestSeries::ServerTime:
    case RestSeries::ExchangeInfo:
    case RestSeries::MarginTiers: return r; // leverageBracket is signed: not asked (the heatmap's default table is Binance's)
    }
    r.query.addQueryItem(QStringLiteral("startTime"), QString::number(from));
    r.query.addQueryItem(QStringLiteral("endTime"), QString::number(r.to - 1)); // inclusive on Binance
    r.query.addQueryItem(QStringLiteral("limit"), QString::number(r.limit));
    return r;
}

bool BinanceAdapter::parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(error, QStringLiteral("malformed JSON from %1 (%2 at byte %3)").arg(request.path, pe.errorString()).arg(pe.offset));
    const auto needArray = [&]() {
        if (!doc.isArray())
            return fail(error, QStringLiteral("%1 answered with %2, expected a JSON array").arg(request.path, doc.isObject() ? "an object" : "no array"));
        return true;
    };
    switch (request.series) {
    case RestSeries::ServerTime: {
        const auto t = integer(doc.object().value(QLatin1String("serverTime")));
        if (!t)
            return fail(error, QStringLiteral("%1 answered without serverTime").arg(request.path));
        page->serverTime = *t;
        return true;
    }
    case RestSeries::ExchangeInfo: {
        const QJsonObject o = doc.object();
        for (const QJsonValue &lv : o.value(QLatin1String("rateLimits")).toArray()) {
            const QJsonObject l = lv.toObject();
            if (l.value(QLatin1String("rateLimitType")).toString() != QLatin1String("REQUEST_WEIGHT"))
                continue;
            const QString unit = l.value(QLatin1String("interval")).toString();
            const qint64 unitMs = unit == QLatin1String("SECOND") ? 1000 : unit == QLatin1String("MINUTE") ? 60'000
                                : unit == QLatin1String("HOUR")   ? 3'600'000
                                                                  : dayMs;
            page->weightLimit = l.value(QLatin1String("limit")).toInt();
            page->weightWindowMs = unitMs * std::max(1, l.value(QLatin1String("intervalNum")).toInt());
        }
        for (const QJsonValue &sv : o.value(QLatin1String("symbols")).toArray()) {
            const QJsonObject s = sv.toObject();
            const QString type = s.value(QLatin1String("contractType")).toString();
            const QString status = s.value(QLatin1String("status")).toString();
            QString why;
            if (type != QLatin1String("PERPETUAL"))
                why = QStringLiteral("not a perpetual contract (%1)").arg(type);
            else if (status != QLatin1String("TRADING"))
                why = QStringLiteral("not trading (status %1)").arg(status);
            page->symbolStatus.insert(s.value(QLatin1String("symbol")).toString(), why);
        }
        if (page->symbolStatus.isEmpty())
            return fail(error, QStringLiteral("%1 lists no symbols").arg(request.path));
        return true;
    }
    case RestSeries::Candles:
    case RestSeries::MarkCandles: return needArray() && parseKlines(doc.array(), &page->candles, error);
    case RestSeries::Funding: return needArray() && parseFunding(doc.array(), &page->funding, error);
    case RestSeries::OpenInterestHistory: return needArray() && parseOpenInterestHistory(doc.array(), &page->openInterest, error);
    case RestSeries::OpenInterestNow: {
        const QJsonObject o = doc.object();
        const auto t = integer(o.value(QLatin1String("time")));
        const auto oi = number(o.value(QLatin1String("openInterest")));
        if (!t || !oi || !Plausibility::time(*t) || !Plausibility::size(*oi))
            return fail(error, QStringLiteral("%1 answered without time or openInterest").arg(request.path));
        page->openInterest.push_back({*t, *oi, 0});
        return true;
    }
    case RestSeries::MarginTiers: break; // never asked (marginTiers() is nullopt)
    }
    return fail(error, QStringLiteral("unknown request"));
}

RestVerdict BinanceAdapter::judge(int status, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64 serverNow) const
{
    RestVerdict v;
    const auto retryAfterMs = [&]() -> qint64 {
        const auto s = Numbers::parseInt(headers.value("retry-after"));
        return s && *s >= 0 ? std::min<qint64>(*s, 7 * 86400) * 1000 : 0; // capped at a week: no overflow
    };
    if (status >= 200 && status < 300)
        return v;
    v.message = QStringLiteral("HTTP %1: %2").arg(status).arg(bodyMessage(body));
    if (status == 429) {
        v.kind = RestVerdict::Kind::RateLimited;
        v.retryAfterMs = retryAfterMs();
    } else if (status == 418) {
        v.kind = RestVerdict::Kind::Banned;
        // The ban end: Retry-After, else data.retryAfter, else the epoch ms in msg.
        if (const qint64 after = retryAfterMs())
            v.bannedUntilMs = serverNow + after;
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        if (!v.bannedUntilMs)
            v.bannedUntilMs = integer(o.value(QLatin1String("data")).toObject().value(QLatin1String("retryAfter"))).value_or(0);
        if (!v.bannedUntilMs) {
            static const QRegularExpression epoch(QStringLiteral("(\\d{13})"));
            const auto m = epoch.match(o.value(QLatin1String("msg")).toString());
            if (m.hasMatch())
                v.bannedUntilMs = m.captured(1).toLongLong();
        }
    } else if (status == 451) {
        v.kind = RestVerdict::Kind::Restricted;
    } else if (status == 403) {
        // The WAF: back off hard.
        v.kind = RestVerdict::Kind::RateLimited;
        v.retryAfterMs = std::max<qint64>(retryAfterMs(), 120'000);
    } else if (status == 408 || status >= 500) {
        v.kind = RestVerdict::Kind::Retry;
    } else {
        v.kind = RestVerdict::Kind::Fatal;
    }
    return v;
}

std::optional<int> BinanceAdapter::usedWeight(const QHash<QByteArray, QByteArray> &headers) const
{
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        if (it.key().startsWith("x-mbx-used-weight-"))
            if (const auto w = Numbers::parseInt(it.value()); w && *w >= 0)
                return int(*w);
    return std::nullopt;
}

QUrl BinanceAdapter::streamUrl(const QList<Instrument> &instruments) const
{
    QStringList streams;
    for (const Instrument &i : instruments) {
        const QString s = i.symbol.toLower();
        streams << s + QStringLiteral("@kline_1m") << s + QStringLiteral("@markPrice@1s") << s + QStringLiteral("@forceOrder");
    }
    // The routed path: since 2026-04-23 the legacy /stream silently delivers no market data.
    QUrl url = m_urls.stream;
    url.setPath(url.path() + QStringLiteral("/market/stream"));
    url.setQuery(QStringLiteral("streams=") + streams.join(QLatin1Char('/')));
    return url;
}

bool BinanceAdapter::parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed stream message (%1)").arg(pe.error != QJsonParseError::NoError ? pe.errorString() : "not an object"));
    const QJsonObject top = doc.object();
    if (top.contains(QLatin1String("result")) || top.contains(QLatin1String("id")))
        return true; // a reply to SUBSCRIBE and the like
    const QJsonValue data = top.contains(QLatin1String("data")) ? top.value(QLatin1String("data")) : QJsonValue(top);
    const QJsonArray items = data.isArray() ? data.toArray() : QJsonArray{data};
    for (const QJsonValue &item : items) {
        const QJsonObject d = item.toObject();
        const QString event = d.value(QLatin1String("e")).toString();
        StreamUpdate u;
        u.eventTime = integer(d.value(QLatin1String("E"))).value_or(0);
        if (event == QLatin1String("kline")) {
            const QJsonObject k = d.value(QLatin1String("k")).toObject();
            if (k.value(QLatin1String("i")).toString() != QLatin1String("1m"))
                continue;
            const auto t = integer(k.value(QLatin1String("t")));
            const auto o = number(k.value(QLatin1String("o"))), h = number(k.value(QLatin1String("h"))),
                       l = number(k.value(QLatin1String("l"))), c = number(k.value(QLatin1String("c"))),
                       v = number(k.value(QLatin1String("v"))), q = number(k.value(QLatin1String("q"))),
                       tb = number(k.value(QLatin1String("V")));
            if (!t || !o || !h || !l || !c || !v || !q || !tb || *t % Timeframes::minuteMs || !Plausibility::time(*t)
                || !Plausibility::candle({*t, *o, *h, *l, *c, *v, *q, *tb}))
                return fail(error, QStringLiteral("kline message with missing or impossible fields"));
            u.type = StreamUpdate::Type::Candle;
            u.instrument = instrumentOf(d.value(QLatin1String("s")).toString());
            u.candle = {*t, *o, *h, *l, *c, *v, *q, *tb};
            u.closed = k.value(QLatin1String("x")).toBool();
        } else if (event == QLatin1String("markPriceUpdate")) {
            const auto p = number(d.value(QLatin1String("p")));
            const auto r = number(d.value(QLatin1String("r")));
            const auto next = integer(d.value(QLatin1String("T")));
            if (!p || !Plausibility::price(*p) || !u.eventTime || (r && !Plausibility::fundingRate(*r)))
                return fail(error, QStringLiteral("markPriceUpdate without a mark price or time"));
            u.type = StreamUpdate::Type::MarkPrice;
            u.instrument = instrumentOf(d.value(QLatin1String("s")).toString());
            u.markPrice = *p;
            u.fundingRate = r.value_or(0);
            u.nextFundingTime = next.value_or(0);
        } else if (event == QLatin1String("forceOrder")) {
            const QJsonObject o = d.value(QLatin1String("o")).toObject();
            const QString side = o.value(QLatin1String("S")).toString();
            auto price = number(o.value(QLatin1String("ap")));
            if (!price || *price <= 0)
                price = number(o.value(QLatin1String("p")));
            auto qty = number(o.value(QLatin1String("z")));
            if (!qty || *qty <= 0)
                qty = number(o.value(QLatin1String("q")));
            const auto t = integer(o.value(QLatin1String("T")));
            if ((side != QLatin1String("SELL") && side != QLatin1String("BUY")) || !price || !Plausibility::price(*price) || !qty
                || !Plausibility::positiveSize(*qty) || !t || !Plausibility::time(*t))
                return fail(error, QStringLiteral("forceOrder message with missing fields"));
            u.type = StreamUpdate::Type::Liquidation;
            u.instrument = instrumentOf(o.value(QLatin1String("s")).toString());
            // The ORDER side: a SELL order closes a long, so SELL = a long was liquidated.
            u.liquidation = {*t, 0, side == QLatin1String("SELL") ? Liquidation::Side::Long : Liquidation::Side::Short, *price, *qty, true};
        } else {
            continue; // aggTrade and anything newer: not used
        }
        updates->push_back(u);
    }
    return true;
}
