#include "storereader.h"

#include "aggregatereader.h"
#include "margintierrows.h"

#include <algorithm>

StoreReader::StoreReader(std::unique_ptr<DbConnection> db)
    : m_conn(std::move(db))
    , m_db(*m_conn)
{
}

StoreReader::~StoreReader() = default;

AggregateReader &StoreReader::aggregates()
{
    if (!m_aggregates)
        m_aggregates = std::make_unique<AggregateReader>(*this);
    return *m_aggregates;
}

std::optional<qint64> StoreReader::idOf(const Instrument &instrument)
{
    if (auto it = m_ids.constFind(instrument); it != m_ids.constEnd())
        return *it;
    auto st = m_db.reuse("SELECT id FROM instruments WHERE exchange=? AND symbol=?");
    st->bind(1, instrument.exchange).bind(2, instrument.symbol);
    if (!st->step())
        return std::nullopt; // not cached: the writer may register it later
    m_ids.insert(instrument, st->int64(0));
    return st->int64(0);
}

QList<Instrument> StoreReader::instruments()
{
    QList<Instrument> out;
    DbStatement st = m_db.prepare("SELECT exchange, symbol FROM instruments ORDER BY exchange, symbol");
    while (st.step())
        out.push_back({st.text(0), st.text(1)});
    st.reset();
    // In byte order of the UTF-8 text whatever the server's collation (SQLite's order).
    std::stable_sort(out.begin(), out.end(), [](const Instrument &a, const Instrument &b) {
        const QByteArray ea = a.exchange.toUtf8(), eb = b.exchange.toUtf8();
        return ea != eb ? ea < eb : a.symbol.toUtf8() < b.symbol.toUtf8();
    });
    return out;
}

bool StoreReader::hasInstrument(const Instrument &instrument)
{
    if (Aggregates::isAggregate(instrument))
        return !aggregates().members(instrument).instruments.isEmpty();
    return idOf(instrument).has_value();
}

QVector<Candle> StoreReader::candleQuery(const char *sql, const Instrument &instrument, Timeframe tf, TimeRange range)
{
    QVector<Candle> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    auto st = m_db.reuse(sql);
    st->bind(1, *id).bind(2, Timeframes::minutes(tf)).bind(3, range.from).bind(4, range.to);
    while (st->step())
        out.push_back({st->int64(0), st->real(1), st->real(2), st->real(3), st->real(4), st->real(5), st->real(6), st->real(7)});
    return out;
}

QVector<Candle> StoreReader::candles(const Instrument &instrument, Timeframe tf, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().candles(instrument, tf, range);
    return candleQuery("SELECT ts,open,high,low,close,volume,quote_volume,taker_buy FROM candles "
                       "WHERE instrument=? AND tf=? AND ts>=? AND ts<? ORDER BY ts",
                       instrument, tf, range);
}

QVector<Candle> StoreReader::markCandles(const Instrument &instrument, Timeframe tf, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().markCandles(instrument, tf, range);
    return candleQuery("SELECT ts,open,high,low,close,volume,quote_volume,taker_buy FROM mark_candles "
                       "WHERE instrument=? AND tf=? AND ts>=? AND ts<? ORDER BY ts",
                       instrument, tf, range);
}

namespace {

template<typename Row, typename Fill>
QVector<Row> rangeQuery(DbConnection &db, const char *sql, std::optional<qint64> id, TimeRange range, Fill fill)
{
    QVector<Row> out;
    if (!id)
        return out;
    auto st = db.reuse(sql);
    st->bind(1, *id).bind(2, range.from).bind(3, range.to);
    while (st->step())
        out.push_back(fill(*st));
    return out;
}

FundingSample fundingRow(const DbStatement &st)
{
    return {st.int64(0), st.real(1), int(st.int64(2))};
}

OpenInterestSample oiRow(const DbStatement &st)
{
    return {st.int64(0), st.real(1), st.real(2)};
}

} // namespace

QVector<FundingSample> StoreReader::funding(const Instrument &instrument, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().funding(instrument, range);
    return rangeQuery<FundingSample>(m_db, "SELECT ts,rate,interval_h FROM funding WHERE instrument=? AND ts>=? AND ts<? ORDER BY ts",
                                     idOf(instrument), range, fundingRow);
}

