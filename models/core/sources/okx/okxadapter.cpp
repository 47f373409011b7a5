#include "okxadapter.h"

#include "okxpositiontiers.h"

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
constexpr qint64 windowMs = 2'000; // every OKX public limit is "N requests per 2 seconds" (§A.0)
// /market/candles and /market/mark-price-candles serve "the latest 1,440 entries": a window
// starting within this many minutes of the venue's clock is asked there (40 req / 2 s), older
// ones from history-* (20 req / 2 s). The margin keeps a slow backfill inside the reach.
constexpr qint64 recentMinutes = 1'440 - 120;
constexpr qint64 fundingLookbackMs = 24 * 3'600'000LL; // longer than any OKX funding interval

const QString pTime = QStringLiteral("/api/v5/public/time");
const QString pInstruments = QStringLiteral("/api/v5/public/instruments");
const QString pCandles = QStringLiteral("/api/v5/market/candles");
const QString pHistoryCandles = QStringLiteral("/api/v5/market/history-candles");
const QString pMark = QStringLiteral("/api/v5/market/mark-price-candles");
const QString pHistoryMark = QStringLiteral("/api/v5/market/history-mark-price-candles");
const QString pFunding = QStringLiteral("/api/v5/public/funding-rate-history");
const QString pOiHistory = QStringLiteral("/api/v5/rubik/stat/contracts/open-interest-history");
const QString pOiNow = QStringLiteral("/api/v5/public/open-interest");
const QString pTiers = QStringLiteral("/api/v5/public/position-tiers");

// Requests per 2 s per endpoint (research/data-formats-2.md §A.1-A.7).
const QList<QPair<QString, int>> &endpointLimits()
{
    static const QList<QPair<QString, int>> limits = {{pTime, 10},        {pInstruments, 20}, {pCandles, 40},  {pHistoryCandles, 20},
                                                      {pMark, 20},        {pHistoryMark, 20}, {pFunding, 10},  {pOiHistory, 10},
                                                      {pOiNow, 20},       {pTiers, 10}};
    return limits;
}

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

QString codeMessage(const QJsonObject &o)
{
    return QStringLiteral("code %1: %2").arg(o.value(QLatin1String("code")).toVariant().toString(), o.value(QLatin1String("msg")).toString());
}

QString bodyMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.contains(QLatin1String("code")))
        return codeMessage(o);
    const QString text = QString::fromUtf8(body.left(200)).simplified();
    return text.isEmpty() ? QStringLiteral("(empty body)") : text;
}

// OKX's code is a string ("0"); a number is accepted too. -1 when absent or not a number.
int codeOf(const QJsonObject &o)
{
    const QJsonValue v = o.value(QLatin1String("code"));
    if (v.isDouble())
        return v.toInt(-1);
    bool ok = false;
    const int c = v.toString().toInt(&ok);
    return ok ? c : -1;
}

// The exclusive `after`/`before` bounds for [from, to): after = to (rows older than to),
// before = from - 1 (rows newer than from - 1, i.e. from and later).
void window(RestRequest &r, const char *afterKey, const char *beforeKey, qint64 from, qint64 to)
{
    r.query.addQueryItem(QLatin1String(afterKey), QString::number(to));
    r.query.addQueryItem(QLatin1String(beforeKey), QString::number(from - 1));
}

// One candle row: [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm] (mark: [ts, o, h, l, c, confirm]).
// Volumes: volCcy is in coins and volCcyQuote in the quote currency (USD for inverse),
// so no contract conversion is needed; vol (contracts) is not stored.
bool parseCandle(const QJsonArray &r, bool mark, Candle *out, bool *confirmed, QString *error)
{
    const int want = mark ? 6 : 9;
    if (r.size() < want)
        return fail(error, QStringLiteral("a candle has %1 fields, expected %2").arg(r.size()).arg(want));
    const auto ts = integer(r[0]);
    const auto o = number(r[1]), h = number(r[2]), l = number(r[3]), c = number(r[4]);
    const auto v = mark ? std::optional<double>(0) : number(r[6]);
    const auto q = mark ? std::optional<double>(0) : number(r[7]);
    const QString confirm = r[mark ? 5 : 8].toString();
    if (!ts || !o || !h || !l || !c || !v || !q)
        return fail(error, QStringLiteral("a candle field is not a number"));
    if (confirm != QLatin1String("0") && confirm != QLatin1String("1"))
        return fail(error, QStringLiteral("a candle's confirm is '%1', expected \"0\" or \"1\"").arg(confirm));
    // OKX candles carry no taker-buy volume (unlike Binance): stored as 0, noted per instrument.
    *out = {*ts, *o, *h, *l, *c, *v, *q, 0};
    *confirmed = confirm == QLatin1String("1");
    if (*ts % Timeframes::minuteMs != 0 || !Plausibility::time(*ts) || !Plausibility::candle(*out))
        return fail(error, QStringLiteral("candle at %1 has impossible values").arg(TimeFormat::iso(*ts)));
    return true;
}

