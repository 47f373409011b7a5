#include "derivedtiers.h"

#include "dbconnection.h"
#include "upsertbuffer.h"

#include <algorithm>
#include <span>

struct DerivedTiers::Statements
{
    explicit Statements(DbConnection &db)
        : oiRaw(db.prepare("SELECT ts,oi,oi_usd FROM open_interest WHERE instrument=? AND ts>=? AND ts<? ORDER BY ts", true))
        , fundingRaw(db.prepare("SELECT ts,rate FROM funding_predicted WHERE instrument=? AND ts>=? AND ts<? ORDER BY ts", true))
        , liqRaw(db.prepare("SELECT ts,side,price,qty FROM liquidations WHERE instrument=? AND ts>=? AND ts<? ORDER BY ts,seq", true))
        , lineRead(db.prepare("SELECT ts,open,high,low,close FROM line_bars WHERE instrument=? AND series=? AND tf=? AND ts>=? AND ts<? "
                              "ORDER BY ts",
                              true))
        , liqRead(db.prepare("SELECT ts,long_usd,short_usd,long_qty,short_qty,long_n,short_n,largest_usd FROM liq_bars "
                             "WHERE instrument=? AND tf=? AND ts>=? AND ts<? ORDER BY ts",
                             true))
        , lineWrite(db, "line_bars", {"instrument", "series", "tf", "ts", "open", "high", "low", "close"}, 4, 3)
        , liqWrite(db, "liq_bars", {"instrument", "tf", "ts", "long_usd", "short_usd", "long_qty", "short_qty", "long_n", "short_n", "largest_usd"},
                   3, 2)
    {
    }
    DbStatement oiRaw, fundingRaw, liqRaw, lineRead, liqRead;
    // Written in groups; flushed before a tier is read back and when a rebuild ends.
    UpsertBuffer lineWrite, liqWrite;
};

