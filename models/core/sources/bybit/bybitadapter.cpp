#include "bybitadapter.h"

#include "bybitrisklimits.h"

#include "domain/plausibility.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "sources/exchange/jsonnumbers.h"
#include "sources/exchange/requestbudget.h"
#include "sources/fundinggrid.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <limits>

using JsonNumbers::integer;
using JsonNumbers::number;

namespace {

constexpr qint64 oiPeriodMs = 5 * 60'000;
constexpr qint64 ipWindowMs = 5'000; // 600 requests per 5 s per IP (§5.0)
constexpr int ipLimit = 600;
constexpr qint64 fundingLookbackMs = 24 * 3'600'000LL; // longer than any Bybit funding interval

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

QString field(const char *name)
{
    return QString::fromLatin1(name);
}

Instrument instrumentOf(const QString &symbol)
{
    return {QStringLiteral("BYBIT"), symbol.toUpper()};
}

// One kline row: [start, open, high, low, close, volume, turnover] (mark price: five fields).
bool parseKline(const QJsonArray &r, bool mark, Candle *out, QString *error)
{
    if (r.size() < (mark ? 5 : 7))
        return fail(error, QStringLiteral("a kline has %1 fields, expected %2").arg(r.size()).arg(mark ? 5 : 7));
    const auto ts = integer(r[0]);
    const auto o = number(r[1]), h = number(r[2]), l = number(r[3]), c = number(r[4]);
    const auto v = mark ? std::optional<double>(0) : number(r[5]);
    const auto q = mark ? std::optional<double>(0) : number(r[6]);
    if (!ts || !o || !h || !l || !c || !v || !q)
        return fail(error, QStringLiteral("a kline field is not a number"));
    // Bybit klines have no taker-buy volume (unlike Binance): stored as 0, noted per instrument.
    *out = {*ts, *o, *h, *l, *c, *v, *q, 0};
    if (*ts % Timeframes::minuteMs != 0 || !Plausibility::time(*ts) || !Plausibility::candle(*out))
        return fail(error, QStringLiteral("kline at %1 has impossible values").arg(TimeFormat::iso(*ts)));
    return true;
}

// One side of the open interest: singleOpenInterest where Bybit sends it (since 2026-06);
// before, openInterest is documented as both sides (2 x single in every row that has both).
std::optional<double> oneSide(const QJsonObject &o, const char *single, const char *both)
{
    if (const auto s = number(o.value(QLatin1String(single))))
        return *s;
    if (const auto b = number(o.value(QLatin1String(both))))
        return *b / 2;
    return std::nullopt;
}

QString bodyMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.contains(QLatin1String("retMsg")))
        return QStringLiteral("retCode %1: %2").arg(o.value(QLatin1String("retCode")).toVariant().toString(), o.value(QLatin1String("retMsg")).toString());
    const QString text = QString::fromUtf8(body.left(200)).simplified();
    return text.isEmpty() ? QStringLiteral("(empty body)") : text;
}

} // namespace

BybitAdapter::BybitAdapter()
    : BybitAdapter(Urls{})
{
}

BybitAdapter::BybitAdapter(Urls urls)
    : m_urls(std::move(urls))
{
}

QString BybitAdapter::liquidationFeedNote() const
{
    return QStringLiteral("Bybit allLiquidation stream: every liquidation, at the bankruptcy price; no history exists for gaps");
}

QHash<QString, QString> BybitAdapter::notes(const Instrument &i) const
{
    return {{QStringLiteral("open_interest_note.") + i.key(),
             QStringLiteral("Bybit open interest is one side (singleOpenInterest; older rows openInterest / 2, which Bybit documents "
                            "as both sides), in coins, valued in USD at the 1m bar opening at its time")},
            {QStringLiteral("taker_buy_note.") + i.key(), QStringLiteral("Bybit klines carry no taker-buy volume: not known (candles hold 0 there and no taker_buy coverage is recorded, so readers say unknown)")}};
}

RestRequest BybitAdapter::serverTime() const
{
    RestRequest r;
    r.series = RestSeries::ServerTime;
    r.path = QStringLiteral("/v5/market/time");
    return r;
}

