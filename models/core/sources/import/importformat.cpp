#include "importformat.h"

#include "csvfields.h"
#include "domain/numbers.h"
#include "domain/timeframe.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>

namespace {

const QStringList klinesHeader = {"open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
                                  "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"};
const QStringList aggTradesHeader = {"agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time",
                                     "is_buyer_maker"};
const QStringList fundingRateHeader = {"calc_time", "funding_interval_hours", "last_funding_rate"};
const QStringList metricsHeader = {"create_time", "symbol", "sum_open_interest", "sum_open_interest_value",
                                   "count_toptrader_long_short_ratio", "sum_toptrader_long_short_ratio", "count_long_short_ratio",
                                   "sum_taker_long_short_vol_ratio"};
const QStringList ownCandlesHeader = {"ts", "open", "high", "low", "close", "volume", "quote_volume", "taker_buy_volume"};
const QStringList ownFundingHeader = {"ts", "rate", "interval_hours"};
const QStringList ownOiHeader = {"ts", "open_interest", "open_interest_usd"};
const QStringList ownLiquidationsHeader = {"ts", "side", "price", "qty", "seq", "in_exchange_feed"};
const QStringList ownHeatmapHeader = {"ts", "price_low", "price_high", "long_usd", "short_usd"};
// RangeCsvWriter: the selection as one table (a dragged range chip, "Export CSV").
const QStringList ownRangeHeader = {"ts", "open", "high", "low", "close", "volume", "taker_buy_volume", "oi", "oi_usd"};
const QStringList tradesHeader = {"id", "price", "qty", "quote_qty", "time", "is_buyer_maker"};

bool headerStartsWith(const CsvFields &f, const QStringList &names, bool exactCount)
{
    if (f.size() < names.size() || (exactCount && f.size() != names.size()))
        return false;
    for (qsizetype i = 0; i < names.size(); ++i)
        if (QString::fromUtf8(f[i].toByteArray()).trimmed().compare(names[i], Qt::CaseInsensitive) != 0)
            return false;
    return true;
}

TimeRange periodOf(const QString &date)
{
    const bool daily = date.size() == 10;
    const QDate d = QDate::fromString(daily ? date : date + QStringLiteral("-01"), QStringLiteral("yyyy-MM-dd"));
    if (!d.isValid())
        return {};
    const QDate end = daily ? d.addDays(1) : d.addMonths(1);
    return {QDateTime(d, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(), QDateTime(end, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()};
}

QString describeHeader(const CsvFields &f)
{
    QStringList names;
    for (qsizetype i = 0; i < f.size() && i < 12; ++i)
        names << QString::fromUtf8(f[i].toByteArray()).left(40);
    return names.join(QLatin1Char(','));
}

} // namespace

DumpName ImportFormat::parseName(const QString &fileName)
{
    static const QRegularExpression kline(QStringLiteral(
        R"(^([A-Z0-9_]+)-(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1mo|1M)-(\d{4}-\d{2}(?:-\d{2})?)(?:\.csv)?(?:\.zip)?$)"));
    static const QRegularExpression other(QStringLiteral(
        R"(^([A-Z0-9_]+)-(aggTrades|trades|fundingRate|metrics|bookTicker|bookDepth|liquidationSnapshot|premiumIndexKlines|indexPriceKlines|markPriceKlines)-(\d{4}-\d{2}(?:-\d{2})?)(?:\.csv)?(?:\.zip)?$)"));
    DumpName n;
    const QString base = QFileInfo(fileName).fileName();
    if (const auto m = kline.match(base); m.hasMatch()) {
        n.symbol = m.captured(1);
        n.dataType = QStringLiteral("klines");
        n.interval = m.captured(2) == QLatin1String("1mo") ? QStringLiteral("1M") : m.captured(2);
        n.period = periodOf(m.captured(3));
    } else if (const auto o = other.match(base); o.hasMatch()) {
        n.symbol = o.captured(1);
        n.dataType = o.captured(2);
        n.period = periodOf(o.captured(3));
    }
    return n;
}

QString ImportFormat::kindName(ImportKind kind)
{
    switch (kind) {
    case ImportKind::Klines: return QStringLiteral("Binance klines");
    case ImportKind::MarkPriceKlines: return QStringLiteral("Binance mark price klines");
    case ImportKind::AggTrades: return QStringLiteral("Binance aggTrades");
    case ImportKind::FundingRate: return QStringLiteral("Binance fundingRate");
    case ImportKind::Metrics: return QStringLiteral("Binance metrics");
    case ImportKind::Candles: return QStringLiteral("Perpscope candles CSV");
    case ImportKind::MarkCandles: return QStringLiteral("Perpscope mark CSV");
    case ImportKind::Funding: return QStringLiteral("Perpscope funding CSV");
    case ImportKind::PredictedFunding: return QStringLiteral("Perpscope predicted_funding CSV");
    case ImportKind::OpenInterest: return QStringLiteral("Perpscope oi CSV");
    case ImportKind::Liquidations: return QStringLiteral("Perpscope liquidations CSV");
    }
    return {};
}

QStringList ImportFormat::header(ImportKind kind)
{
    switch (kind) {
    case ImportKind::Klines:
    case ImportKind::MarkPriceKlines: return klinesHeader;
    case ImportKind::AggTrades: return aggTradesHeader;
    case ImportKind::FundingRate: return fundingRateHeader;
    case ImportKind::Metrics: return metricsHeader;
    case ImportKind::Candles:
    case ImportKind::MarkCandles: return ownCandlesHeader;
    case ImportKind::Funding:
    case ImportKind::PredictedFunding: return ownFundingHeader;
    case ImportKind::OpenInterest: return ownOiHeader;
    case ImportKind::Liquidations: return ownLiquidationsHeader;
    }
    return {};
}

QString ImportFormat::duration(qint64 ms)
{
    if (ms % 86'400'000 == 0)
        return ms == 86'400'000 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(ms / 86'400'000);
    if (ms % 3'600'000 == 0)
        return QStringLiteral("%1 h").arg(ms / 3'600'000);
    if (ms % 60'000 == 0)
        return QStringLiteral("%1 min").arg(ms / 60'000);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0);
}

std::optional<bool> ImportFormat::spotExpectsMicroseconds() const
{
    if (!spot || !name.period.isValid())
        return std::nullopt;
    // A monthly file cannot straddle the switch (it fell on a month's first day).
    return name.period.from >= spotMicrosecondsFrom;
}

DataKind ImportFormat::storedAs(ImportKind kind)
{
    switch (kind) {
    case ImportKind::Klines:
    case ImportKind::AggTrades:
    case ImportKind::Candles: return DataKind::Candles;
    case ImportKind::MarkPriceKlines:
    case ImportKind::MarkCandles: return DataKind::MarkCandles;
    case ImportKind::FundingRate:
    case ImportKind::Funding: return DataKind::Funding;
    case ImportKind::PredictedFunding: return DataKind::PredictedFunding;
    case ImportKind::Metrics:
    case ImportKind::OpenInterest: return DataKind::OpenInterest;
    case ImportKind::Liquidations: return DataKind::Liquidations;
    }
    return DataKind::Candles;
}

std::optional<ImportFormat> ImportFormat::detect(const QString &path, const QString &innerName, const CsvFields &first,
                                                 const Hints &hints, QString *error)
{
    ImportFormat f;
    f.name = parseName(innerName);
    if (!f.name.isValid())
        f.name = parseName(path);
    const QString folders = QFileInfo(path).absolutePath();
    const auto inFolder = [&folders](const char *dir) {
        return folders.contains(QLatin1Char('/') + QLatin1String(dir) + QLatin1Char('/'))
            || folders.endsWith(QLatin1Char('/') + QLatin1String(dir));
    };
    const QString &type = f.name.dataType;
    // data.binance.vision keeps spot under data/spot/ and USDⓈ-M under data/futures/um/: the
    // symbols are spelt alike, so the folder is what tells the markets apart.
    static const QRegularExpression spotLayout(QStringLiteral("/spot/(monthly|daily)(/|$)"));
    f.spot = (spotLayout.match(folders).hasMatch() || folders.endsWith(QLatin1String("/spot"))) && !inFolder("futures");
    if (f.spot && (type == QLatin1String("fundingRate") || type == QLatin1String("metrics") || type == QLatin1String("markPriceKlines")
                   || inFolder("markPriceKlines")))
        return *error = QStringLiteral("a Binance spot %1 file cannot exist: a spot market has no funding, open interest or mark price "
                                       "(not applicable for spot); spot dumps hold klines, aggTrades and trades")
                            .arg(type.isEmpty() ? QStringLiteral("markPriceKlines") : type),
               std::nullopt;

    // Kinds we recognise but do not store: say so instead of "unrecognised".
    if (type == QLatin1String("trades"))
        return *error = QStringLiteral("Binance 'trades' files are not imported; use the aggTrades files of the same days "
                                       "(same prints, aggregated per taker order)"),
               std::nullopt;
    if (type == QLatin1String("bookTicker") || type == QLatin1String("bookDepth"))
        return *error = QStringLiteral("Binance %1 files hold order-book data, which Perpscope does not store").arg(type), std::nullopt;
    if (type == QLatin1String("liquidationSnapshot"))
        return *error = QStringLiteral("Binance liquidationSnapshot files are not imported (withdrawn by Binance, every row doubled)"),
               std::nullopt;
    if (inFolder("premiumIndexKlines") || inFolder("indexPriceKlines") || type == QLatin1String("premiumIndexKlines")
        || type == QLatin1String("indexPriceKlines"))
        return *error = QStringLiteral("premium/index price klines are not stored by Perpscope (only trade and mark price klines)"),
               std::nullopt;

    const bool numericFirst = first.size() > 0 && Numbers::parse(first[0]).has_value();
    f.hasHeader = !numericFirst;
    std::optional<ImportKind> byContent;
    if (f.hasHeader) {
        if (headerStartsWith(first, klinesHeader, true))
            byContent = ImportKind::Klines;
        else if (headerStartsWith(first, aggTradesHeader, false) && first.size() <= 8)
            byContent = ImportKind::AggTrades;
        else if (headerStartsWith(first, fundingRateHeader, true))
            byContent = ImportKind::FundingRate;
        else if (headerStartsWith(first, metricsHeader, true))
            byContent = ImportKind::Metrics;
        else if (headerStartsWith(first, ownCandlesHeader, false))
            byContent = ImportKind::Candles;
        else if (headerStartsWith(first, ownFundingHeader, false))
            byContent = ImportKind::Funding;
        else if (headerStartsWith(first, ownOiHeader, false))
            byContent = ImportKind::OpenInterest;
        else if (headerStartsWith(first, ownLiquidationsHeader, false))
            byContent = ImportKind::Liquidations;
        else if (headerStartsWith(first, ownRangeHeader, false))
            return *error = QStringLiteral("a Perpscope range export (all series joined per bar, for spreadsheets) cannot be imported: it "
                                           "holds liquidations only as totals per bar, at the tier of the range; move data between "
                                           "databases with the exports of one kind each (perpscope export csv --kind candles, funding, "
                                           "oi, liquidations)"),
                   std::nullopt;
        else if (headerStartsWith(first, ownHeatmapHeader, false))
            return *error = QStringLiteral("Perpscope heatmap exports are derived from the other series and cannot be imported"), std::nullopt;
        else if (headerStartsWith(first, tradesHeader, false))
            return *error = QStringLiteral("Binance 'trades' files are not imported; use the aggTrades files of the same days"),
                   std::nullopt;
        else
            return *error = QStringLiteral("unrecognised file: its first line '%1' is neither a known header (Binance klines, "
                                           "markPriceKlines, aggTrades, fundingRate, metrics, or a Perpscope CSV export) nor data")
                                .arg(describeHeader(first)),
                   std::nullopt;
    } else {
        // Headerless: only Binance dumps (our export always writes a header).
        if (first.size() == 12)
            byContent = ImportKind::Klines;
        else if (first.size() == 7 || first.size() == 8)
            byContent = ImportKind::AggTrades;
        else if (first.size() == 3)
            byContent = ImportKind::FundingRate;
        else
            return *error = QStringLiteral("unrecognised file: its first line has %1 fields and no header (Binance klines have 12, "
                                           "aggTrades 7, fundingRate 3)")
                                .arg(first.size()),
                   std::nullopt;
    }
    f.kind = *byContent;

    // The file name, when it is a Binance name, must agree with the columns.
    const auto nameKind = [&]() -> std::optional<ImportKind> {
        if (type == QLatin1String("klines") || type == QLatin1String("markPriceKlines"))
            return ImportKind::Klines;
        if (type == QLatin1String("aggTrades"))
            return ImportKind::AggTrades;
        if (type == QLatin1String("fundingRate"))
            return ImportKind::FundingRate;
        if (type == QLatin1String("metrics"))
            return ImportKind::Metrics;
        return std::nullopt;
    }();
    if (nameKind && *nameKind != f.kind)
        return *error = QStringLiteral("the file name says %1 but its columns are those of %2")
                            .arg(kindName(*nameKind), kindName(f.kind)),
               std::nullopt;

    // Hints and folders settle what the columns cannot.
    const auto hint = hints.kind;
    const auto badHint = [&](const QString &what) {
        *error = QStringLiteral("--kind %1 does not fit: this is %2").arg(DataKinds::name(*hint), what);
        return std::nullopt;
    };
    switch (f.kind) {
    case ImportKind::Klines:
        if (hint && *hint != DataKind::Candles && *hint != DataKind::MarkCandles)
            return badHint(QStringLiteral("a kline file (candles or mark)"));
        if (hint == DataKind::MarkCandles || (!hint && (inFolder("markPriceKlines") || type == QLatin1String("markPriceKlines"))))
            f.kind = ImportKind::MarkPriceKlines;
        f.kindFromContentOnly = !hint && !inFolder("markPriceKlines") && !inFolder("klines") && type != QLatin1String("markPriceKlines");
        if (const auto tier = Timeframes::parse(f.name.interval); // "1M" (a month) is not "1m"
            f.name.isValid() && !f.name.interval.isEmpty() && (!tier || Timeframes::name(*tier) != f.name.interval))
            return *error = QStringLiteral("it holds %1 klines; Perpscope keeps bars of 1m, 5m, 15m, 1h, 4h and 1d, and %1 bars fit none "
                                           "of them: import the 1m files of the same period (or 5m ... 1d)")
                                .arg(f.name.interval),
                   std::nullopt;
        break;
    case ImportKind::Candles:
        if (hint && *hint != DataKind::Candles && *hint != DataKind::MarkCandles)
            return badHint(QStringLiteral("a Perpscope candles/mark CSV"));
        if (hint == DataKind::MarkCandles || (!hint && QFileInfo(path).fileName().contains(QLatin1String("mark"), Qt::CaseInsensitive)))
            f.kind = ImportKind::MarkCandles;
        break;
    case ImportKind::Funding:
        if (hint && *hint != DataKind::Funding && *hint != DataKind::PredictedFunding)
            return badHint(QStringLiteral("a Perpscope funding/predicted_funding CSV"));
        if (hint == DataKind::PredictedFunding
            || (!hint && QFileInfo(path).fileName().contains(QLatin1String("predicted"), Qt::CaseInsensitive)))
            f.kind = ImportKind::PredictedFunding;
        break;
    default:
        if (hint && *hint != storedAs(f.kind))
            return badHint(kindName(f.kind));
        break;
    }
    f.columns = int(header(f.kind).size());

    if (f.spot && f.kind != ImportKind::Klines && f.kind != ImportKind::AggTrades)
        return *error = QStringLiteral("it lies in a Binance spot folder but holds %1; spot dumps hold klines and aggTrades "
                                       "(a spot market has no funding or open interest)")
                            .arg(kindName(f.kind)),
               std::nullopt;
    if (hints.instrument.isValid())
        f.instrument = hints.instrument;
    else if (f.name.isValid())
        f.instrument = {f.spot ? QStringLiteral("BINANCE_SPOT") : QStringLiteral("BINANCE"), f.name.symbol};
    else
        return *error = QStringLiteral("cannot tell the instrument: '%1' is not a data.binance.vision file name "
                                       "(like BTCUSDT-1m-2024-01.zip); pass --instrument")
                            .arg(QFileInfo(innerName.isEmpty() ? path : innerName).fileName()),
               std::nullopt;
    return f;
}
