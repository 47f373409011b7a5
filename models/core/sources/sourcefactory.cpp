#include "sourcefactory.h"

#include "binance/binancevenue.h"
#include "binancespot/binancespotvenue.h"
#include "bybit/bybitvenue.h"
#include "coinbase/coinbasevenue.h"
#include "exchange/exchangeoptions.h"
#include "okx/okxvenue.h"
#include "domain/timeframe.h"
#include "sim/simhistory.h"
#include "sim/simulator.h"
#include "storage/storeerror.h"
#include "syntheticsource.h"

#include <QDateTime>

#include <cmath>

namespace {

qint64 defaultEnd(const SourceOptions &o)
{
    // Whole days, so a backfill of the same options is reproducible within a day.
    return o.endMs ? o.endMs : Timeframes::floor(Timeframe::D1, QDateTime::currentMSecsSinceEpoch());
}

// NaN, infinities and 1e300 days overflow the millisecond arithmetic below (signed overflow).
bool daysOk(double days, bool mayBeZero, QString *error)
{
    if (std::isfinite(days) && (days > 0 || (mayBeZero && days == 0)) && days <= SourceOptions::maxDays)
        return true;
    *error = QStringLiteral("--days must be above 0 and at most %1 (got %2)").arg(SourceOptions::maxDays).arg(days);
    return false;
}

DataSource *createSimulator(const SourceOptions &o, QString *error)
{
    if (!daysOk(o.days, false, error))
        return nullptr;
    if (o.live && !(o.speed > 0)) {
        *error = QStringLiteral("simulator speed must be positive (got %1)").arg(o.speed);
        return nullptr;
    }
    const auto scenario = SimScenario::build(o.preset, o.extra, error);
    if (!scenario)
        return nullptr;
    Simulator::Options s{*scenario};
    s.seed = o.seed;
    if (!o.instrument.symbol.isEmpty())
        s.instrument.symbol = o.instrument.symbol; // always on the SIM venue
    // A live (GUI) history ends now and carries on; a backfill ends at the start of today.
    const qint64 end = o.endMs ? o.endMs : o.live ? QDateTime::currentMSecsSinceEpoch() : defaultEnd(o);
    s.endMs = Timeframes::floor(Timeframe::M1, end);
    s.startMs = Timeframes::floor(Timeframe::M1, s.endMs - qint64(std::llround(o.days * 86400.0)) * 1000);
    if (s.startMs >= s.endMs) {
        *error = QStringLiteral("--days %1 is less than a minute of history").arg(o.days);
        return nullptr;
    }
    s.live = o.live;
    s.speed = o.speed;
    if (o.replaceHistory)
        return new Simulator(s);
    Simulator::Options resolved;
    try {
        if (!SimHistory::resolve(o.store, o.runExplicit, s, &resolved, error))
            return nullptr;
    } catch (const StoreError &e) {
        *error = e.message();
        return nullptr;
    }
    return new Simulator(resolved);
}

DataSource *createSynthetic(const SourceOptions &o, QString *error)
{
    if (!daysOk(o.days, false, error))
        return nullptr;
    SyntheticSource::Params p;
    if (o.instrument.isValid())
        p.instrument = o.instrument;
    p.seed = o.seed;
    p.minutes = qint64(o.days * 1440);
    const qint64 end = Timeframes::floor(Timeframe::M1, defaultEnd(o));
    p.startMs = end - p.minutes * Timeframes::minuteMs;
    return new SyntheticSource(p);
}

} // namespace

namespace SourceFactory {

const QList<Entry> &entries()
{
    static const QList<Entry> table = {
        {QStringLiteral("sim"), QStringLiteral("Simulator"), QString(), CoverageQuality::Complete, {QStringLiteral("simulated perpetual")},
         QStringLiteral("the built-in market simulator (--seed, --preset, --param)"), {}, createSimulator},
        {QStringLiteral("synthetic"), QStringLiteral("Synthetic random walk"), QString(), CoverageQuality::Complete,
         {QStringLiteral("random walk")}, QStringLiteral("a fast seeded random walk for scale tests (not a market model)"), {}, createSynthetic},
        {QStringLiteral("binance"), QStringLiteral("Binance USDS-M (live)"), QStringLiteral("BINANCE"), CoverageQuality::Sampled,
         {QStringLiteral("USDS-M linear perpetual")},
         QStringLiteral("Binance USDS-M futures over REST and WebSocket; liquidations sampled (one print per second per symbol)"),
         ExchangeOptions::keys(), BinanceVenue::create},
        {QStringLiteral("bybit"), QStringLiteral("Bybit USDT perpetual (live)"), QStringLiteral("BYBIT"), CoverageQuality::Complete,
         {QStringLiteral("USDT linear perpetual")},
         QStringLiteral("Bybit v5 linear perpetuals over REST and WebSocket; liquidations complete (allLiquidation: every one)"),
         ExchangeOptions::keys(), BybitVenue::create},
        {QStringLiteral("okx"), QStringLiteral("OKX perpetual swap (live)"), QStringLiteral("OKX"), CoverageQuality::Sampled,
         {QStringLiteral("USDT/USDC linear perpetual"), QStringLiteral("coin-margined inverse perpetual")},
         QStringLiteral("OKX v5 perpetual swaps (OKX:BTC-USDT-SWAP) over REST and two WebSockets; liquidations sampled (liquidation-orders)"),
         ExchangeOptions::keys(), OkxVenue::create},
        // Spot: no liquidations exist, so no coverage quality (nullopt = not applicable here).
        {QStringLiteral("binance-spot"), QStringLiteral("Binance spot (live)"), QStringLiteral("BINANCE_SPOT"), std::nullopt,
         {QStringLiteral("spot")},
         QStringLiteral("Binance spot (BINANCE_SPOT:BTCUSDT) over REST and WebSocket, the spot reference of the perpetuals of the same "
                        "underlying; klines with taker-buy volume; open interest, funding and liquidations not applicable for spot"),
         ExchangeOptions::keys(), BinanceSpotVenue::create},
        {QStringLiteral("coinbase"), QStringLiteral("Coinbase spot (live)"), QStringLiteral("COINBASE"), std::nullopt, {QStringLiteral("spot")},
         QStringLiteral("Coinbase spot (COINBASE:BTC-USD): Advanced Trade REST candles, live bars with taker-buy volume from the Exchange "
                        "feed's matches; open interest, funding and liquidations not applicable for spot"),
         ExchangeOptions::keys(), CoinbaseVenue::create},
    };
    return table;
}

bool isSpot(const Entry &e)
{
    return e.instrumentKinds == QStringList{QStringLiteral("spot")};
}

const Entry *entry(const QString &name)
{
    for (const Entry &e : entries())
        if (e.name == name)
            return &e;
    return nullptr;
}

QStringList names()
{
    QStringList out;
    for (const Entry &e : entries())
        out << e.name;
    return out;
}

QString nameList(const QStringList &extra)
{
    const QStringList all = names() + extra;
    return all.size() < 2 ? all.join(QString()) : all.mid(0, all.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + all.back();
}

QString label(const QString &name)
{
    const Entry *e = entry(name);
    return e ? e->label : name;
}

QString defaultExchange(const QString &name)
{
    const Entry *e = entry(name);
    return e ? e->exchange : QString();
}

DataSource *create(const SourceOptions &options, QString *error)
{
    if (const Entry *e = entry(options.source))
        return e->create(options, error);
    *error = QStringLiteral("unknown source '%1' (expected one of: %2)").arg(options.source, names().join(QStringLiteral(", ")));
    return nullptr;
}

} // namespace SourceFactory