Instrument instrumentOf(const QString &instId)
{
    return {QStringLiteral("OKX"), instId.toUpper()};
}

// An interval in whole hours from a spacing in ms, or 0 when it is not one OKX uses.
int hoursOf(qint64 gapMs)
{
    const int hours = int((gapMs + FundingGrid::hourMs / 2) / FundingGrid::hourMs);
    return hours >= 1 && hours <= 24 && std::llabs(gapMs - hours * FundingGrid::hourMs) <= FundingGrid::toleranceMs ? hours : 0;
}

} // namespace

OkxAdapter::OkxAdapter()
    : OkxAdapter(Urls{})
{
}

OkxAdapter::OkxAdapter(Urls urls)
    : m_urls(std::move(urls))
{
}

const OkxContract *OkxAdapter::contract(const QString &instId) const
{
    const auto it = m_contracts.constFind(instId);
    return it == m_contracts.constEnd() ? nullptr : &it.value();
}

QString OkxAdapter::liquidationFeedNote() const
{
    return QStringLiteral("OKX liquidation-orders stream: a sample (OKX: \"doesn't represent the total number of liquidations\"), "
                          "not in chronological order, at the bankruptcy price; sizes converted from contracts with ctVal; "
                          "no history exists for gaps");
}

QHash<QString, QString> OkxAdapter::notes(const Instrument &i) const
{
    QHash<QString, QString> out{
        {QStringLiteral("open_interest_note.") + i.key(),
         QStringLiteral("OKX open interest: oiCcy (coins) and oiUsd as OKX reports them; history from rubik 5-minute statistics "
                        "(the latest 1,440 rows, about 5 days)")},
        {QStringLiteral("taker_buy_note.") + i.key(), QStringLiteral("OKX candles carry no taker-buy volume: not known (candles hold 0 there and no taker_buy coverage is recorded, so readers say unknown)")},
        {QStringLiteral("funding_note.") + i.key(),
         QStringLiteral("OKX funding: realizedRate of each settlement, interval = spacing of settlements (OKX shortens it when the cap is hit); "
                        "REST history reaches about three months")},
        {QStringLiteral("volume_note.") + i.key(), QStringLiteral("OKX candle volume: volCcy (coins) and volCcyQuote (quote currency), not contracts")}};
    if (const OkxContract *c = contract(i.symbol))
        out.insert(QStringLiteral("contract_value.") + i.key(), QStringLiteral("%1 %2 per contract (x%3, %4, settles %5)")
                                                                  .arg(QString::fromLatin1(Numbers::format(c->ctVal)), c->valueCurrency,
                                                                       QString::fromLatin1(Numbers::format(c->ctMult)),
                                                                       c->inverse ? QStringLiteral("inverse") : QStringLiteral("linear"), c->settleCurrency));
    return out;
}

std::optional<RestRequest> OkxAdapter::marginTiers(const Instrument &instrument) const
{
    return page(RestSeries::MarginTiers, instrument, 0, 0);
}

RestRequest OkxAdapter::serverTime() const
{
    RestRequest r;
    r.series = RestSeries::ServerTime;
    r.path = pTime;
    r.bucket = pTime;
    return r;
}

RestRequest OkxAdapter::exchangeInfo(const QList<Instrument> &) const
{
    // Every SWAP (about 250 rows): an instId OKX does not list would be answered with code
    // 51001, which reads like a broken request; absent from the list, it is "not listed".
    RestRequest r;
    r.series = RestSeries::ExchangeInfo;
    r.path = pInstruments;
    r.bucket = pInstruments;
    r.query.addQueryItem(QStringLiteral("instType"), QStringLiteral("SWAP"));
    return r;
}

