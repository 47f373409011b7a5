#include "aggregatereader.h"

#include "storereader.h"

#include <QMap>
#include <limits>
#include <algorithm>
#include <cmath>

namespace {

// Where a member's sorted rows stand at a time t that only grows: the last row at or before t.
template<typename T>
struct Cursor
{
    const QVector<T> *rows = nullptr;
    qsizetype pos = -1;
    const T *at(qint64 t)
    {
        while (pos + 1 < rows->size() && (*rows)[pos + 1].ts <= t)
            ++pos;
        return pos >= 0 ? &(*rows)[pos] : nullptr;
    }
};

template<typename T>
QVector<qint64> unionTimes(const QVector<QVector<T>> &per, TimeRange range)
{
    QVector<qint64> ts;
    for (const auto &rows : per)
        for (const T &r : rows)
            if (range.contains(r.ts))
                ts.push_back(r.ts);
    std::sort(ts.begin(), ts.end());
    ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
    return ts;
}

double per8h(double rate, int intervalHours)
{
    return rate * 8.0 / std::max(1, intervalHours);
}

qint64 fundingInForceMs(int intervalHours)
{
    return qint64(1.5 * std::max(1, intervalHours) * 3'600'000.0);
}

} // namespace

AggregateReader::AggregateReader(StoreReader &reader)
    : m_reader(reader)
{
}

AggregateReader::Members AggregateReader::members(const Instrument &aggregate)
{
    Members m;
    const QString defined = m_reader.meta(Aggregates::metaKey(aggregate));
    if (!defined.isEmpty()) {
        m.instruments = Aggregates::parse(defined);
        m.userDefined = true;
        return m;
    }
    m.instruments = Aggregates::defaultMembers(aggregate, m_reader.instruments());
    return m;
}

QList<Instrument> AggregateReader::aggregates()
{
    QList<Instrument> out = Aggregates::available(m_reader.instruments());
    const QString prefix = QStringLiteral("aggregate.");
    for (const QString &key : m_reader.metaKeys(prefix)) {
        const Instrument i = Instrument::parse(key.mid(prefix.size()), {});
        if (Aggregates::isAggregate(i) && !out.contains(i) && !m_reader.meta(key).isEmpty()) // empty: cleared
            out.push_back(i);
    }
    return out;
}

QList<Instrument> AggregateReader::membersMissing(const Instrument &aggregate, DataKind kind, TimeRange range)
{
    QList<Instrument> out;
    for (const Instrument &m : members(aggregate).instruments)
        if (!m_reader.coverageSummary(m, kind, range).isFull())
            out.push_back(m);
    return out;
}

QVector<Candle> AggregateReader::candles(const Instrument &aggregate, Timeframe tf, TimeRange range)
{
    const Members m = members(aggregate);
    if (m.instruments.isEmpty())
        return {};
    QVector<Candle> out = m_reader.candles(m.reference(), tf, range);
    for (qsizetype k = 1; k < m.instruments.size(); ++k) {
        const QVector<Candle> other = m_reader.candles(m.instruments[k], tf, range);
        Cursor<Candle> c{&other};
        for (Candle &bar : out)
            if (const Candle *o = c.at(bar.ts); o && o->ts == bar.ts) {
                bar.volume += o->volume;
                bar.quoteVolume += o->quoteVolume;
                bar.takerBuyVolume += o->takerBuyVolume;
            }
    }
    return out;
}

QVector<Candle> AggregateReader::markCandles(const Instrument &aggregate, Timeframe tf, TimeRange range)
{
    const Members m = members(aggregate);
    return m.instruments.isEmpty() ? QVector<Candle>{} : m_reader.markCandles(m.reference(), tf, range);
}

int AggregateReader::intervalHours(const Instrument &member, qint64 at)
{
    if (const auto p = m_reader.predictedFundingAt(member, at))
        return p->intervalHours;
    if (const auto f = m_reader.fundingAt(member, at))
        return f->intervalHours;
    return 8;
}

std::optional<double> AggregateReader::weightedRateAt(const QList<Instrument> &members, qint64 t, bool predicted, qint64 *ts)
{
    if (members.isEmpty())
        return std::nullopt;
    double sum = 0, weight = 0;
    qint64 newest = std::numeric_limits<qint64>::min(), oldest = std::numeric_limits<qint64>::max();
    for (const Instrument &m : members) {
        const auto f = predicted ? m_reader.predictedFundingAt(m, t) : m_reader.fundingAt(m, t);
        if (!f || (!predicted && t - f->ts > fundingInForceMs(f->intervalHours)))
            return std::nullopt;
        const auto oi = m_reader.openInterestAt(m, t);
        if (!oi || t - oi->ts > oiStaleMs)
            return std::nullopt;
        sum += per8h(f->rate, f->intervalHours) * oi->openInterestUsd;
        weight += oi->openInterestUsd;
        newest = std::max(newest, f->ts);
        oldest = std::min(oldest, f->ts);
    }
    if (weight <= 0)
        return std::nullopt;
    // A settlement is stamped when the newest member settled; a running estimate is as old
    // as its oldest member (what staleness checks need).
    *ts = predicted ? oldest : newest;
    return sum / weight;
}