std::optional<RestRequest> BybitAdapter::marginTiers(const Instrument &instrument) const
{
    return page(RestSeries::MarginTiers, instrument, 0, 0);
}

RestRequest BybitAdapter::exchangeInfo(const QList<Instrument> &instruments) const
{
    RestRequest r;
    r.series = RestSeries::ExchangeInfo;
    r.path = QStringLiteral("/v5/market/instruments-info");
    r.query.addQueryItem(QStringLiteral("category"), QStringLiteral("linear"));
    if (instruments.size() == 1)
        r.query.addQueryItem(QStringLiteral("symbol"), instruments.front().symbol);
    else
        r.query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
    return r;
}

void BybitAdapter::applyLimits(RequestBudget &budget, const RestPage &, double safety) const
{
    // Public endpoints answer no usage headers: the client counts its own requests against
    // the documented IP limit (a breach is a 403 and a 10-minute lock-out).
    budget.setWeightLimit(ipLimit, ipWindowMs, safety);
}

qint64 BybitAdapter::pageSpanMs(RestSeries series) const
{
    return series == RestSeries::OpenInterestHistory ? oiLimit * oiPeriodMs
         : series == RestSeries::Funding             ? fundingLimit * 8 * 3'600'000LL
                                                     : klineLimit * Timeframes::minuteMs;
}

RestRequest BybitAdapter::page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const
{
    RestRequest r;
    r.series = series;
    r.instrument = instrument;
    r.from = from;
    r.to = to;
    r.end = to;
    r.query.addQueryItem(QStringLiteral("category"), QStringLiteral("linear"));
    r.query.addQueryItem(QStringLiteral("symbol"), instrument.symbol);
    switch (series) {
    case RestSeries::Candles:
    case RestSeries::MarkCandles: {
        // Exact windows of at most 1000 minutes, oldest window first: a newest-first list then
        // holds the whole window, and which end a full page kept is never in question (§5.1).
        r.path = series == RestSeries::Candles ? QStringLiteral("/v5/market/kline") : QStringLiteral("/v5/market/mark-price-kline");
        r.limit = int(std::clamp<qint64>((to - from + Timeframes::minuteMs - 1) / Timeframes::minuteMs, 1, klineLimit));
        r.to = std::min(to, from + r.limit * Timeframes::minuteMs);
        r.query.addQueryItem(QStringLiteral("interval"), QStringLiteral("1"));
        r.query.addQueryItem(QStringLiteral("start"), QString::number(from));
        r.query.addQueryItem(QStringLiteral("end"), QString::number(r.to - 1));
        break;
    }
    case RestSeries::Funding:
        // Newest first, walking backwards; startTime alone is refused, so both ends go. A day
        // further back than the window: the settlement before its first one tells the interval
        // that first one closed (kept out of the page, parse() filters).
        r.path = QStringLiteral("/v5/market/funding/history");
        r.limit = fundingLimit;
        r.query.addQueryItem(QStringLiteral("startTime"), QString::number(from - fundingLookbackMs));
        r.query.addQueryItem(QStringLiteral("endTime"), QString::number(to - 1));
        break;
    case RestSeries::OpenInterestHistory:
        r.path = QStringLiteral("/v5/market/open-interest");
        r.limit = oiLimit;
        r.query.addQueryItem(QStringLiteral("intervalTime"), QStringLiteral("5min"));
        r.query.addQueryItem(QStringLiteral("startTime"), QString::number(from));
        r.query.addQueryItem(QStringLiteral("endTime"), QString::number(to - 1));
        break;
    case RestSeries::OpenInterestNow: r.path = QStringLiteral("/v5/market/tickers"); return r;
    case RestSeries::MarginTiers: r.path = QStringLiteral("/v5/market/risk-limit"); return r; // one symbol: no cursor
    case RestSeries::ServerTime:
    case RestSeries::ExchangeInfo: return r;
    }
    r.query.addQueryItem(QStringLiteral("limit"), QString::number(r.limit));
    return r;
}