QVector<StoreReader::SettlementWithOi> StoreReader::fundingWithOpenInterest(const Instrument &instrument, TimeRange range)
{
    // A probe of the open-interest key per settlement, inside the server (or SQLite's VM):
    // one round trip for the range. Mostly a sample is stamped at the settlement itself (the
    // join's equality probe, cheaper than a backward scan); else the last one before it.
    return rangeQuery<SettlementWithOi>(m_db,
                                        "SELECT f.ts,f.rate,f.interval_h,COALESCE(o.oi_usd,(SELECT p.oi_usd FROM open_interest p "
                                        "WHERE p.instrument=f.instrument AND p.ts<f.ts ORDER BY p.ts DESC LIMIT 1)) FROM funding f "
                                        "LEFT JOIN open_interest o ON o.instrument=f.instrument AND o.ts=f.ts "
                                        "WHERE f.instrument=? AND f.ts>=? AND f.ts<? ORDER BY f.ts",
                                        idOf(instrument), range, [](const DbStatement &st) {
                                            return SettlementWithOi{fundingRow(st), st.isNull(3) ? std::nullopt : std::optional(st.real(3))};
                                        });
}

QVector<FundingSample> StoreReader::predictedFunding(const Instrument &instrument, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().predictedFunding(instrument, range);
    return rangeQuery<FundingSample>(m_db,
                                     "SELECT ts,rate,interval_h FROM funding_predicted WHERE instrument=? AND ts>=? AND ts<? ORDER BY ts",
                                     idOf(instrument), range, fundingRow);
}

QVector<OpenInterestSample> StoreReader::openInterest(const Instrument &instrument, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().openInterest(instrument, range);
    return rangeQuery<OpenInterestSample>(m_db, "SELECT ts,oi,oi_usd FROM open_interest WHERE instrument=? AND ts>=? AND ts<? ORDER BY ts",
                                          idOf(instrument), range, oiRow);
}

QVector<Liquidation> StoreReader::liquidations(const Instrument &instrument, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().liquidations(instrument, range);
    return rangeQuery<Liquidation>(m_db,
                                   "SELECT ts,seq,side,price,qty,in_feed FROM liquidations WHERE instrument=? AND ts>=? AND ts<? "
                                   "ORDER BY ts, seq",
                                   idOf(instrument), range, [](const DbStatement &st) {
                                       return Liquidation{st.int64(0), int(st.int64(1)), Liquidation::Side(st.int64(2)),
                                                          st.real(3), st.real(4), st.int64(5) != 0};
                                   });
}

QVector<GroundTruthCell> StoreReader::groundTruth(const Instrument &instrument, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return {}; // the simulator's alone
    return rangeQuery<GroundTruthCell>(m_db,
                                       "SELECT ts,side,bin,notional FROM ground_truth WHERE instrument=? AND ts>=? AND ts<? "
                                       "ORDER BY ts, side, bin",
                                       idOf(instrument), range, [](const DbStatement &st) {
                                           return GroundTruthCell{st.int64(0), Liquidation::Side(st.int64(1)), int(st.int64(2)),
                                                                  st.real(3)};
                                       });
}

QVector<LineBar> StoreReader::lineBars(const Instrument &instrument, LineSeries series, Timeframe tf, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().lineBars(instrument, series, tf, range);
    QVector<LineBar> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    auto st = m_db.reuse("SELECT ts,open,high,low,close FROM line_bars WHERE instrument=? AND series=? AND tf=? AND ts>=? AND ts<? ORDER BY ts");
    st->bind(1, *id).bind(2, int(series)).bind(3, Timeframes::minutes(tf)).bind(4, range.from).bind(5, range.to);
    while (st->step())
        out.push_back({st->int64(0), st->real(1), st->real(2), st->real(3), st->real(4)});
    return out;
}

QVector<LiquidationBar> StoreReader::liquidationBars(const Instrument &instrument, Timeframe tf, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().liquidationBars(instrument, tf, range);
    QVector<LiquidationBar> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    auto st = m_db.reuse("SELECT ts,long_usd,short_usd,long_qty,short_qty,long_n,short_n,largest_usd FROM liq_bars "
                         "WHERE instrument=? AND tf=? AND ts>=? AND ts<? ORDER BY ts");
    st->bind(1, *id).bind(2, Timeframes::minutes(tf)).bind(3, range.from).bind(4, range.to);
    while (st->step())
        out.push_back({st->int64(0), st->real(1), st->real(2), st->real(3), st->real(4), int(st->int64(5)), int(st->int64(6)), st->real(7)});
    return out;
}