// The members' rates per 8 h weighted by their USD open interest at every time one of them
// has a sample; a time where any member's rate is no longer in force (inForceMs of its
// interval) or its OI is older than oiStaleMs is unknown and left out, never a smaller mean.
// OI comes from one range read per member, not one probe per time (5,475 settlements in five
// years were as many round trips on PostgreSQL).
QVector<FundingSample> AggregateReader::oiWeighted(const QList<Instrument> &ms, const QVector<QVector<FundingSample>> &per, TimeRange range,
                                                   const std::function<qint64(int intervalHours)> &inForceMs)
{
    QVector<QVector<OpenInterestSample>> ois;
    for (const Instrument &m : ms)
        ois.push_back(m_reader.openInterest(m, {range.from - oiStaleMs, range.to}));
    QVector<Cursor<FundingSample>> fc;
    QVector<Cursor<OpenInterestSample>> oc;
    for (qsizetype k = 0; k < ms.size(); ++k) {
        fc.push_back({&per[k]});
        oc.push_back({&ois[k]});
    }
    QVector<FundingSample> out;
    for (const qint64 t : unionTimes(per, range)) {
        double sum = 0, weight = 0;
        bool known = !ms.isEmpty();
        for (qsizetype k = 0; k < ms.size() && known; ++k) {
            const FundingSample *f = fc[k].at(t);
            const OpenInterestSample *oi = oc[k].at(t);
            known = f && t - f->ts <= inForceMs(f->intervalHours) && oi && t - oi->ts <= oiStaleMs;
            if (known) {
                sum += per8h(f->rate, f->intervalHours) * oi->openInterestUsd;
                weight += oi->openInterestUsd;
            }
        }
        if (known && weight > 0)
            out.push_back({t, sum / weight, 8});
    }
    return out;
}

QVector<FundingSample> AggregateReader::funding(const Instrument &aggregate, TimeRange range)
{
    const QList<Instrument> ms = members(aggregate).instruments;
    // Each member's settlements with those still in force at the range start.
    QVector<QVector<FundingSample>> per;
    for (const Instrument &m : ms)
        per.push_back(m_reader.funding(m, {range.from - 36 * 3'600'000LL, range.to}));
    return oiWeighted(ms, per, range, [](int intervalHours) { return fundingInForceMs(intervalHours); });
}

QVector<FundingSample> AggregateReader::predictedFunding(const Instrument &aggregate, TimeRange range)
{
    const QList<Instrument> ms = members(aggregate).instruments;
    QVector<QVector<FundingSample>> per;
    for (const Instrument &m : ms)
        per.push_back(m_reader.predictedFunding(m, {range.from - oiStaleMs, range.to}));
    return oiWeighted(ms, per, range, [](int) { return oiStaleMs; });
}

QVector<OpenInterestSample> AggregateReader::openInterest(const Instrument &aggregate, TimeRange range)
{
    const QList<Instrument> ms = members(aggregate).instruments;
    QVector<QVector<OpenInterestSample>> per;
    for (const Instrument &m : ms)
        per.push_back(m_reader.openInterest(m, {range.from - oiStaleMs, range.to}));
    QVector<Cursor<OpenInterestSample>> cursors;
    for (const auto &rows : per)
        cursors.push_back({&rows});
    QVector<OpenInterestSample> out;
    for (const qint64 t : unionTimes(per, range)) {
        OpenInterestSample s{t, 0, 0};
        bool known = !ms.isEmpty();
        for (auto &c : cursors) {
            const OpenInterestSample *o = c.at(t);
            if (!o || t - o->ts > oiStaleMs) {
                known = false;
                break;
            }
            s.openInterest += o->openInterest;
            s.openInterestUsd += o->openInterestUsd;
        }
        if (known)
            out.push_back(s);
    }
    return out;
}

QVector<Liquidation> AggregateReader::liquidations(const Instrument &aggregate, TimeRange range)
{
    QVector<Liquidation> out;
    for (const Instrument &m : members(aggregate).instruments)
        out += m_reader.liquidations(m, range);
    std::stable_sort(out.begin(), out.end(), [](const Liquidation &a, const Liquidation &b) { return a.ts < b.ts; });
    return out;
}