void OkxAdapter::applyLimits(RequestBudget &budget, const RestPage &, double safety) const
{
    // No usage headers: each endpoint's count over 2 s is kept here (the budget applies
    // `safety` to buckets too); the weight limit is their sum, a ceiling that never binds first.
    int total = 0;
    for (const auto &[path, limit] : endpointLimits()) {
        budget.addBucket(path, limit, windowMs);
        total += limit;
    }
    budget.setWeightLimit(total, windowMs, safety);
}

qint64 OkxAdapter::pageSpanMs(RestSeries series) const
{
    return series == RestSeries::OpenInterestHistory ? oiLimit * oiPeriodMs
         : series == RestSeries::Funding             ? fundingLimit * 8 * FundingGrid::hourMs
         : series == RestSeries::MarkCandles         ? markLimit * Timeframes::minuteMs
                                                     : candleLimit * Timeframes::minuteMs;
}

qint64 OkxAdapter::historyReachMs(RestSeries series) const
{
    // rubik keeps the latest 1,440 rows: 5 days of 5-minute OI. Funding history reaches three
    // months (older settlements only from OKX's download module) but asking further is
    // harmless: the answer is simply shorter.
    return series == RestSeries::OpenInterestHistory ? 1'440 * oiPeriodMs - 10 * oiPeriodMs : 0;
}

RestRequest OkxAdapter::page(RestSeries series, const Instrument &instrument, qint64 from, qint64 to) const
{
    RestRequest r;
    r.series = series;
    r.instrument = instrument;
    r.from = from;
    r.to = to;
    r.end = to;
    switch (series) {
    case RestSeries::Candles:
    case RestSeries::MarkCandles: {
        const bool recent = m_clock > 0 && from >= m_clock - recentMinutes * Timeframes::minuteMs;
        if (series == RestSeries::Candles)
            r.path = recent ? pCandles : pHistoryCandles;
        else
            r.path = recent ? pMark : pHistoryMark;
        r.limit = series == RestSeries::Candles ? candleLimit : markLimit;
        r.query.addQueryItem(QStringLiteral("instId"), instrument.symbol);
        r.query.addQueryItem(QStringLiteral("bar"), QStringLiteral("1m"));
        window(r, "after", "before", from, to);
        break;
    }
    case RestSeries::Funding:
        // A day further back than the window: the settlement before its first one tells the
        // interval that first one closed (kept out of the page, parse() filters).
        r.path = pFunding;
        r.limit = fundingLimit;
        r.query.addQueryItem(QStringLiteral("instId"), instrument.symbol);
        window(r, "after", "before", from - fundingLookbackMs, to);
        break;
    case RestSeries::OpenInterestHistory:
        // rubik names its bounds end (older than) and begin (newer than).
        r.path = pOiHistory;
        r.limit = oiLimit;
        r.query.addQueryItem(QStringLiteral("instId"), instrument.symbol);
        r.query.addQueryItem(QStringLiteral("period"), QStringLiteral("5m"));
        window(r, "end", "begin", from, to);
        break;
    case RestSeries::OpenInterestNow:
        r.path = pOiNow;
        r.bucket = pOiNow;
        r.query.addQueryItem(QStringLiteral("instType"), QStringLiteral("SWAP"));
        r.query.addQueryItem(QStringLiteral("instId"), instrument.symbol);
        return r;
    case RestSeries::MarginTiers:
        // Isolated margin: the mode the heatmap's liquidation formula describes.
        r.path = pTiers;
        r.bucket = pTiers;
        r.query.addQueryItem(QStringLiteral("instType"), QStringLiteral("SWAP"));
        r.query.addQueryItem(QStringLiteral("tdMode"), QStringLiteral("isolated"));
        r.query.addQueryItem(QStringLiteral("instFamily"), OkxPositionTiers::familyOf(instrument.symbol));
        return r;
    case RestSeries::ServerTime:
    case RestSeries::ExchangeInfo: return r;
    }
    r.bucket = r.path;
    r.query.addQueryItem(QStringLiteral("limit"), QString::number(r.limit));
    return r;
}