QVector<Liquidation> StoreReader::latestLiquidations(const Instrument &instrument, qint64 before, int limit)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().latestLiquidations(instrument, before, limit);
    QVector<Liquidation> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    DbStatement st = m_db.prepare("SELECT ts,seq,side,price,qty,in_feed FROM liquidations WHERE instrument=? AND ts<? "
                                      "ORDER BY ts DESC, seq DESC LIMIT ?");
    st.bind(1, *id).bind(2, before).bind(3, limit);
    while (st.step())
        out.push_back({st.int64(0), int(st.int64(1)), Liquidation::Side(st.int64(2)), st.real(3), st.real(4), st.int64(5) != 0});
    return out;
}

namespace {

// The last row at or before t of a (instrument, ts)-keyed table: one probe of the key.
template<typename Row, typename Fill>
std::optional<Row> lastAtOrBefore(DbConnection &db, const char *sql, std::optional<qint64> id, qint64 t, Fill fill)
{
    if (!id)
        return std::nullopt;
    auto st = db.reuse(sql);
    st->bind(1, *id).bind(2, t);
    if (!st->step())
        return std::nullopt;
    return fill(*st);
}

} // namespace

std::optional<OpenInterestSample> StoreReader::openInterestAt(const Instrument &instrument, qint64 t)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().openInterestAt(instrument, t);
    return lastAtOrBefore<OpenInterestSample>(
        m_db, "SELECT ts,oi,oi_usd FROM open_interest WHERE instrument=? AND ts<=? ORDER BY ts DESC LIMIT 1", idOf(instrument), t, oiRow);
}

std::optional<FundingSample> StoreReader::fundingAt(const Instrument &instrument, qint64 t)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().fundingAt(instrument, t);
    return lastAtOrBefore<FundingSample>(
        m_db, "SELECT ts,rate,interval_h FROM funding WHERE instrument=? AND ts<=? ORDER BY ts DESC LIMIT 1", idOf(instrument), t, fundingRow);
}

std::optional<FundingSample> StoreReader::predictedFundingAt(const Instrument &instrument, qint64 t)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().predictedFundingAt(instrument, t);
    return lastAtOrBefore<FundingSample>(m_db,
                                         "SELECT ts,rate,interval_h FROM funding_predicted WHERE instrument=? AND ts<=? ORDER BY ts DESC LIMIT 1",
                                         idOf(instrument), t, fundingRow);
}

namespace {

const char *tableOf(DataKind kind)
{
    switch (kind) {
    case DataKind::Candles: return "candles";
    case DataKind::MarkCandles: return "mark_candles";
    case DataKind::Funding: return "funding";
    case DataKind::PredictedFunding: return "funding_predicted";
    case DataKind::OpenInterest: return "open_interest";
    case DataKind::Liquidations: return "liquidations";
    case DataKind::GroundTruth: return "ground_truth";
    case DataKind::TakerBuy: return "candles"; // a column of the candles
    }
    return "candles";
}

} // namespace

TimeRange StoreReader::extent(const Instrument &instrument, DataKind kind)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().extent(instrument, kind);
    const auto id = idOf(instrument);
    if (!id)
        return {};
    const QString where = DataKinds::isBars(kind) ? QStringLiteral("instrument=? AND tf=1") : QStringLiteral("instrument=?");
    const QString table = QString::fromLatin1(tableOf(kind));
    // Two index probes rather than MIN/MAX over a scan.
    qint64 first = 0, last = 0;
    TimeRange rows;
    for (int pass = 0; pass < 2; ++pass) {
        const QString sql = QStringLiteral("SELECT ts FROM %1 WHERE %2 ORDER BY ts %3 LIMIT 1")
                                .arg(table, where, pass == 0 ? QStringLiteral("ASC") : QStringLiteral("DESC"));
        DbStatement st = m_db.prepare(sql.toUtf8().constData());
        st.bind(1, *id);
        if (!st.step())
            break;
        (pass == 0 ? first : last) = st.int64(0);
        if (pass == 1)
            rows = {first, last + (DataKinds::isBars(kind) ? Timeframes::minuteMs : 1)};
    }
    if (!DataKinds::isBars(kind))
        return rows;
    // Bars imported coarser than 1m (5m ... 1d klines) extend the history too.
    auto st = m_db.reuse("SELECT MIN(from_ms), MAX(to_ms) FROM coverage WHERE instrument=? AND kind=? AND resolution_ms>60000");
    st->bind(1, *id).bind(2, int(kind));
    if (st->step() && !st->isNull(0))
        rows = rows.united({st->int64(0), st->int64(1)});
    return rows;
}

