#include "rowparsers.h"

#include "csvfields.h"
#include "domain/numbers.h"
#include "domain/plausibility.h"
#include "domain/timeframe.h"
#include "sources/fundinggrid.h"

#include <cmath>
#include <limits>

namespace {

constexpr qint64 minPlausibleMs = 1'000'000'000'000; // 2001-09-09: below, not epoch ms
constexpr qint64 maxPlausibleMs = Plausibility::maxTimeMs;

const QString decimal = QStringLiteral("a decimal number");
const QString positive = QStringLiteral("a positive decimal number");
const QString nonNegative = QStringLiteral("a decimal number >= 0");
const QString epochTime = QStringLiteral("epoch milliseconds (or microseconds) from 2009 to 2100");
const QString integer = QStringLiteral("an integer");

bool fail(RowProblem *p, int column, const QString &expected)
{
    p->column = column;
    p->expected = expected;
    return false;
}

bool fieldCount(const CsvFields &f, int exact, int atMost, RowProblem *p)
{
    if (f.size() < exact || f.size() > atMost)
        return fail(p, -1,
                    exact == atMost ? QStringLiteral("%1 fields, found %2").arg(exact).arg(f.size())
                                    : QStringLiteral("%1 to %2 fields, found %3").arg(exact).arg(atMost).arg(f.size()));
    return true;
}

bool num(const CsvFields &f, int i, double *out, RowProblem *p, const QString &expected = decimal)
{
    const auto v = Numbers::parse(f[i]);
    if (!v)
        return fail(p, i, expected);
    *out = *v;
    return true;
}

// A price: positive, and no higher than any market has traded (domain/plausibility.h).
bool pos(const CsvFields &f, int i, double *out, RowProblem *p)
{
    if (!num(f, i, out, p, positive) || !(*out > 0))
        return fail(p, i, positive);
    if (!Plausibility::price(*out))
        return fail(p, i, QStringLiteral("a price from %1 to %2").arg(Plausibility::minPrice).arg(Plausibility::maxPrice));
    return true;
}

// A size in coins (volume, open interest): >= 0 and below any market's.
bool nonNeg(const CsvFields &f, int i, double *out, RowProblem *p)
{
    if (!num(f, i, out, p, nonNegative) || !(*out >= 0))
        return fail(p, i, nonNegative);
    if (!Plausibility::size(*out))
        return fail(p, i, QStringLiteral("an amount at most %1").arg(Plausibility::maxSize));
    return true;
}

// An amount in quote currency (quote volume, open interest value).
bool notional(const CsvFields &f, int i, double *out, RowProblem *p)
{
    if (!num(f, i, out, p, nonNegative) || !(*out >= 0))
        return fail(p, i, nonNegative);
    if (!Plausibility::notional(*out))
        return fail(p, i, QStringLiteral("a value at most %1").arg(Plausibility::maxNotional));
    return true;
}

bool rate(const CsvFields &f, int i, double *out, RowProblem *p)
{
    if (!num(f, i, out, p))
        return false;
    if (!Plausibility::fundingRate(*out))
        return fail(p, i, QStringLiteral("a funding rate from -%1 to %1 per interval (venue caps are far lower)").arg(Plausibility::maxFundingRate));
    return true;
}

bool time(const CsvFields &f, int i, TimeColumn &tc, qint64 *out, RowProblem *p)
{
    const auto raw = Numbers::parseInt(f[i]);
    if (!raw)
        return fail(p, i, epochTime);
    const bool decided = tc.isDecided();
    const auto ms = tc.toMs(*raw);
    if (!ms)
        return fail(p, i, tc.isMicroseconds() ? QStringLiteral("epoch microseconds like the rows before")
                          : decided          ? epochTime
                                             : epochTime + TimeColumn::unitGuess(*raw));
    *out = *ms;
    return true;
}

bool msTime(const CsvFields &f, int i, qint64 *out, RowProblem *p)
{
    const auto v = Numbers::parseInt(f[i]);
    if (!v || !Plausibility::time(*v))
        return fail(p, i, QStringLiteral("epoch milliseconds from 2009 to 2100"));
    *out = *v;
    return true;
}

// OHLC consistency, as the store requires; with volume columns given (-1: none), what a bar
// of trades must satisfy: taker buys are part of the volume, and quote / volume is the bar's
// volume-weighted price, so it lies between low and high (a small margin for the rounding
// of the printed decimals). A poisoned volume or quote volume fails these.
bool checkBar(const Candle &c, int openCol, RowProblem *p, int volumeCol = -1, int quoteCol = -1, int takerCol = -1)
{
    if (c.high < c.low || c.high < c.open || c.high < c.close)
        return fail(p, openCol + 1, QStringLiteral("a high >= open, low and close"));
    if (c.low > c.open || c.low > c.close)
        return fail(p, openCol + 2, QStringLiteral("a low <= open, high and close"));
    if (volumeCol < 0)
        return true;
    if (c.takerBuyVolume > c.volume * (1 + 1e-9))
        return fail(p, takerCol, QStringLiteral("a taker buy volume <= volume"));
    if (c.volume == 0 && c.quoteVolume > 0)
        return fail(p, quoteCol, QStringLiteral("0 (the bar has no volume)"));
    if (c.volume > 0) {
        const double vwap = c.quoteVolume / c.volume;
        constexpr double margin = 1e-3;
        if (!(vwap >= c.low * (1 - margin) && vwap <= c.high * (1 + margin)))
            return fail(p, quoteCol, QStringLiteral("a quote volume / volume between low and high (a volume-weighted price)"));
    }
    return true;
}

bool boolText(QByteArrayView v, bool *out)
{
    const QByteArrayView t = v.trimmed();
    if (t.compare("true", Qt::CaseInsensitive) == 0 || t == "1")
        return *out = true, true;
    if (t.compare("false", Qt::CaseInsensitive) == 0 || t == "0")
        return *out = false, true;
    return false;
}

int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = int(y - era * 400);
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

} // namespace