std::optional<RestRequest> OkxAdapter::nextPage(const RestRequest &r, const RestPage &answer) const
{
    // Newest first, walking backwards: parse() puts the oldest row's time in nextCursor when
    // the page may have been cut (cappedPage rows or more) and rows older than it may remain.
    if (answer.nextCursor.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 oldest = answer.nextCursor.toLongLong(&ok);
    if (!ok || oldest <= r.from || oldest >= r.to)
        return std::nullopt; // no progress possible: stop rather than loop
    // Funding: the oldest row of a cut page comes again on the next one, where the settlement
    // before it is present and so is its interval (the store upserts the corrected row).
    const qint64 to = r.series == RestSeries::Funding ? oldest + 1 : oldest;
    if (to >= r.to)
        return std::nullopt;
    RestRequest next = page(r.series, r.instrument, r.from, to);
    next.cursor = answer.nextCursor;
    return next;
}

TimeRange OkxAdapter::fundingCovered(const RestRequest &r, const RestPage &answer) const
{
    // A page that may continue proves only its own span; the last one proves the window.
    const qint64 oldest = answer.nextCursor.isEmpty() ? r.from : answer.nextCursor.toLongLong();
    return {std::max(r.from, oldest), r.to};
}

bool OkxAdapter::parse(const RestRequest &request, const QByteArray &body, RestPage *page, QString *error) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed JSON from %1 (%2 at byte %3)").arg(request.path, pe.errorString()).arg(pe.offset));
    const QJsonObject top = doc.object();
    if (codeOf(top) != 0)
        return fail(error, QStringLiteral("%1 answered %2").arg(request.path, codeMessage(top)));
    if (!top.value(QLatin1String("data")).isArray())
        return fail(error, QStringLiteral("%1 answered without a data array").arg(request.path));
    const QJsonArray data = top.value(QLatin1String("data")).toArray();
    // Rows before the window or a walk that can go on: the cursor for nextPage().
    const auto cursor = [&](qsizetype rawRows, qint64 oldest) {
        if (rawRows >= cappedPage && oldest > request.from && oldest < request.to)
            page->nextCursor = QString::number(oldest);
    };
    switch (request.series) {
    case RestSeries::ServerTime: {
        const auto t = data.isEmpty() ? std::nullopt : integer(data.first().toObject().value(QLatin1String("ts")));
        if (!t || !Plausibility::time(*t))
            return fail(error, QStringLiteral("%1 answered without ts").arg(request.path));
        page->serverTime = *t;
        seen(*t);
        return true;
    }
    case RestSeries::ExchangeInfo: {
        for (const QJsonValue &v : data) {
            const QJsonObject s = v.toObject();
            const QString instId = s.value(QLatin1String("instId")).toString();
            if (instId.isEmpty())
                return fail(error, QStringLiteral("%1: an instrument without instId").arg(request.path));
            const QString type = s.value(QLatin1String("instType")).toString();
            const QString state = s.value(QLatin1String("state")).toString();
            const QString ctType = s.value(QLatin1String("ctType")).toString();
            OkxContract c;
            c.ctVal = number(s.value(QLatin1String("ctVal"))).value_or(0);
            c.ctMult = number(s.value(QLatin1String("ctMult"))).value_or(1);
            c.inverse = ctType == QLatin1String("inverse");
            c.valueCurrency = s.value(QLatin1String("ctValCcy")).toString();
            c.settleCurrency = s.value(QLatin1String("settleCcy")).toString();
            QString why;
            if (type != QLatin1String("SWAP"))
                why = QStringLiteral("not a perpetual swap (instType %1)").arg(type);
            else if (ctType != QLatin1String("linear") && ctType != QLatin1String("inverse"))
                why = QStringLiteral("unknown contract type '%1' (expected linear or inverse)").arg(ctType);
            else if (!c.isValid() || !std::isfinite(c.faceValue()))
                why = QStringLiteral("no usable contract value (ctVal '%1', ctMult '%2')")
                          .arg(s.value(QLatin1String("ctVal")).toString(), s.value(QLatin1String("ctMult")).toString());
            else if (state != QLatin1String("live"))
                why = QStringLiteral("not trading (state %1)").arg(state);
            if (c.isValid())
                m_contracts.insert(instId, c);
            page->symbolStatus.insert(instId, why);
        }
        return true; // absent: not listed (the client says so)
    }
    case RestSeries::Candles:
    case RestSeries::MarkCandles: {
        qint64 oldest = std::numeric_limits<qint64>::max();
        for (const QJsonValue &v : data) {
            Candle c;
            bool confirmed = false;
            if (!parseCandle(v.toArray(), request.series == RestSeries::MarkCandles, &c, &confirmed, error))
                return false;
            oldest = std::min(oldest, c.ts);
            seen(c.ts);
            // The bar still open (confirm "0") is not history: the stream or a later page has it.
            if (confirmed && c.ts >= request.from && c.ts < request.to)
                page->candles.push_back(c);
        }
        std::sort(page->candles.begin(), page->candles.end(), [](const Candle &a, const Candle &b) { return a.ts < b.ts; });
        page->candles.erase(std::unique(page->candles.begin(), page->candles.end(), [](const Candle &a, const Candle &b) { return a.ts == b.ts; }),
                            page->candles.end());
        cursor(data.size(), oldest);
        return true;
    }
    case RestSeries::Funding: {
        QVector<FundingSample> all; // the lookback rows too
        qint64 oldest = std::numeric_limits<qint64>::max();
        for (const QJsonValue &v : data) {
            const QJsonObject r = v.toObject();
            const auto t = integer(r.value(QLatin1String("fundingTime")));
            // realizedRate is what was charged; fundingRate the prediction it settled from.
            auto rate = number(r.value(QLatin1String("realizedRate")));
            if (!rate)
                rate = number(r.value(QLatin1String("fundingRate")));
            if (!t || !rate)
                return fail(error, QStringLiteral("a funding record lacks fundingTime or realizedRate"));
            if (!Plausibility::time(*t) || !Plausibility::fundingRate(*rate))
                return fail(error, QStringLiteral("a funding record has an impossible time or rate (%1)").arg(*rate));
            oldest = std::min(oldest, *t);
            all.push_back({FundingGrid::snap(*t), *rate, 0});
        }
        std::sort(all.begin(), all.end(), [](const FundingSample &a, const FundingSample &b) { return a.ts < b.ts; });
        all.erase(std::unique(all.begin(), all.end(), [](const FundingSample &a, const FundingSample &b) { return a.ts == b.ts; }), all.end());
        // The interval a settlement closes is the time since the previous one (OKX shortens
        // it, one level per settlement, while the rate sits at its cap). Only the oldest row
        // of a cut page has no predecessor here: the spacing to the next stands in, and the
        // next page, which starts at that row, corrects it; a lone row keeps 0 (the feed's
        // current interval).
        for (qsizetype i = 0; i < all.size(); ++i) {
            all[i].intervalHours = hoursOf(i > 0 ? all[i].ts - all[i - 1].ts : (all.size() > 1 ? all[1].ts - all[0].ts : 0));
            if (all[i].ts >= request.from && all[i].ts < request.to)
                page->funding.push_back(all[i]);
        }
        cursor(data.size(), oldest);
        return true;
    }
    case RestSeries::OpenInterestHistory: {
        qint64 oldest = std::numeric_limits<qint64>::max();
        for (const QJsonValue &v : data) {
            // [ts, oi (contracts), oiCcy (coins), oiUsd]
            const QJsonArray r = v.toArray();
            if (r.size() < 4)
                return fail(error, QStringLiteral("an open interest row has %1 fields, expected [ts, oi, oiCcy, oiUsd]").arg(r.size()));
            const auto t = integer(r[0]);
            const auto coins = number(r[2]);
            const auto usd = number(r[3]);
            if (!t || !coins || !usd || !Plausibility::time(*t) || !Plausibility::size(*coins) || !Plausibility::notional(*usd))
                return fail(error, QStringLiteral("an open interest row is not [ts, oi, oiCcy, oiUsd] with numbers"));
            oldest = std::min(oldest, *t);
            seen(*t);
            if (*t >= request.from && *t < request.to)
                page->openInterest.push_back({*t, *coins, *usd});
        }
        std::sort(page->openInterest.begin(), page->openInterest.end(),
                  [](const OpenInterestSample &a, const OpenInterestSample &b) { return a.ts < b.ts; });
        cursor(data.size(), oldest);
        return true;
    }
    case RestSeries::OpenInterestNow: {
        const QJsonObject o = data.isEmpty() ? QJsonObject() : data.first().toObject();
        const auto t = integer(o.value(QLatin1String("ts")));
        const auto coins = number(o.value(QLatin1String("oiCcy")));
        if (!t || !coins || !Plausibility::time(*t) || !Plausibility::size(*coins))
            return fail(error, QStringLiteral("%1 answered without ts or oiCcy").arg(request.path));
        seen(*t);
        // oiUsd missing or implausible: NaN, coins only, which the feed values at the price
        // (never $0 for "not known").
        const auto usd = number(o.value(QLatin1String("oiUsd")));
        page->openInterest.push_back({*t, *coins, usd && Plausibility::notional(*usd) ? *usd : std::numeric_limits<double>::quiet_NaN()});
        return true;
    }
    case RestSeries::MarginTiers: {
        const OkxContract *c = contract(request.instrument.symbol);
        return OkxPositionTiers::parse(data, request.instrument.symbol, c ? *c : OkxContract{}, 0, &page->marginTiers, &page->tiersInCoins,
                                       error);
    }
    }
    return fail(error, QStringLiteral("unknown request"));
}