qint64 StoreReader::count(const Instrument &instrument, DataKind kind)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().count(instrument, kind);
    const auto id = idOf(instrument);
    if (!id)
        return 0;
    const QString sql = QStringLiteral("SELECT COUNT(*) FROM %1 WHERE instrument=?%2")
                            .arg(QString::fromLatin1(tableOf(kind)), DataKinds::isBars(kind) ? QStringLiteral(" AND tf=1") : QString());
    DbStatement st = m_db.prepare(sql.toUtf8().constData());
    st.bind(1, *id);
    return st.step() ? st.int64(0) : 0;
}

namespace {

CoverageSpan coverageRow(const DbStatement &st, const Instrument &instrument)
{
    return {instrument, DataKind(st.int64(0)), {st.int64(3), st.int64(4)}, CoverageQuality(st.int64(1)), st.int64(2), st.text(5)};
}

} // namespace

QVector<CoverageSpan> StoreReader::coverage(const Instrument &instrument)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().coverage(instrument);
    QVector<CoverageSpan> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    auto st = m_db.reuse("SELECT kind,quality,resolution_ms,from_ms,to_ms,origin FROM coverage WHERE instrument=? "
                         "ORDER BY kind, from_ms, quality DESC, resolution_ms");
    st->bind(1, *id);
    while (st->step())
        out.push_back(coverageRow(*st, instrument));
    return out;
}

QVector<CoverageSpan> StoreReader::coverage(const Instrument &instrument, DataKind kind, TimeRange range)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().coverage(instrument, kind, range);
    QVector<CoverageSpan> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    auto st = m_db.reuse("SELECT kind,quality,resolution_ms,from_ms,to_ms,origin FROM coverage "
                         "WHERE instrument=? AND kind=? AND from_ms<? AND to_ms>? ORDER BY from_ms");
    st->bind(1, *id).bind(2, int(kind)).bind(3, range.to).bind(4, range.from);
    while (st->step())
        out.push_back(coverageRow(*st, instrument));
    return out;
}

CoverageSummary StoreReader::coverageSummary(const Instrument &instrument, DataKind kind, TimeRange range, qint64 maxResolutionMs)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().coverageSummary(instrument, kind, range, maxResolutionMs);
    return Coverages::summarize(coverage(instrument, kind, range), kind, range, maxResolutionMs);
}

QVector<MarginTier> StoreReader::marginTiers(const Instrument &instrument)
{
    if (Aggregates::isAggregate(instrument))
        return {}; // per member: the heatmap takes each venue's own
    QVector<MarginTier> out;
    const auto id = idOf(instrument);
    if (!id)
        return out;
    DbStatement st = m_db.prepare("SELECT " PERPSCOPE_MARGIN_TIER_COLUMNS " FROM margin_tiers WHERE instrument=? ORDER BY tier");
    st.bind(1, *id);
    while (st.step())
        out.push_back(MarginTierRows::read(st));
    MarginTiers::deriveCum(out);
    return out;
}

QString StoreReader::liquidationFeed(const Instrument &instrument)
{
    if (Aggregates::isAggregate(instrument))
        return aggregates().liquidationFeed(instrument);
    DbStatement st = m_db.prepare("SELECT liq_feed FROM instruments WHERE exchange=? AND symbol=?");
    st.bind(1, instrument.exchange).bind(2, instrument.symbol);
    return st.step() ? st.text(0) : QString();
}

QString StoreReader::meta(const QString &key)
{
    DbStatement st = m_db.prepare("SELECT value FROM meta WHERE key=?");
    st.bind(1, key);
    return st.step() ? st.text(0) : QString();
}

QStringList StoreReader::metaKeys(const QString &prefix)
{
    QStringList out;
    DbStatement st = m_db.prepare("SELECT key FROM meta WHERE substr(key, 1, ?)=? ORDER BY key");
    st.bind(1, qint64(prefix.size())).bind(2, prefix);
    while (st.step())
        out << st.text(0);
    return out;
}
