#pragma once

#include "sources/marketbatch.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"

#include <QList>
#include <cmath>

// Three venue perpetuals of BTC (Binance, Bybit, OKX) written straight into a store, with
// what differs between venues in the real data: OKX settles funding every 4 h here (others
// 8 h), Bybit's liquidation feed is complete while Binance's and OKX's are sampled, and
// OKX's open interest can stop early (a hole) to test partial aggregates. Plus instruments an
// aggregate must leave out (spot, another underlying, the simulator). Small and exact: every
// figure is a simple function of the minute, so tests compare the sums with the members.
namespace AggregateFixture {

inline constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01 00:00 UTC
inline constexpr qint64 minute = 60'000;
inline constexpr qint64 hour = 3'600'000;

inline const QList<Instrument> &members()
{
    static const QList<Instrument> m{{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")},
                                     {QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")},
                                     {QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP")}};
    return m;
}

inline double price(int venue, qint64 t)
{
    return 90'000.0 + 10.0 * venue + 200.0 * std::sin(double(t - t0) / (5 * hour));
}
inline double oiCoins(int venue, qint64 t)
{
    static const double base[] = {80'000, 50'000, 30'000};
    return base[venue] + double((t - t0) / minute % 600) * (venue + 1);
}
inline int intervalHours(int venue)
{
    return venue == 2 ? 4 : 8;
}
inline double fundingRate(int venue, qint64 t)
{
    // Per the venue's own interval: 1, 2 and 0.5 bp (OKX's 0.5 bp per 4 h is 1 bp per 8 h).
    static const double rate[] = {0.0001, 0.0002, 0.00005};
    return rate[venue] * (1.0 + 0.1 * double((t - t0) / hour % 3));
}

struct Options
{
    int minutes = 1440;
    // OKX open interest stops this many minutes before the end (0: it covers all of it).
    int okxOiStopsEarly = 0;
    bool others = true; // spot, ETH and SIM instruments the aggregate must leave out
};

inline void write(StoreWriter &w, const Options &o = {})
{
    const qint64 end = t0 + o.minutes * minute;
    for (int v = 0; v < 3; ++v) {
        MarketBatch b;
        b.instrument = members()[v];
        for (qint64 t = t0; t < end; t += minute) {
            const double p = price(v, t);
            const double vol = 10.0 * (v + 1);
            b.candles.push_back({t, p, p + 5, p - 5, p + 1, vol, vol * p, vol * 0.5});
        }
        b.cover(DataKind::Candles, {t0, end}, CoverageQuality::Complete, minute, QStringLiteral("test"));
        if (v == 0)
            b.cover(DataKind::TakerBuy, {t0, end}, CoverageQuality::Complete, minute, QStringLiteral("test"));
        const qint64 oiEnd = v == 2 ? end - o.okxOiStopsEarly * minute : end;
        for (qint64 t = t0; t < oiEnd; t += 5 * minute)
            b.openInterest.push_back({t, oiCoins(v, t), oiCoins(v, t) * price(v, t)});
        b.cover(DataKind::OpenInterest, {t0, oiEnd}, CoverageQuality::Complete, 5 * minute, QStringLiteral("test"));
        for (qint64 t = t0; t < end; t += intervalHours(v) * hour)
            b.funding.push_back({t, fundingRate(v, t), intervalHours(v)});
        b.cover(DataKind::Funding, {t0, end}, CoverageQuality::Complete, intervalHours(v) * hour, QStringLiteral("test"));
        // Prints every 37 minutes (longs) and 53 minutes (shorts), offset per venue.
        int seq = 0;
        for (qint64 t = t0 + (v + 1) * 1000; t < end; t += 37 * minute)
            b.liquidations.push_back({t, seq++, Liquidation::Side::Long, price(v, t) - 50, 0.5 * (v + 1), true});
        for (qint64 t = t0 + 7 * minute + (v + 1) * 1000; t < end; t += 53 * minute)
            b.liquidations.push_back({t, seq++, Liquidation::Side::Short, price(v, t) + 50, 0.25 * (v + 1), true});
        b.cover(DataKind::Liquidations, {t0, end}, v == 1 ? CoverageQuality::Complete : CoverageQuality::Sampled, v == 1 ? 0 : 1000,
                QStringLiteral("test"));
        w.commit(b);
        w.setLiquidationFeed(b.instrument, v == 1 ? QStringLiteral("full") : QStringLiteral("throttled"));
    }
    if (!o.others)
        return;
    for (const Instrument &other : {Instrument{QStringLiteral("BINANCE_SPOT"), QStringLiteral("BTCUSDT")},
                                    Instrument{QStringLiteral("BINANCE"), QStringLiteral("ETHUSDT")},
                                    Instrument{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")}}) {
        MarketBatch b;
        b.instrument = other;
        b.candles.push_back({t0, 100, 101, 99, 100, 1, 100, 0.5});
        b.openInterest.push_back({t0, 1000, 1e5});
        w.commit(b);
    }
}

} // namespace AggregateFixture