RestVerdict OkxAdapter::judge(int status, const QHash<QByteArray, QByteArray> &headers, const QByteArray &body, qint64) const
{
    RestVerdict v;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const int code = o.contains(QLatin1String("code")) ? codeOf(o) : -1;
    if (status >= 200 && status < 300 && (code == 0 || !o.contains(QLatin1String("code"))))
        return v; // success, or no envelope: parse() says what is wrong
    v.message = status >= 200 && status < 300 ? bodyMessage(body) : QStringLiteral("HTTP %1: %2").arg(status).arg(bodyMessage(body));
    switch (code) {
    case 50011: // rate limit reached (HTTP 200 or 429): the 2 s window passes
    case 50013: // systems busy
        v.kind = RestVerdict::Kind::RateLimited;
        if (const auto s = Numbers::parseInt(headers.value("retry-after")); s && *s >= 0)
            v.retryAfterMs = std::min<qint64>(*s, 600) * 1000;
        else
            v.retryAfterMs = windowMs;
        return v;
    case 50001: // service temporarily unavailable
    case 50004: // endpoint request timeout
    case 50026: // system error
        v.kind = RestVerdict::Kind::Retry;
        return v;
    default: break;
    }
    if (status == 429) {
        v.kind = RestVerdict::Kind::RateLimited;
        const auto s = Numbers::parseInt(headers.value("retry-after"));
        v.retryAfterMs = s && *s >= 0 ? std::min<qint64>(*s, 600) * 1000 : windowMs;
    } else if (status == 451 || (status == 403 && (body.contains("country") || body.contains("region")))) {
        v.kind = RestVerdict::Kind::Restricted;
    } else if (status >= 500 || status == 408 || status == 0) {
        v.kind = RestVerdict::Kind::Retry;
    } else {
        v.kind = RestVerdict::Kind::Fatal; // 51000 parameter error, 51001 no such instrument, other 4xx
    }
    return v;
}