QVector<LineBar> AggregateReader::summedLines(const QList<Instrument> &ms, LineSeries series, Timeframe tf, TimeRange range)
{
    const qint64 step = Timeframes::ms(tf);
    const qint64 stale = std::max(step, oiStaleMs);
    const TimeRange wide{Timeframes::floor(tf, range.from - stale), range.to};
    QVector<QVector<LineBar>> per;
    for (const Instrument &m : ms)
        per.push_back(m_reader.lineBars(m, series, tf, wide));
    QVector<Cursor<LineBar>> cursors;
    for (const auto &rows : per)
        cursors.push_back({&rows});
    QVector<LineBar> out;
    for (const qint64 t : unionTimes(per, range)) {
        LineBar sum{t, 0, 0, 0, 0};
        bool known = !ms.isEmpty();
        for (auto &c : cursors) {
            const LineBar *b = c.at(t);
            if (!b || t - b->ts > stale) {
                known = false;
                break;
            }
            const bool own = b->ts == t; // else its last value held over this bucket
            sum.open += own ? b->open : b->close;
            sum.high += own ? b->high : b->close;
            sum.low += own ? b->low : b->close;
            sum.close += b->close;
        }
        if (known)
            out.push_back(sum);
    }
    return out;
}

QVector<LineBar> AggregateReader::weightedFunding(const QList<Instrument> &ms, Timeframe tf, TimeRange range)
{
    const qint64 step = Timeframes::ms(tf);
    const qint64 stale = std::max(step, oiStaleMs);
    const TimeRange wide{Timeframes::floor(tf, range.from - stale), range.to};
    QVector<QVector<LineBar>> rates, weights;
    QVector<int> hours;
    for (const Instrument &m : ms) {
        rates.push_back(m_reader.lineBars(m, LineSeries::PredictedFunding, tf, wide));
        weights.push_back(m_reader.lineBars(m, LineSeries::OpenInterestUsd, tf, wide));
        hours.push_back(intervalHours(m, range.to - 1));
    }
    QVector<Cursor<LineBar>> rc, wc;
    for (qsizetype k = 0; k < ms.size(); ++k) {
        rc.push_back({&rates[k]});
        wc.push_back({&weights[k]});
    }
    QVector<LineBar> out;
    for (const qint64 t : unionTimes(rates, range)) {
        LineBar sum{t, 0, 0, 0, 0};
        double weight = 0;
        bool known = !ms.isEmpty();
        for (qsizetype k = 0; k < ms.size() && known; ++k) {
            const LineBar *r = rc[k].at(t);
            const LineBar *w = wc[k].at(t);
            known = r && t - r->ts <= stale && w && t - w->ts <= stale;
            if (!known)
                break;
            const bool own = r->ts == t;
            const double f = 8.0 / std::max(1, hours[k]) * w->close;
            sum.open += (own ? r->open : r->close) * f;
            sum.high += (own ? r->high : r->close) * f;
            sum.low += (own ? r->low : r->close) * f;
            sum.close += r->close * f;
            weight += w->close;
        }
        if (known && weight > 0)
            out.push_back({t, sum.open / weight, sum.high / weight, sum.low / weight, sum.close / weight});
    }
    return out;
}

QVector<LineBar> AggregateReader::lineBars(const Instrument &aggregate, LineSeries series, Timeframe tf, TimeRange range)
{
    const QList<Instrument> ms = members(aggregate).instruments;
    return series == LineSeries::PredictedFunding ? weightedFunding(ms, tf, range) : summedLines(ms, series, tf, range);
}

QVector<LiquidationBar> AggregateReader::liquidationBars(const Instrument &aggregate, Timeframe tf, TimeRange range)
{
    QMap<qint64, LiquidationBar> sum;
    for (const Instrument &m : members(aggregate).instruments)
        for (const LiquidationBar &b : m_reader.liquidationBars(m, tf, range)) {
            LiquidationBar &s = sum[b.ts];
            s.ts = b.ts;
            s.longUsd += b.longUsd;
            s.shortUsd += b.shortUsd;
            s.longQty += b.longQty;
            s.shortQty += b.shortQty;
            s.longCount += b.longCount;
            s.shortCount += b.shortCount;
            s.largestUsd = std::max(s.largestUsd, b.largestUsd);
        }
    return QVector<LiquidationBar>(sum.cbegin(), sum.cend());
}

