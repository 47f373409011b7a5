#include "replaycheck.h"

#include "domain/numbers.h"
#include "domain/timeformat.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"

namespace {

QString number(double v)
{
    return QString::fromLatin1(Numbers::format(v));
}

QString candleDiff(const Candle &s, const Candle &r)
{
    const auto field = [](const char *name, double a, double b) {
        return a == b ? QString() : QStringLiteral("stored %1 %2, replay %3").arg(QLatin1String(name), number(a), number(b));
    };
    for (const QString &d : {field("open", s.open, r.open), field("high", s.high, r.high), field("low", s.low, r.low),
                             field("close", s.close, r.close), field("volume", s.volume, r.volume),
                             field("quote volume", s.quoteVolume, r.quoteVolume), field("taker buy volume", s.takerBuyVolume, r.takerBuyVolume)})
        if (!d.isEmpty())
            return d;
    return QString();
}

} // namespace

ReplayCheck::ReplayCheck(const StoreLocator &store, const Instrument &instrument)
    : m_instrument(instrument)
    , m_reader(MarketStore::openExisting(store).reader())
{
}

ReplayCheck::~ReplayCheck() = default;

QString ReplayCheck::compare(const MarketBatch &replayed, TimeRange simulated)
{
    if (replayed.candles.isEmpty())
        return QString();
    const TimeRange span{replayed.candles.front().ts, replayed.candles.back().ts + 60'000};
    const QVector<Candle> stored = m_reader->candles(m_instrument, Timeframe::M1, span);
    for (qsizetype i = 0; i < replayed.candles.size(); ++i) {
        const Candle &r = replayed.candles[i];
        if (i >= stored.size() || stored[i].ts != r.ts)
            return QStringLiteral("1m bar %1: not stored, the replay has one").arg(TimeFormat::display(r.ts));
        if (!(stored[i] == r))
            return QStringLiteral("1m bar %1: %2").arg(TimeFormat::display(r.ts), candleDiff(stored[i], r));
    }
    if (stored.size() > replayed.candles.size())
        return QStringLiteral("1m bar %1: stored, the replay has none").arg(TimeFormat::display(stored[replayed.candles.size()].ts));
    m_bars += stored.size();
    // Liquidations of the same span: the tape is the other series a user reads print by print.
    const QVector<Liquidation> tape = m_reader->liquidations(m_instrument, simulated);
    const QVector<Liquidation> &mine = replayed.liquidations;
    if (tape.size() != mine.size())
        return QStringLiteral("%1 … %2: %3 liquidations stored, %4 in the replay")
            .arg(TimeFormat::display(simulated.from), TimeFormat::display(simulated.to))
            .arg(tape.size())
            .arg(mine.size());
    for (qsizetype i = 0; i < tape.size(); ++i)
        if (!(tape[i] == mine[i]))
            return QStringLiteral("liquidation at %1: stored %2 @ %3, replay %4 @ %5")
                .arg(TimeFormat::iso(tape[i].ts), number(tape[i].qty), number(tape[i].price), number(mine[i].qty), number(mine[i].price));
    return QString();
}