std::optional<RestRequest> BybitAdapter::nextPage(const RestRequest &r, const RestPage &answer) const
{
    switch (r.series) {
    case RestSeries::Candles:
    case RestSeries::MarkCandles:
        if (r.to < r.end)
            return page(r.series, r.instrument, r.to, r.end);
        return std::nullopt;
    case RestSeries::Funding: {
        // A full page holds the newest 200 (parse() puts the oldest one's time in nextCursor):
        // the rest lies before it. The oldest row comes again on the next page, where the
        // settlement before it is present and so is its interval (the store upserts it).
        bool ok = false;
        const qint64 oldest = answer.nextCursor.toLongLong(&ok);
        if (!ok || oldest <= r.from || oldest + 1 >= r.to)
            return std::nullopt;
        return page(r.series, r.instrument, r.from, oldest + 1);
    }
    case RestSeries::OpenInterestHistory: {
        if (answer.nextCursor.isEmpty() || answer.openInterest.isEmpty())
            return std::nullopt;
        RestRequest next = r;
        next.attempt = 0;
        next.cursor = answer.nextCursor;
        next.query.removeAllQueryItems(QStringLiteral("cursor"));
        // Sent as received (URL-encoded), as Bybit's SDKs do.
        next.query.addQueryItem(QStringLiteral("cursor"), answer.nextCursor);
        return next;
    }
    default: return std::nullopt;
    }
}

TimeRange BybitAdapter::fundingCovered(const RestRequest &r, const RestPage &answer) const
{
    // A cut page (nextCursor: its oldest row's time) proves only what lies after its oldest
    // row; an uncut one, the whole window (no settlement since).
    bool ok = false;
    const qint64 oldest = answer.nextCursor.toLongLong(&ok);
    return {ok && oldest > r.from ? oldest : r.from, r.to};
}