QVector<AggregateReader::TapeRow> AggregateReader::latestTape(const Instrument &aggregate, qint64 before, int limit)
{
    QVector<TapeRow> out;
    const QList<Instrument> ms = members(aggregate).instruments;
    for (int k = 0; k < int(ms.size()); ++k)
        for (const Liquidation &l : m_reader.latestLiquidations(ms[k], before, limit))
            out.push_back({l, k});
    // Newest first, as the tape shows it; within a millisecond by member, then seq.
    std::sort(out.begin(), out.end(), [](const TapeRow &a, const TapeRow &b) {
        if (a.liquidation.ts != b.liquidation.ts)
            return a.liquidation.ts > b.liquidation.ts;
        if (a.member != b.member)
            return a.member < b.member;
        return a.liquidation.seq > b.liquidation.seq;
    });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

QVector<Liquidation> AggregateReader::latestLiquidations(const Instrument &aggregate, qint64 before, int limit)
{
    QVector<Liquidation> out;
    for (const TapeRow &r : latestTape(aggregate, before, limit))
        out.push_back(r.liquidation);
    return out;
}

std::optional<OpenInterestSample> AggregateReader::openInterestAt(const Instrument &aggregate, qint64 t)
{
    const QList<Instrument> ms = members(aggregate).instruments;
    if (ms.isEmpty())
        return std::nullopt;
    OpenInterestSample s{std::numeric_limits<qint64>::max(), 0, 0};
    for (const Instrument &m : ms) {
        const auto o = m_reader.openInterestAt(m, t);
        if (!o || t - o->ts > oiStaleMs)
            return std::nullopt; // a member unknown here: the sum is unknown
        s.ts = std::min(s.ts, o->ts); // as old as its oldest part
        s.openInterest += o->openInterest;
        s.openInterestUsd += o->openInterestUsd;
    }
    return s;
}

std::optional<FundingSample> AggregateReader::fundingAt(const Instrument &aggregate, qint64 t)
{
    qint64 ts = 0;
    if (const auto rate = weightedRateAt(members(aggregate).instruments, t, false, &ts))
        return FundingSample{ts, *rate, 8};
    return std::nullopt;
}

std::optional<FundingSample> AggregateReader::predictedFundingAt(const Instrument &aggregate, qint64 t)
{
    qint64 ts = 0;
    if (const auto rate = weightedRateAt(members(aggregate).instruments, t, true, &ts))
        return FundingSample{ts, *rate, 8};
    return std::nullopt;
}

TimeRange AggregateReader::extent(const Instrument &aggregate, DataKind kind)
{
    TimeRange out;
    for (const Instrument &m : members(aggregate).instruments)
        out = out.united(m_reader.extent(m, kind));
    return out;
}

qint64 AggregateReader::count(const Instrument &aggregate, DataKind kind)
{
    qint64 n = 0;
    for (const Instrument &m : members(aggregate).instruments)
        n += m_reader.count(m, kind);
    return n;
}

CoverageSummary AggregateReader::coverageSummary(const Instrument &aggregate, DataKind kind, TimeRange range, qint64 maxResolutionMs)
{
    QVector<CoverageSummary> per;
    for (const Instrument &m : members(aggregate).instruments)
        per.push_back(m_reader.coverageSummary(m, kind, range, maxResolutionMs));
    if (per.isEmpty())
        return Coverages::summarize({}, kind, range, maxResolutionMs);
    return Coverages::weakest(per);
}

QVector<CoverageSpan> AggregateReader::coverage(const Instrument &aggregate, DataKind kind, TimeRange range)
{
    const CoverageSummary s = coverageSummary(aggregate, kind, range, std::numeric_limits<qint64>::max());
    QVector<CoverageSpan> out;
    for (const TimeRange &r : s.covered)
        out.push_back({aggregate, kind, r, s.quality.value_or(CoverageQuality::Sampled), s.finestResolutionMs.value_or(0),
                       QStringLiteral("aggregate")});
    return out;
}

QVector<CoverageSpan> AggregateReader::coverage(const Instrument &aggregate)
{
    QVector<CoverageSpan> out;
    for (int k = int(DataKind::Candles); k <= int(DataKind::TakerBuy); ++k) {
        const DataKind kind = DataKind(k);
        TimeRange all;
        for (const Instrument &m : members(aggregate).instruments)
            for (const CoverageSpan &s : m_reader.coverage(m))
                if (s.kind == kind)
                    all = all.united(s.range);
        if (all.isValid())
            out += coverage(aggregate, kind, all);
    }
    return out;
}

QString AggregateReader::liquidationFeed(const Instrument &aggregate)
{
    // As full as the weakest member's feed.
    bool anyThrottled = false, allFull = true;
    const QList<Instrument> ms = members(aggregate).instruments;
    for (const Instrument &m : ms) {
        const QString f = m_reader.liquidationFeed(m);
        anyThrottled |= f == QLatin1String("throttled");
        allFull &= f == QLatin1String("full");
    }
    if (anyThrottled)
        return QStringLiteral("throttled");
    return allFull && !ms.isEmpty() ? QStringLiteral("full") : QStringLiteral("unknown");
}