namespace {

// Sorted, unique bucket starts of tf for the given times.
QVector<qint64> bucketsOf(const QVector<qint64> &times, Timeframe tf)
{
    QVector<qint64> out;
    out.reserve(times.size());
    for (qint64 t : times)
        out.push_back(Timeframes::floor(tf, t));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Groups sorted buckets into runs that are read with one range query each: close buckets
// share a scan, far-apart ones (a live tick after years of history) do not. Rows between
// the touched buckets are read and left alone; a round trip costs what reading a few
// hundred rows does, so buckets up to runGapBuckets apart share one (a sample every 5
// minutes, or liquidations minutes apart, would otherwise cost a query each).
constexpr qint64 runGapBuckets = 64;

template<typename F>
void forEachRun(const QVector<qint64> &buckets, qint64 bucketMs, F readRun)
{
    qsizetype i = 0;
    while (i < buckets.size()) {
        qsizetype j = i + 1;
        while (j < buckets.size() && buckets[j] - buckets[j - 1] <= runGapBuckets * bucketMs)
            ++j;
        readRun(buckets[i], buckets[j - 1] + bucketMs);
        i = j;
    }
}

void foldLine(LineBar &bar, bool first, double open, double high, double low, double close)
{
    if (first) {
        bar.open = open;
        bar.high = high;
        bar.low = low;
    } else {
        bar.high = std::max(bar.high, high);
        bar.low = std::min(bar.low, low);
    }
    bar.close = close;
}

void foldLiq(LiquidationBar &bar, const LiquidationBar &part)
{
    bar.longUsd += part.longUsd;
    bar.shortUsd += part.shortUsd;
    bar.longQty += part.longQty;
    bar.shortQty += part.shortQty;
    bar.longCount += part.longCount;
    bar.shortCount += part.shortCount;
    bar.largestUsd = std::max(bar.largestUsd, part.largestUsd);
}

} // namespace

DerivedTiers::DerivedTiers(DbConnection &db)
    : m_db(db)
    , m_st(new Statements(db))
{
}

DerivedTiers::~DerivedTiers()
{
    delete m_st;
}

QVector<LineBar> DerivedTiers::readLineBars(qint64 instrument, int series, Timeframe tf, qint64 from, qint64 to)
{
    QVector<LineBar> out;
    DbStatement &st = m_st->lineRead;
    st.bind(1, instrument).bind(2, series).bind(3, Timeframes::minutes(tf)).bind(4, from).bind(5, to);
    while (st.step())
        out.push_back({st.int64(0), st.real(1), st.real(2), st.real(3), st.real(4)});
    st.reset();
    return out;
}

QVector<LiquidationBar> DerivedTiers::readLiqBars(qint64 instrument, Timeframe tf, qint64 from, qint64 to)
{
    QVector<LiquidationBar> out;
    DbStatement &st = m_st->liqRead;
    st.bind(1, instrument).bind(2, Timeframes::minutes(tf)).bind(3, from).bind(4, to);
    while (st.step())
        out.push_back({st.int64(0), st.real(1), st.real(2), st.real(3), st.real(4), int(st.int64(5)), int(st.int64(6)), st.real(7)});
    st.reset();
    return out;
}

void DerivedTiers::writeBar(qint64 instrument, int series, Timeframe tf, const LineBar &b)
{
    m_st->lineWrite.add({instrument, series, Timeframes::minutes(tf), b.ts, b.open, b.high, b.low, b.close});
}

void DerivedTiers::writeBar(qint64 instrument, int, Timeframe tf, const LiquidationBar &b)
{
    m_st->liqWrite.add({instrument, Timeframes::minutes(tf), b.ts, b.longUsd, b.shortUsd, b.longQty, b.shortQty, b.longCount, b.shortCount,
                        b.largestUsd});
}

void DerivedTiers::discard()
{
    m_st->lineWrite.discard();
    m_st->liqWrite.discard();
}

// From the 1m buckets up: each coarser tier re-aggregates the child bars of its touched
// buckets (read back inside the transaction, so they include what was just written).
template<typename Bar, typename Fold>
void DerivedTiers::cascade(qint64 instrument, int series, QVector<qint64> buckets, Fold fold)
{
    for (size_t t = 1; t < Timeframes::all.size(); ++t) {
        const Timeframe tf = Timeframes::all[t];
        const Timeframe child = Timeframes::all[t - 1];
        // The tier below is read back: written first (one group for the whole tier, as the
        // bars of this tier wait while it is read).
        m_st->lineWrite.flush();
        m_st->liqWrite.flush();
        buckets = bucketsOf(buckets, tf);
        forEachRun(buckets, Timeframes::ms(tf), [&](qint64 from, qint64 to) {
            QVector<Bar> children;
            if constexpr (std::is_same_v<Bar, LineBar>)
                children = readLineBars(instrument, series, child, from, to);
            else
                children = readLiqBars(instrument, child, from, to);
            qsizetype i = 0;
            while (i < children.size()) {
                Bar agg;
                agg.ts = Timeframes::floor(tf, children[i].ts);
                bool first = true;
                for (; i < children.size() && Timeframes::floor(tf, children[i].ts) == agg.ts; ++i, first = false)
                    fold(agg, children[i], first);
                if (std::binary_search(buckets.cbegin(), buckets.cend(), agg.ts))
                    writeBar(instrument, series, tf, agg);
            }
        });
    }
}

void DerivedTiers::rebuildLines(qint64 instrument, QVector<qint64> touched, bool openInterest)
{
    const QVector<qint64> minutes = bucketsOf(touched, Timeframe::M1);
    const QList<int> seriesIds = openInterest ? QList<int>{int(LineSeries::OpenInterest), int(LineSeries::OpenInterestUsd)}
                                              : QList<int>{int(LineSeries::PredictedFunding)};
    DbStatement &raw = openInterest ? m_st->oiRaw : m_st->fundingRaw;
    forEachRun(minutes, Timeframes::minuteMs, [&](qint64 from, qint64 to) {
        raw.bind(1, instrument).bind(2, from).bind(3, to);
        LineBar bars[2];
        bool open = false;
        const auto flush = [&] {
            if (!open)
                return;
            for (int s = 0; s < seriesIds.size(); ++s)
                if (std::binary_search(minutes.cbegin(), minutes.cend(), bars[s].ts))
                    writeBar(instrument, seriesIds[s], Timeframe::M1, bars[s]);
        };
        while (raw.step()) {
            const qint64 minute = Timeframes::floor(Timeframe::M1, raw.int64(0));
            const bool first = !open || bars[0].ts != minute;
            if (first) {
                flush();
                open = true;
            }
            for (int s = 0; s < seriesIds.size(); ++s) {
                const double v = raw.real(1 + s);
                bars[s].ts = minute;
                foldLine(bars[s], first, v, v, v, v);
            }
        }
        flush();
        raw.reset();
    });
    for (int s : seriesIds)
        cascade<LineBar>(instrument, s, minutes, [](LineBar &agg, const LineBar &c, bool first) {
            foldLine(agg, first, c.open, c.high, c.low, c.close);
        });
    m_st->lineWrite.flush();
}

void DerivedTiers::rebuildLiquidations(qint64 instrument, QVector<qint64> touched)
{
    const QVector<qint64> minutes = bucketsOf(touched, Timeframe::M1);
    DbStatement &raw = m_st->liqRaw;
    forEachRun(minutes, Timeframes::minuteMs, [&](qint64 from, qint64 to) {
        raw.bind(1, instrument).bind(2, from).bind(3, to);
        LiquidationBar bar;
        bool open = false;
        const auto flush = [&] {
            if (open && std::binary_search(minutes.cbegin(), minutes.cend(), bar.ts))
                writeBar(instrument, 0, Timeframe::M1, bar);
        };
        while (raw.step()) {
            const qint64 minute = Timeframes::floor(Timeframe::M1, raw.int64(0));
            if (!open || bar.ts != minute) {
                flush();
                bar = LiquidationBar{};
                bar.ts = minute;
                open = true;
            }
            const double price = raw.real(2), qty = raw.real(3), usd = price * qty;
            LiquidationBar one;
            if (raw.int64(1) == 0)
                one = {minute, usd, 0, qty, 0, 1, 0, usd};
            else
                one = {minute, 0, usd, 0, qty, 0, 1, usd};
            foldLiq(bar, one);
        }
        flush();
        raw.reset();
    });
    cascade<LiquidationBar>(instrument, 0, minutes, [](LiquidationBar &agg, const LiquidationBar &c, bool) { foldLiq(agg, c); });
    m_st->liqWrite.flush();
}

void DerivedTiers::rebuildAll(qint64 instrument)
{
    // Walk the raw tables a month at a time so memory stays flat on big histories.
    constexpr qint64 chunk = 30LL * 86'400'000;
    const auto span = [&](const char *table) {
        const QString sql = QStringLiteral("SELECT MIN(ts), MAX(ts) FROM %1 WHERE instrument=%2").arg(QLatin1String(table)).arg(instrument);
        DbStatement st = m_db.prepare(sql.toUtf8().constData());
        st.step();
        return std::pair<qint64, qint64>(st.isNull(0) ? 0 : st.int64(0), st.isNull(0) ? -1 : st.int64(1));
    };
    const auto minutesIn = [](qint64 from, qint64 to) {
        QVector<qint64> m;
        for (qint64 t = Timeframes::floor(Timeframe::M1, from); t <= to; t += Timeframes::minuteMs)
            m.push_back(t);
        return m;
    };
    for (const char *table : {"open_interest", "funding_predicted", "liquidations"}) {
        const auto [first, last] = span(table);
        for (qint64 from = first; from <= last; from += chunk) {
            const QVector<qint64> minutes = minutesIn(from, std::min(last, from + chunk - 1));
            if (qstrcmp(table, "liquidations") == 0)
                rebuildLiquidations(instrument, minutes);
            else
                rebuildLines(instrument, minutes, qstrcmp(table, "open_interest") == 0);
        }
    }
}