bool BybitAdapter::parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed JSON from %1 (%2 at byte %3)").arg(request.path, pe.errorString()).arg(pe.offset));
    const QJsonObject top = doc.object();
    if (top.value(QLatin1String("retCode")).toInt(-1) != 0)
        return fail(error, QStringLiteral("%1 answered %2").arg(request.path, bodyMessage(body)));
    const QJsonObject result = top.value(QLatin1String("result")).toObject();
    const QJsonArray list = result.value(QLatin1String("list")).toArray();
    switch (request.series) {
    case RestSeries::ServerTime: {
        auto t = integer(top.value(QLatin1String("time")));
        if (!t)
            if (const auto s = integer(result.value(QLatin1String("timeSecond"))); s && *s > 0 && *s < 100'000'000'000LL)
                t = *s * 1000; // a bounded second count: a huge one would overflow as ms
        if (!t)
            return fail(error, QStringLiteral("%1 answered without time").arg(request.path));
        page->serverTime = *t;
        return true;
    }
    case RestSeries::ExchangeInfo: {
        for (const QJsonValue &v : list) {
            const QJsonObject s = v.toObject();
            const QString symbol = s.value(QLatin1String("symbol")).toString();
            const QString type = s.value(QLatin1String("contractType")).toString();
            const QString status = s.value(QLatin1String("status")).toString();
            QString why;
            if (type != QLatin1String("LinearPerpetual"))
                why = QStringLiteral("not a linear perpetual contract (%1)").arg(type);
            else if (status != QLatin1String("Trading"))
                why = QStringLiteral("not trading (status %1)").arg(status);
            page->symbolStatus.insert(symbol, why);
            if (const auto minutes = integer(s.value(QLatin1String("fundingInterval"))); minutes && *minutes >= 60 && *minutes % 60 == 0)
                page->fundingIntervalHours.insert(symbol, int(*minutes / 60));
        }
        return true; // an empty list: the symbol is not listed (the client says so)
    }
    case RestSeries::Candles:
    case RestSeries::MarkCandles: {
        for (const QJsonValue &v : list) {
            Candle c;
            if (!parseKline(v.toArray(), request.series == RestSeries::MarkCandles, &c, error))
                return false;
            if (c.ts >= request.from && c.ts < request.to) // a server may answer beyond the window
                page->candles.push_back(c);
        }
        std::sort(page->candles.begin(), page->candles.end(), [](const Candle &a, const Candle &b) { return a.ts < b.ts; });
        return true;
    }
    case RestSeries::Funding: {
        QVector<FundingSample> all; // the window and the day before it
        for (const QJsonValue &v : list) {
            const QJsonObject r = v.toObject();
            const auto t = integer(r.value(QLatin1String("fundingRateTimestamp")));
            const auto rate = number(r.value(QLatin1String("fundingRate")));
            if (!t || !rate)
                return fail(error, QStringLiteral("a funding record lacks fundingRateTimestamp or fundingRate"));
            if (!Plausibility::time(*t) || !Plausibility::fundingRate(*rate))
                return fail(error, QStringLiteral("a funding record has an impossible time or rate (%1)").arg(*rate));
            all.push_back({FundingGrid::snap(*t), *rate, 0}); // interval: below
        }
        std::sort(all.begin(), all.end(), [](const FundingSample &a, const FundingSample &b) { return a.ts < b.ts; });
        all.erase(std::unique(all.begin(), all.end(), [](const FundingSample &a, const FundingSample &b) { return a.ts == b.ts; }), all.end());
        if (request.limit > 0 && list.size() >= request.limit && !all.isEmpty())
            page->nextCursor = QString::number(all.front().ts); // cut: older rows may remain
        // The interval a settlement closes is the time since the previous one (Bybit varies it
        // per symbol and shortens it when the cap is hit). The spacing to the next row is not
        // it: a row without a predecessor here (the first settlement of a listing, or the
        // oldest of a cut page, which comes again) keeps 0 = the interval the instrument list
        // gave (InstrumentFeed fills it in).
        for (qsizetype i = 0; i < all.size(); ++i) {
            const qint64 gap = i > 0 ? all[i].ts - all[i - 1].ts : 0;
            const int hours = int((gap + FundingGrid::hourMs / 2) / FundingGrid::hourMs);
            if (hours >= 1 && hours <= 24)
                all[i].intervalHours = hours;
            if (all[i].ts >= request.from && all[i].ts < request.to)
                page->funding.push_back(all[i]);
        }
        return true;
    }
    case RestSeries::OpenInterestHistory: {
        for (const QJsonValue &v : list) {
            const QJsonObject r = v.toObject();
            const auto t = integer(r.value(QLatin1String("timestamp")));
            const auto oi = oneSide(r, "singleOpenInterest", "openInterest");
            if (!t || !oi || !Plausibility::time(*t) || !Plausibility::size(*oi))
                return fail(error, QStringLiteral("an open interest record lacks timestamp or openInterest"));
            // Coins only: the feed values it at the price of its minute.
            page->openInterest.push_back({*t, *oi, std::numeric_limits<double>::quiet_NaN()});
        }
        std::sort(page->openInterest.begin(), page->openInterest.end(),
                  [](const OpenInterestSample &a, const OpenInterestSample &b) { return a.ts < b.ts; });
        page->nextCursor = result.value(QLatin1String("nextPageCursor")).toString();
        return true;
    }
    case RestSeries::OpenInterestNow: {
        const QJsonObject t = list.isEmpty() ? QJsonObject() : list.first().toObject();
        const auto time = integer(top.value(QLatin1String("time")));
        const auto oi = oneSide(t, "singleOpenInterest", "openInterest");
        if (!time || !oi || !Plausibility::time(*time) || !Plausibility::size(*oi))
            return fail(error, QStringLiteral("%1 answered without time or openInterest").arg(request.path));
        page->openInterest.push_back({*time, *oi, 0});
        return true;
    }
    case RestSeries::MarginTiers: {
        if (!result.value(QLatin1String("list")).isArray())
            return fail(error, QStringLiteral("%1 answered without result.list").arg(request.path));
        const auto time = integer(top.value(QLatin1String("time")));
        if (!BybitRiskLimits::parse(list, request.instrument.symbol, time && Plausibility::time(*time) ? *time : 0, &page->marginTiers, error))
            return false;
        return true;
    }
    }
    return fail(error, QStringLiteral("unknown request"));
}

