#include "csvexporter.h"

#include "analysis/heatmapexport.h"
#include "domain/numbers.h"
#include "storereader.h"

#include <QIODevice>
#include <stdexcept>

namespace {

constexpr qint64 sliceMs = 7LL * 24 * 3600 * 1000; // a week of 1m bars is ~10k rows

QByteArray num(double v)
{
    return Numbers::format(v);
}

QByteArray integer(qint64 v)
{
    return QByteArray::number(v);
}

// A write the device refuses (a full disk, a closed pipe) ends the export at once: going on
// would only report a complete export of a file that is not.
void put(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) != bytes.size())
        throw std::runtime_error(QStringLiteral("cannot write the CSV (%1)").arg(out.errorString()).toStdString());
}

void writeLine(QIODevice &out, std::initializer_list<QByteArray> fields)
{
    QByteArray line;
    for (const QByteArray &f : fields) {
        if (!line.isEmpty())
            line += ',';
        line += f;
    }
    line += '\n';
    put(out, line);
}

} // namespace

QStringList CsvExporter::kinds()
{
    return {QStringLiteral("candles"), QStringLiteral("mark"),         QStringLiteral("funding"), QStringLiteral("predicted_funding"),
            QStringLiteral("oi"),      QStringLiteral("liquidations"), QStringLiteral("heatmap")};
}

QString CsvExporter::header(const QString &kind)
{
    if (kind == QLatin1String("candles") || kind == QLatin1String("mark"))
        return QStringLiteral("ts,open,high,low,close,volume,quote_volume,taker_buy_volume");
    if (kind == QLatin1String("funding") || kind == QLatin1String("predicted_funding"))
        return QStringLiteral("ts,rate,interval_hours");
    if (kind == QLatin1String("oi"))
        return QStringLiteral("ts,open_interest,open_interest_usd");
    if (kind == QLatin1String("liquidations"))
        return QStringLiteral("ts,side,price,qty,seq,in_exchange_feed");
    if (kind == QLatin1String("heatmap"))
        return QStringLiteral("ts,price_low,price_high,long_usd,short_usd");
    return {};
}

CsvExporter::CsvExporter(StoreReader &reader)
    : m_reader(reader)
{
}

qint64 CsvExporter::write(const Spec &spec, QIODevice &out)
{
    if (!kinds().contains(spec.kind))
        throw std::invalid_argument(
            QStringLiteral("unknown kind '%1' (expected one of: %2)").arg(spec.kind, kinds().join(QStringLiteral(", "))).toStdString());
    if (!spec.range.isValid())
        throw std::invalid_argument("the time range is empty (from must be before to)");
    if (spec.kind == QLatin1String("heatmap"))
        return HeatmapExport::write(m_reader, spec.instrument, spec.range, spec.timeframe, m_heatmap, out);

    put(out, header(spec.kind).toUtf8() + '\n');
    qint64 rows = 0;
    for (qint64 from = spec.range.from; from < spec.range.to; from += sliceMs) {
        const TimeRange slice{from, std::min(spec.range.to, from + sliceMs)};
        if (spec.kind == QLatin1String("candles") || spec.kind == QLatin1String("mark")) {
            const auto bars = spec.kind == QLatin1String("mark") ? m_reader.markCandles(spec.instrument, spec.timeframe, slice)
                                                                 : m_reader.candles(spec.instrument, spec.timeframe, slice);
            // 1m bars are what the venue sent: bit for bit. Coarser tiers are sums of them:
            // written as the decimals they are, without float noise (25.229, not 25.22900000000001).
            const auto v = [coarse = spec.timeframe != Timeframe::M1](double x) { return coarse ? Numbers::formatClean(x) : num(x); };
            // A bar of a venue whose klines have no taker-buy volume (Bybit, OKX: 0 stored)
            // leaves the field empty: unknown, not 0 (TakerBuyCoverage). Mark bars: always 0.
            const bool mark = spec.kind == QLatin1String("mark");
            TakerBuyCoverage taker;
            if (!mark) {
                taker.candles = m_reader.coverageSummary(spec.instrument, DataKind::Candles, slice);
                taker.takerBuy = m_reader.coverageSummary(spec.instrument, DataKind::TakerBuy, slice);
            }
            const qint64 barMs = Timeframes::ms(spec.timeframe);
            for (const Candle &c : bars)
                writeLine(out, {integer(c.ts), v(c.open), v(c.high), v(c.low), v(c.close), v(c.volume), v(c.quoteVolume),
                                taker.isUnknown({c.ts, c.ts + barMs}) ? QByteArray() : v(c.takerBuyVolume)});
            rows += bars.size();
        } else if (spec.kind == QLatin1String("funding") || spec.kind == QLatin1String("predicted_funding")) {
            const auto samples = spec.kind == QLatin1String("funding") ? m_reader.funding(spec.instrument, slice)
                                                                       : m_reader.predictedFunding(spec.instrument, slice);
            for (const FundingSample &f : samples)
                writeLine(out, {integer(f.ts), num(f.rate), integer(f.intervalHours)});
            rows += samples.size();
        } else if (spec.kind == QLatin1String("oi")) {
            const auto samples = m_reader.openInterest(spec.instrument, slice);
            for (const OpenInterestSample &o : samples)
                writeLine(out, {integer(o.ts), num(o.openInterest), num(o.openInterestUsd)});
            rows += samples.size();
        } else if (spec.kind == QLatin1String("liquidations")) {
            const auto events = m_reader.liquidations(spec.instrument, slice);
            for (const Liquidation &l : events)
                writeLine(out, {integer(l.ts), Liquidation::sideName(l.side).toLatin1(), num(l.price), num(l.qty), integer(l.seq),
                                integer(l.inExchangeFeed ? 1 : 0)});
            rows += events.size();
        }
    }
    return rows;
}

DataKind CsvExporter::extentKind(const QString &kind)
{
    if (kind == QLatin1String("mark"))
        return DataKind::MarkCandles;
    if (kind == QLatin1String("funding"))
        return DataKind::Funding;
    if (kind == QLatin1String("predicted_funding"))
        return DataKind::PredictedFunding;
    if (kind == QLatin1String("oi"))
        return DataKind::OpenInterest;
    if (kind == QLatin1String("liquidations"))
        return DataKind::Liquidations;
    return DataKind::Candles;
}