QUrl OkxAdapter::streamUrl(const QList<Instrument> &) const
{
    QUrl url = m_urls.stream;
    url.setPath(url.path() + QStringLiteral("/ws/v5/public"));
    return url;
}

QList<StreamEndpoint> OkxAdapter::streamEndpoints(const QList<Instrument> &instruments) const
{
    // Candles moved to /business (subscribing on /public answers 64001); the rest stays on
    // /public. liquidation-orders is subscribed by instType (one subscription for every SWAP:
    // the client keeps the instruments it follows).
    QUrl business = m_urls.stream;
    business.setPath(business.path() + QStringLiteral("/ws/v5/business"));
    QByteArray candles, pub;
    for (const Instrument &i : instruments) {
        const QByteArray id = i.symbol.toLatin1();
        candles += QByteArray(candles.isEmpty() ? "" : ",") + R"({"channel":"candle1m","instId":")" + id + R"("})";
        pub += QByteArray(pub.isEmpty() ? "" : ",") + R"({"channel":"mark-price","instId":")" + id + R"("},{"channel":"funding-rate","instId":")"
            + id + R"("},{"channel":"open-interest","instId":")" + id + R"("})";
    }
    pub += QByteArray(pub.isEmpty() ? "" : ",") + R"({"channel":"liquidation-orders","instType":"SWAP"})";
    return {StreamEndpoint{business, {R"({"id":"candles","op":"subscribe","args":[)" + candles + "]}"}},
            StreamEndpoint{streamUrl(instruments), {R"({"id":"public","op":"subscribe","args":[)" + pub + "]}"}}};
}