RestVerdict BybitAdapter::judge(int status, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64 serverNow) const
{
    RestVerdict v;
    const auto resetWait = [&]() -> qint64 {
        // X-Bapi-Limit-Reset-Timestamp (ms) when the venue sends it; else pybit's 2 s.
        const auto reset = Numbers::parseInt(headers.value("x-bapi-limit-reset-timestamp"));
        return reset && *reset > serverNow ? std::min<qint64>(*reset - serverNow, 600'000) : 2'000;
    };
    if (status >= 200 && status < 300) {
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        if (!o.contains(QLatin1String("retCode")))
            return v; // no envelope: parse() says what is wrong
        const int code = o.value(QLatin1String("retCode")).toInt(-1);
        if (code == 0)
            return v;
        v.message = bodyMessage(body);
        switch (code) {
        case 10006: // too many visits
        case 10018:
        case 10429: // system-level frequency protection
            v.kind = RestVerdict::Kind::RateLimited;
            v.retryAfterMs = resetWait();
            break;
        case 10016: v.kind = RestVerdict::Kind::Retry; break; // server error, restarting
        default: v.kind = RestVerdict::Kind::Fatal; break;    // 10001 parameter error, 10017 no route, ...
        }
        return v;
    }
    v.message = QStringLiteral("HTTP %1: %2").arg(status).arg(bodyMessage(body));
    if (status == 403) {
        // The IP limit (wait >= 10 minutes) or a blocked country (CloudFront's HTML page).
        if (body.contains("country") || body.contains("region")) {
            v.kind = RestVerdict::Kind::Restricted;
        } else {
            v.kind = RestVerdict::Kind::RateLimited;
            v.retryAfterMs = 600'000;
        }
    } else if (status == 429) {
        v.kind = RestVerdict::Kind::RateLimited;
        const auto s = Numbers::parseInt(headers.value("retry-after"));
        v.retryAfterMs = s && *s >= 0 ? std::min<qint64>(*s, 7 * 86400) * 1000 : resetWait(); // capped: no overflow
    } else if (status >= 500 || status == 408) {
        v.kind = RestVerdict::Kind::Retry;
    } else {
        v.kind = RestVerdict::Kind::Fatal;
    }
    return v;
}

QUrl BybitAdapter::streamUrl(const QList<Instrument> &) const
{
    QUrl url = m_urls.stream;
    url.setPath(url.path() + QStringLiteral("/v5/public/linear"));
    return url;
}

QList<QByteArray> BybitAdapter::subscribeMessages(const QList<Instrument> &instruments) const
{
    QList<QByteArray> out;
    int id = 0;
    for (const Instrument &i : instruments) {
        const QByteArray s = i.symbol.toLatin1();
        out << R"({"req_id":"sub-)" + QByteArray::number(++id) + R"(","op":"subscribe","args":["kline.1.)" + s + R"(","tickers.)" + s
                   + R"(","allLiquidation.)" + s + R"("]})";
    }
    return out;
}

bool BybitAdapter::parseTicker(const QJsonObject &top, QList<StreamUpdate> *updates, QString *error) const
{
    const QJsonObject d = top.value(QLatin1String("data")).toObject();
    const QString symbol = d.value(QLatin1String("symbol")).toString();
    if (symbol.isEmpty())
        return fail(error, QStringLiteral("tickers message without a symbol"));
    QJsonObject &state = m_tickers[symbol];
    if (top.value(QLatin1String("type")).toString() == QLatin1String("snapshot"))
        state = d;
    else if (state.isEmpty())
        return true; // a delta before its snapshot (a late message of an old socket): nothing to merge into
    else
        for (auto it = d.begin(); it != d.end(); ++it)
            state.insert(it.key(), it.value());
    if (!d.contains(QLatin1String("markPrice")) && !d.contains(QLatin1String("fundingRate")) && !d.contains(QLatin1String("nextFundingTime")))
        return true; // only the book or 24 h figures changed
    const auto mark = number(state.value(QLatin1String("markPrice")));
    const auto rate = number(state.value(QLatin1String("fundingRate")));
    const auto next = integer(state.value(QLatin1String("nextFundingTime")));
    const auto ts = integer(top.value(QLatin1String("ts")));
    if (!mark || !Plausibility::price(*mark) || !ts || !Plausibility::time(*ts) || (rate && !Plausibility::fundingRate(*rate)))
        return fail(error, QStringLiteral("tickers message without a mark price or time"));
    StreamUpdate u;
    u.type = StreamUpdate::Type::MarkPrice;
    u.instrument = instrumentOf(symbol);
    u.eventTime = *ts;
    u.markPrice = *mark;
    u.fundingRate = rate.value_or(0);
    u.nextFundingTime = rate ? next.value_or(0) : 0; // no rate, no predicted funding
    updates->push_back(u);
    return true;
}