QString TimeColumn::unitGuess(qint64 raw)
{
    // Seconds of 2009..2100 have 10 digits; nanoseconds of those years have 19.
    if (raw >= 1'230'000'000 && raw < 4'110'000'000)
        return QStringLiteral(" (it reads as epoch seconds)");
    if (raw >= 1'000'000'000'000'000'000)
        return QStringLiteral(" (it reads as epoch nanoseconds)");
    return {};
}

std::optional<qint64> TimeColumn::toMs(qint64 raw)
{
    if (m_divisor == 0) {
        if (raw >= 1'000'000'000'000'000 && raw < maxPlausibleMs * 1000)
            m_divisor = 1000;
        else if (raw >= minPlausibleMs && raw < maxPlausibleMs)
            m_divisor = 1;
        else
            return std::nullopt;
    }
    const qint64 ms = m_divisor == 1000 ? raw / 1000 : raw;
    if (!Plausibility::time(ms))
        return std::nullopt;
    return ms;
}

namespace RowParsers {

bool kline(const CsvFields &f, TimeColumn &tc, Candle *c, qint64 *intervalMs, RowProblem *p)
{
    qint64 closeTime = 0;
    if (!fieldCount(f, 12, 12, p) || !time(f, 0, tc, &c->ts, p) || !pos(f, 1, &c->open, p) || !pos(f, 2, &c->high, p)
        || !pos(f, 3, &c->low, p) || !pos(f, 4, &c->close, p) || !nonNeg(f, 5, &c->volume, p) || !time(f, 6, tc, &closeTime, p)
        || !notional(f, 7, &c->quoteVolume, p) || !nonNeg(f, 9, &c->takerBuyVolume, p))
        return false;
    // count (8), taker_buy_quote_volume (10) and ignore (11) are not stored: not parsed, so a
    // quirk there never costs a good bar.
    if (closeTime <= c->ts)
        return fail(p, 6, QStringLiteral("a close_time after open_time"));
    *intervalMs = closeTime + 1 - c->ts;
    if (c->ts % Timeframes::minuteMs != 0)
        return fail(p, 0, QStringLiteral("a bar open time on a whole minute"));
    return checkBar(*c, 1, p, 5, 7, 9);
}

bool aggTrade(const CsvFields &f, TimeColumn &tc, AggTrade *t, RowProblem *p)
{
    if (!fieldCount(f, 7, 8, p))
        return false;
    const auto id = Numbers::parseInt(f[0]);
    if (!id || *id < 0)
        return fail(p, 0, QStringLiteral("a non-negative integer id"));
    t->id = *id;
    if (!pos(f, 1, &t->price, p) || !nonNeg(f, 2, &t->qty, p))
        return false;
    if (!(t->qty > 0))
        return fail(p, 2, positive);
    if (!Numbers::parseInt(f[3]))
        return fail(p, 3, integer);
    if (!Numbers::parseInt(f[4]))
        return fail(p, 4, integer);
    if (!time(f, 5, tc, &t->ts, p))
        return false;
    bool buyerMaker = false;
    if (!boolText(f[6], &buyerMaker))
        return fail(p, 6, QStringLiteral("true or false"));
    t->takerBuy = !buyerMaker; // the buyer made the book: the taker sold
    return true;
}

bool fundingRate(const CsvFields &f, TimeColumn &tc, FundingSample *s, RowProblem *p)
{
    qint64 t = 0;
    if (!fieldCount(f, 3, 3, p) || !time(f, 0, tc, &t, p))
        return false;
    const auto hours = Numbers::parseInt(f[1]);
    if (!hours || *hours < 1 || *hours > 24)
        return fail(p, 1, QStringLiteral("a whole number of hours from 1 to 24"));
    if (!rate(f, 2, &s->rate, p))
        return false;
    s->ts = FundingGrid::snap(t);
    s->intervalHours = int(*hours);
    return true;
}

bool metrics(const CsvFields &f, OpenInterestSample *o, QByteArrayView *symbol, bool *empty, RowProblem *p)
{
    if (!fieldCount(f, 8, 8, p))
        return false;
    const auto t = utcDateTime(f[0]);
    if (!t)
        return fail(p, 0, QStringLiteral("a UTC time like 2024-01-01 00:05:00"));
    o->ts = *t;
    *symbol = f[1].trimmed();
    *empty = f[2].trimmed().isEmpty() && f[3].trimmed().isEmpty();
    if (*empty)
        return true;
    return nonNeg(f, 2, &o->openInterest, p) && notional(f, 3, &o->openInterestUsd, p);
}

bool ownCandle(const CsvFields &f, Candle *c, RowProblem *p, bool *takerBuyKnown)
{
    if (f.size() < 8)
        return fail(p, -1, QStringLiteral("at least 8 fields, found %1").arg(f.size()));
    const bool takerBuyEmpty = takerBuyKnown && f[7].trimmed().isEmpty();
    if (takerBuyKnown)
        *takerBuyKnown = !takerBuyEmpty;
    if (takerBuyEmpty)
        c->takerBuyVolume = 0;
    if (!msTime(f, 0, &c->ts, p) || !pos(f, 1, &c->open, p) || !pos(f, 2, &c->high, p) || !pos(f, 3, &c->low, p)
        || !pos(f, 4, &c->close, p) || !nonNeg(f, 5, &c->volume, p) || !notional(f, 6, &c->quoteVolume, p)
        || (!takerBuyEmpty && !nonNeg(f, 7, &c->takerBuyVolume, p)))
        return false;
    if (c->ts % Timeframes::minuteMs != 0)
        return fail(p, 0, QStringLiteral("a bar open time on a whole minute"));
    return checkBar(*c, 1, p, 5, 6, 7);
}

bool ownFunding(const CsvFields &f, FundingSample *s, RowProblem *p)
{
    if (f.size() < 3)
        return fail(p, -1, QStringLiteral("at least 3 fields, found %1").arg(f.size()));
    if (!msTime(f, 0, &s->ts, p) || !rate(f, 1, &s->rate, p))
        return false;
    const auto hours = Numbers::parseInt(f[2]);
    if (!hours || *hours < 1 || *hours > 24)
        return fail(p, 2, QStringLiteral("a whole number of hours from 1 to 24"));
    s->intervalHours = int(*hours);
    return true;
}

bool ownOpenInterest(const CsvFields &f, OpenInterestSample *o, RowProblem *p)
{
    if (f.size() < 3)
        return fail(p, -1, QStringLiteral("at least 3 fields, found %1").arg(f.size()));
    return msTime(f, 0, &o->ts, p) && nonNeg(f, 1, &o->openInterest, p) && notional(f, 2, &o->openInterestUsd, p);
}

bool ownLiquidation(const CsvFields &f, Liquidation *l, RowProblem *p)
{
    if (f.size() < 6)
        return fail(p, -1, QStringLiteral("at least 6 fields, found %1").arg(f.size()));
    if (!msTime(f, 0, &l->ts, p))
        return false;
    const auto side = Liquidation::parseSide(QString::fromLatin1(f[1].toByteArray()));
    if (!side)
        return fail(p, 1, QStringLiteral("long or short"));
    l->side = *side;
    if (!pos(f, 2, &l->price, p) || !nonNeg(f, 3, &l->qty, p))
        return false;
    if (!(l->qty > 0))
        return fail(p, 3, positive);
    const auto seq = Numbers::parseInt(f[4]);
    if (!seq || *seq < 0 || *seq > std::numeric_limits<int>::max())
        return fail(p, 4, QStringLiteral("a non-negative integer"));
    l->seq = int(*seq);
    bool inFeed = false;
    if (!boolText(f[5], &inFeed))
        return fail(p, 5, QStringLiteral("0 or 1"));
    l->inExchangeFeed = inFeed;
    return true;
}

std::optional<qint64> utcDateTime(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    if (t.size() != 19 || t[4] != '-' || t[7] != '-' || (t[10] != ' ' && t[10] != 'T') || t[13] != ':' || t[16] != ':')
        return std::nullopt;
    const char *s = t.data();
    const int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2), mi = digits(s + 14, 2),
              se = digits(s + 17, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
        return std::nullopt;
    static constexpr int monthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > monthDays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return std::nullopt;
    return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60'000LL + se * 1000LL;
}

} // namespace RowParsers