bool OkxAdapter::parseFundingPush(const QJsonObject &d, QList<StreamUpdate> *updates, QString *error) const
{
    const QString instId = d.value(QLatin1String("instId")).toString();
    const auto rate = number(d.value(QLatin1String("fundingRate")));
    const auto at = integer(d.value(QLatin1String("fundingTime")));
    const auto next = integer(d.value(QLatin1String("nextFundingTime")));
    const auto ts = integer(d.value(QLatin1String("ts")));
    if (instId.isEmpty() || !rate || !at || !ts || !Plausibility::fundingRate(*rate) || !Plausibility::time(*at) || !Plausibility::time(*ts))
        return fail(error, QStringLiteral("funding-rate message without instId, fundingRate, fundingTime or ts"));
    Live &live = m_live[instId];
    live.rate = *rate;
    live.fundingTime = *at;
    // The interval ending at fundingTime is not in the message; nextFundingTime - fundingTime
    // is the next one, the best published guess (OKX: "focus on the difference").
    live.intervalHours = next ? hoursOf(*next - *at) : 0;
    seen(*ts);
    if (live.mark <= 0)
        return true; // no mark price yet to carry it: the next mark-price push does
    StreamUpdate u;
    u.type = StreamUpdate::Type::MarkPrice;
    u.instrument = instrumentOf(instId);
    u.eventTime = std::max(*ts, live.markTs); // never before the mark sample it repeats
    u.markPrice = live.mark;
    u.fundingRate = live.rate;
    u.nextFundingTime = live.fundingTime;
    u.fundingIntervalHours = live.intervalHours;
    updates->push_back(u);
    return true;
}