bool BybitAdapter::parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed stream message (%1)").arg(pe.error != QJsonParseError::NoError ? pe.errorString() : "not an object"));
    const QJsonObject top = doc.object();
    if (top.contains(QLatin1String("op"))) {
        // Replies: subscribe acknowledgements and pongs ({"op":"ping","ret_msg":"pong"}).
        if (top.value(QLatin1String("op")).toString() == QLatin1String("subscribe") && !top.value(QLatin1String("success")).toBool())
            return fail(error, QStringLiteral("Bybit refused the subscription: %1").arg(top.value(QLatin1String("ret_msg")).toString()));
        return true;
    }
    const QString topic = top.value(QLatin1String("topic")).toString();
    const auto ts = integer(top.value(QLatin1String("ts")));
    if (topic.isEmpty() || !ts)
        return fail(error, QStringLiteral("stream message without topic or ts"));
    if (topic.startsWith(QLatin1String("tickers.")))
        return parseTicker(top, updates, error);
    if (topic.startsWith(QLatin1String("kline.1."))) {
        const Instrument i = instrumentOf(topic.mid(8));
        // At a minute boundary one message holds the closing bar and the new one.
        for (const QJsonValue &v : top.value(QLatin1String("data")).toArray()) {
            const QJsonObject k = v.toObject();
            const auto t = integer(k.value(QLatin1String("start")));
            const auto o = number(k.value(field("open"))), h = number(k.value(field("high"))), l = number(k.value(field("low"))),
                       c = number(k.value(field("close"))), vol = number(k.value(field("volume"))), q = number(k.value(field("turnover")));
            if (!t || !o || !h || !l || !c || !vol || !q || *t % Timeframes::minuteMs || !Plausibility::time(*t)
                || !Plausibility::candle({*t, *o, *h, *l, *c, *vol, *q, 0}) || !k.value(field("confirm")).isBool())
                return fail(error, QStringLiteral("kline message with missing or impossible fields"));
            StreamUpdate u;
            u.type = StreamUpdate::Type::Candle;
            u.instrument = i;
            u.eventTime = *ts;
            u.candle = {*t, *o, *h, *l, *c, *vol, *q, 0};
            u.closed = k.value(field("confirm")).toBool();
            updates->push_back(u);
        }
        return true;
    }
    if (topic.startsWith(QLatin1String("allLiquidation."))) {
        qint64 lastT = -1;
        int seq = 0;
        for (const QJsonValue &v : top.value(QLatin1String("data")).toArray()) {
            const QJsonObject d = v.toObject();
            const QString side = d.value(QLatin1String("S")).toString();
            const auto t = integer(d.value(QLatin1String("T")));
            const auto price = number(d.value(QLatin1String("p")));
            const auto qty = number(d.value(QLatin1String("v")));
            if ((side != QLatin1String("Buy") && side != QLatin1String("Sell")) || !t || !Plausibility::time(*t) || !price
                || !Plausibility::price(*price) || !qty || !Plausibility::positiveSize(*qty))
                return fail(error, QStringLiteral("allLiquidation message with missing fields"));
            // Several prints in one millisecond: seq keeps them apart (the natural key is (ts, seq)).
            seq = *t == lastT ? seq + 1 : 0;
            lastT = *t;
            StreamUpdate u;
            u.type = StreamUpdate::Type::Liquidation;
            u.instrument = instrumentOf(d.value(QLatin1String("s")).toString());
            u.eventTime = *ts;
            // The POSITION side: Buy = a long position was liquidated.
            u.liquidation = {*t, seq, side == QLatin1String("Buy") ? Liquidation::Side::Long : Liquidation::Side::Short, *price, *qty, true};
            updates->push_back(u);
        }
        return true;
    }
    return true; // publicTrade and other topics: not used
}