bool OkxAdapter::parseStream(const QByteArray &message, QList<StreamUpdate> *updates, QString *error) const
{
    if (message == "pong")
        return true; // the answer to the text ping: a sign of life, nothing else
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(error, QStringLiteral("malformed stream message (%1)").arg(pe.error != QJsonParseError::NoError ? pe.errorString() : "not an object"));
    const QJsonObject top = doc.object();
    if (top.contains(QLatin1String("event"))) {
        const QString event = top.value(QLatin1String("event")).toString();
        if (event == QLatin1String("error"))
            return fail(error, QStringLiteral("OKX refused a request: %1").arg(codeMessage(top)));
        return true; // subscribe acknowledgements, notices (64008: reconnect soon; the watchdog and backoff handle the cut)
    }
    const QJsonObject arg = top.value(QLatin1String("arg")).toObject();
    const QString channel = arg.value(QLatin1String("channel")).toString();
    const QJsonArray data = top.value(QLatin1String("data")).toArray();
    if (channel.isEmpty() || !top.value(QLatin1String("data")).isArray())
        return fail(error, QStringLiteral("stream message without arg.channel or data"));
    if (channel == QLatin1String("candle1m")) {
        const QString instId = arg.value(QLatin1String("instId")).toString();
        if (instId.isEmpty())
            return fail(error, QStringLiteral("candle1m message without instId"));
        // A push may close one bar and open the next: every row counts.
        for (const QJsonValue &v : data) {
            StreamUpdate u;
            bool confirmed = false;
            if (!parseCandle(v.toArray(), false, &u.candle, &confirmed, error))
                return fail(error, QStringLiteral("candle1m: %1").arg(*error));
            u.type = StreamUpdate::Type::Candle;
            u.instrument = instrumentOf(instId);
            // OKX candle pushes carry no event time: the bar's open stands in (an older
            // open-bar snapshot arriving late stands until the next push, at most 1 s later).
            u.eventTime = u.candle.ts;
            u.closed = confirmed;
            seen(u.candle.ts);
            updates->push_back(u);
        }
        return true;
    }
    if (channel == QLatin1String("mark-price")) {
        for (const QJsonValue &v : data) {
            const QJsonObject d = v.toObject();
            const QString instId = d.value(QLatin1String("instId")).toString();
            const auto px = number(d.value(QLatin1String("markPx")));
            const auto ts = integer(d.value(QLatin1String("ts")));
            if (instId.isEmpty() || !px || !ts || !Plausibility::price(*px) || !Plausibility::time(*ts))
                return fail(error, QStringLiteral("mark-price message without instId, markPx or ts"));
            Live &live = m_live[instId];
            if (*ts < live.markTs)
                continue; // an older sample after a newer one
            live.mark = *px;
            live.markTs = *ts;
            seen(*ts);
            StreamUpdate u;
            u.type = StreamUpdate::Type::MarkPrice;
            u.instrument = instrumentOf(instId);
            u.eventTime = *ts;
            u.markPrice = *px;
            u.fundingRate = live.rate;
            u.nextFundingTime = live.fundingTime; // 0 until funding-rate spoke: no predicted row
            u.fundingIntervalHours = live.intervalHours;
            updates->push_back(u);
        }
        return true;
    }
    if (channel == QLatin1String("funding-rate")) {
        for (const QJsonValue &v : data)
            if (!parseFundingPush(v.toObject(), updates, error))
                return false;
        return true;
    }
    if (channel == QLatin1String("open-interest")) {
        for (const QJsonValue &v : data) {
            const QJsonObject d = v.toObject();
            const QString instId = d.value(QLatin1String("instId")).toString();
            const auto ts = integer(d.value(QLatin1String("ts")));
            auto coins = number(d.value(QLatin1String("oiCcy")));
            const auto contracts = number(d.value(QLatin1String("oi")));
            const OkxContract *c = contract(instId);
            const Live live = m_live.value(instId);
            if (!coins && contracts && c && live.mark > 0)
                coins = c->coins(*contracts, live.mark); // oiCcy missing: from contracts via ctVal
            if (instId.isEmpty() || !ts || !coins || !Plausibility::time(*ts) || !Plausibility::size(*coins))
                return fail(error, QStringLiteral("open-interest message without instId, ts or oiCcy"));
            seen(*ts);
            StreamUpdate u;
            u.type = StreamUpdate::Type::OpenInterest;
            u.instrument = instrumentOf(instId);
            u.eventTime = *ts;
            const auto usd = number(d.value(QLatin1String("oiUsd")));
            u.openInterest = {*ts, *coins, usd && Plausibility::notional(*usd) ? *usd : std::numeric_limits<double>::quiet_NaN()};
            updates->push_back(u);
        }
        return true;
    }
    if (channel == QLatin1String("liquidation-orders")) {
        for (const QJsonValue &v : data) {
            const QJsonObject d = v.toObject();
            const QString instId = d.value(QLatin1String("instId")).toString();
            const OkxContract *c = contract(instId);
            if (instId.isEmpty())
                return fail(error, QStringLiteral("liquidation-orders message without instId"));
            qint64 lastT = -1;
            int seq = 0;
            for (const QJsonValue &x : d.value(QLatin1String("details")).toArray()) {
                const QJsonObject e = x.toObject();
                const QString side = e.value(QLatin1String("side")).toString();
                const QString posSide = e.value(QLatin1String("posSide")).toString();
                const auto t = integer(e.value(QLatin1String("ts")));
                const auto px = number(e.value(QLatin1String("bkPx")));
                const auto sz = number(e.value(QLatin1String("sz")));
                if ((side != QLatin1String("buy") && side != QLatin1String("sell")) || !t || !Plausibility::time(*t) || !px
                    || !Plausibility::price(*px) || !sz || !Plausibility::positiveSize(*sz))
                    return fail(error, QStringLiteral("liquidation-orders detail without side, ts, bkPx or sz"));
                if (!c)
                    continue; // an instrument the list did not hold (all SWAPs come): not followed
                // The position side: posSide in hedge mode, else the opposite of the order side
                // (a forced sell closes a long).
                const bool longLiquidated = posSide == QLatin1String("long") || (posSide != QLatin1String("short") && side == QLatin1String("sell"));
                seq = *t == lastT ? seq + 1 : 0;
                lastT = *t;
                StreamUpdate u;
                u.type = StreamUpdate::Type::Liquidation;
                u.instrument = instrumentOf(instId);
                u.eventTime = *t;
                u.liquidation = {*t, seq, longLiquidated ? Liquidation::Side::Long : Liquidation::Side::Short, *px, c->coins(*sz, *px), true};
                updates->push_back(u);
            }
        }
        return true;
    }
    return true; // tickers, trades, books and other channels: not used
}
