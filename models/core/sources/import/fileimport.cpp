#include "fileimport.h"

#include "csvfields.h"
#include "domain/numbers.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "linereader.h"
#include "zipentrydevice.h"

#include <QDateTime>
#include <QFileInfo>

namespace {

constexpr int maxRowMessages = 20;
constexpr int shapeRows = 64;
constexpr qint64 metricsStepMs = 5 * 60'000;

QString shown(QByteArrayView v)
{
    QString s = QString::fromUtf8(v.first(std::min<qsizetype>(v.size(), 40)).toByteArray());
    for (QChar &c : s)
        if (!c.isPrint())
            c = QChar(0xFFFD);
    return v.size() > 40 ? s + QStringLiteral("...") : s;
}

qint64 day(qint64 ts)
{
    return Timeframes::floor(Timeframe::D1, ts);
}

// The spacing of a kind's keys, so the ledger of seen keys stays a few runs long.
qint64 keyStep(ImportKind kind)
{
    switch (kind) {
    case ImportKind::Klines:
    case ImportKind::MarkPriceKlines:
    case ImportKind::Candles:
    case ImportKind::MarkCandles:
    case ImportKind::PredictedFunding: return Timeframes::minuteMs;
    case ImportKind::FundingRate:
    case ImportKind::Funding: return 3'600'000;
    case ImportKind::Metrics: return metricsStepMs;
    default: return 1;
    }
}

} // namespace

FileImport::FileImport(const QString &path, const ImportFormat::Hints &hints, Sink sink)
    : m_path(path)
    , m_hints(hints)
    , m_sink(std::move(sink))
    , m_check(path)
{
    m_report.path = path;
    m_bytesTotal = FilePrecheck::plannedBytes(path);
}

FileImport::~FileImport() = default;

qint64 FileImport::bytesDone() const
{
    // The checksum and zip verification passes read the file before the import pass.
    const qint64 base = m_check.bytesDone();
    switch (m_stage) {
    case Stage::Check:
    case Stage::Open: return base;
    case Stage::Rows:
        if (auto *zip = dynamic_cast<ZipEntryDevice *>(m_device.get()))
            return base + zip->archivePosition();
        return base + (m_device ? m_device->pos() : 0);
    case Stage::Done: return m_bytesTotal;
    }
    return 0;
}

void FileImport::fatal(const QString &error)
{
    m_report.error = error;
    m_pending = MarketBatch{};
    m_stage = Stage::Done;
    m_lines.reset();
    m_device.reset();
}

bool FileImport::spotUnitFits()
{
    if (m_unitChecked)
        return true;
    m_unitChecked = true;
    const std::optional<bool> micro = m_format.spotExpectsMicroseconds();
    if (!micro || *micro == m_time.isMicroseconds())
        return true;
    const QString date = TimeFormat::iso(m_format.name.period.from).left(m_format.name.period.span() > 86'400'000 ? 7 : 10);
    fatal(QStringLiteral("a Binance spot dump of %1 must hold its times in %2 (spot dumps are in microseconds from 2025-01-01 on, "
                         "milliseconds before), but its first %3 is in %4: not a file as Binance publishes it")
              .arg(date, *micro ? QStringLiteral("microseconds") : QStringLiteral("milliseconds"), ImportFormat::header(m_format.kind).value(m_format.kind == ImportKind::AggTrades ? 5 : 0),
                   m_time.isMicroseconds() ? QStringLiteral("microseconds") : QStringLiteral("milliseconds")));
    return false;
}

bool FileImport::step(qint64 maxLines)
{
    switch (m_stage) {
    case Stage::Check:
        if (m_check.step())
            return true;
        m_report.messages << m_check.messages();
        if (!m_check.ok())
            return fatal(m_check.error()), false;
        m_stage = Stage::Open;
        return true;
    case Stage::Open:
        if (open())
            m_stage = Stage::Rows;
        return m_stage != Stage::Done;
    case Stage::Rows:
        readRows(maxLines);
        return m_stage != Stage::Done;
    case Stage::Done: return false;
    }
    return false;
}

bool FileImport::open()
{
    QFile probe(m_path);
    if (!probe.open(QIODevice::ReadOnly))
        return fatal(QStringLiteral("cannot read the file (%1)").arg(probe.errorString())), false;
    const QByteArray magic = probe.read(4);
    probe.close();
    if (magic.isEmpty())
        return fatal(QStringLiteral("the file is empty")), false;
    QString inner;
    if (magic == QByteArray("PK\x03\x04", 4) || magic == QByteArray("PK\x05\x06", 4)) {
        auto zip = std::make_unique<ZipEntryDevice>(m_path);
        if (!zip->open(QIODevice::ReadOnly))
            return fatal(zip->errorString()), false;
        inner = zip->entryName();
        m_device = std::move(zip);
    } else {
        auto file = std::make_unique<QFile>(m_path);
        if (!file->open(QIODevice::ReadOnly))
            return fatal(QStringLiteral("cannot read the file (%1)").arg(file->errorString())), false;
        m_device = std::move(file);
    }
    m_lines = std::make_unique<LineReader>(*m_device);
    QByteArrayView first;
    do {
        if (!m_lines->next(&first))
            return fatal(m_lines->error().isEmpty() ? QStringLiteral("the file holds no data") : m_lines->error()), false;
    } while (first.trimmed().isEmpty());
    for (const char c : first)
        if ((uchar(c) < 0x20 && c != '\t') || c == 0x7f)
            return fatal(QStringLiteral("not a CSV text file (control characters in its first line)")), false;
    if (!QUtf8StringView(first).isValidUtf8())
        return fatal(QStringLiteral("not a CSV text file (its first line is not UTF-8 text)")), false;
    const CsvFields fields(first);
    QString error;
    const auto format = ImportFormat::detect(m_path, inner, fields, m_hints, &error);
    if (!format)
        return fatal(error), false;
    m_format = *format;
    m_report.format = ImportFormat::kindName(m_format.kind);
    m_report.instrument = m_format.instrument;
    m_report.storedAs = ImportFormat::storedAs(m_format.kind);
    m_pending.instrument = m_format.instrument;
    m_holes.setPeriod(m_format.name.period);
    m_screen = RowScreen(m_format, QDateTime::currentMSecsSinceEpoch());
    m_keys = KeyLedger(keyStep(m_format.kind));
    if (!m_format.hasHeader)
        handle(fields, m_lines->lineNumber());
    return m_stage != Stage::Done;
}

void FileImport::readRows(qint64 maxLines)
{
    QByteArrayView line;
    for (qint64 i = 0; i < maxLines && m_stage == Stage::Rows; ++i) {
        if (!m_lines->next(&line)) {
            if (!m_lines->error().isEmpty()) {
                const QString why = QStringLiteral("stopped at line %1: %2").arg(m_lines->lineNumber() + 1).arg(m_lines->error());
                if (m_flushedAny || m_accepted > 0) {
                    finish();
                    m_report.error = why;
                } else {
                    fatal(m_lines->error());
                }
                return;
            }
            finish();
            return;
        }
        if (line.trimmed().isEmpty())
            continue;
        handle(CsvFields(line), m_lines->lineNumber());
    }
}

void FileImport::reject(qint64 line, const RowProblem &p, const CsvFields &f)
{
    rejectValue(line, p, p.column >= 0 && p.column < f.size() ? shown(f[p.column]) : QString());
}

void FileImport::rejectValue(qint64 line, const RowProblem &p, const QString &got)
{
    ++m_report.rejected;
    if (m_report.rejected > maxRowMessages)
        return;
    const QStringList header = ImportFormat::header(m_format.kind);
    if (p.column < 0)
        m_report.messages << QStringLiteral("%1:%2: expected %3").arg(m_report.name()).arg(line).arg(p.expected);
    else
        m_report.messages << QStringLiteral("%1:%2:%3: expected %4, got '%5'").arg(m_report.name()).arg(line).arg(header.value(p.column)).arg(p.expected, got);
}

namespace {

qint64 keyOf(const Candle &c) { return c.ts; }
qint64 keyOf(const FundingSample &s) { return s.ts; }
qint64 keyOf(const OpenInterestSample &o) { return o.ts; }
qint64 keyOf(const Liquidation &l) { return l.ts * (1 << 20) + l.seq; } // seq stays far below 2^20 within one ms

constexpr double priceFactor = 10;  // a price 10x off the prices around it is damage, not a market
constexpr double oiFactor = 100;    // open interest builds fast after a listing; 100x in minutes is damage
constexpr qsizetype recentKeys = 4096;

} // namespace

// Duplicates (issue 15.4): within one file the first row of a time wins. A later row of the
// same time is skipped: counted as an identical duplicate when its values equal the first
// row's, and rejected with a message naming the first row's line when they differ (a dump
// that says two things about one minute is damaged; the first is kept, as a re-import of a
// corrected file would replace it). Across files and imports the newest import wins (the
// store upserts), so re-importing a fixed file repairs what is stored.
template<typename Row>
bool FileImport::firstOfItsKey(const QVector<Row> &series, const Row &row, qint64 line)
{
    const qint64 key = keyOf(row);
    if (!m_keys.contains(key)) {
        m_keys.insert(key);
        m_recentLines.insert(key, line);
        m_recentOrder.push_back(key);
        if (qsizetype(m_recentOrder.size()) > recentKeys) {
            m_recentLines.remove(m_recentOrder.front());
            m_recentOrder.pop_front();
        }
        return true;
    }
    for (qsizetype i = series.size() - 1; i >= 0 && i >= series.size() - 64; --i)
        if (keyOf(series[i]) == key && series[i] == row) {
            ++m_report.duplicates;
            return false;
        }
    ++m_conflicts;
    const qint64 first = m_recentLines.value(key, 0);
    ++m_report.rejected;
    if (m_report.rejected <= maxRowMessages)
        m_report.messages << QStringLiteral("%1:%2:%3: repeats %4 of %5 with different values; the first row is kept")
                                 .arg(m_report.name())
                                 .arg(line)
                                 .arg(ImportFormat::header(m_format.kind).value(0), TimeFormat::iso(row.ts),
                                      first > 0 ? QStringLiteral("line %1").arg(first) : QStringLiteral("an earlier row"));
    return false;
}

template<typename Row>
void FileImport::accept(QVector<Row> &series, const Row &row, qint64 stepMs, qint64 line)
{
    if (m_stage == Stage::Done || !firstOfItsKey(series, row, line))
        return;
    const qint64 key = keyOf(row);
    if (m_haveKey && key < m_lastKey)
        ++m_outOfOrder;
    if (stepMs > 0)
        m_holes.add(row.ts, stepMs);
    trackCoverage(row.ts, stepMs);
    if (!m_haveKey || key > m_lastKey)
        m_lastKey = key;
    m_haveKey = true;

    const qint64 pending = m_pending.rowCount();
    if (pending >= 4 * m_flushRows || (pending >= m_flushRows && day(row.ts) != day(m_lastPendingTs)))
        flush();
    if (m_stage == Stage::Done)
        return;
    series.push_back(row);
    m_lastPendingTs = row.ts;
    ++m_accepted;
    if (!m_shapeChecked && m_accepted >= shapeRows && !checkShape())
        return;
}

// A bar whose prices lie more than priceFactor from the median close around it.
void FileImport::judgedBar(const NeighbourWindow<Candle>::Entry &e, double reference)
{
    const Candle &c = e.row;
    const double values[] = {c.open, c.high, c.low, c.close}; // columns 1-4 in both layouts
    for (int i = 0; i < 4; ++i)
        if (!m_bars.plausible(values[i], reference))
            return rejectValue(e.line, {1 + i, nearMessage(reference, priceFactor, "close")}, QString::fromLatin1(Numbers::format(values[i])));
    auto &series = m_format.kind == ImportKind::Klines || m_format.kind == ImportKind::Candles ? m_pending.candles : m_pending.markCandles;
    accept(series, c, Timeframes::ms(m_candleTf), e.line);
}

QString FileImport::nearMessage(double reference, double factor, const char *what)
{
    return QStringLiteral("a value within %1x of the rows around it (median %2 %3)")
        .arg(factor)
        .arg(QString::fromLatin1(Numbers::format(reference)), QLatin1String(what));
}

void FileImport::handle(const CsvFields &f, qint64 line)
{
    RowProblem p;
    switch (m_format.kind) {
    case ImportKind::Klines:
    case ImportKind::MarkPriceKlines: {
        Candle c;
        qint64 interval = 0;
        if (!RowParsers::kline(f, m_time, &c, &interval, &p) || !m_screen.inPeriod(c.ts, 0, &p))
            return reject(line, p, f);
        if (!spotUnitFits())
            return;
        if (m_intervalMs == 0) {
            m_intervalMs = interval;
            const auto tier = std::find_if(Timeframes::all.begin(), Timeframes::all.end(), [interval](Timeframe tf) { return Timeframes::ms(tf) == interval; });
            if (tier == Timeframes::all.end())
                return fatal(QStringLiteral("its bars are %1 long (close_time - open_time); Perpscope keeps bars of 1m, 5m, 15m, 1h, 4h "
                                            "and 1d, and a bar of another length fits none of them: import the 1m files (or 5m ... 1d)")
                                 .arg(ImportFormat::duration(interval)));
            setCandleTimeframe(*tier);
        }
        if (interval != m_intervalMs)
            return reject(line, {6, QStringLiteral("open_time + %1 ms - 1 (a %2 bar like the rows before)")
                                        .arg(m_intervalMs)
                                        .arg(Timeframes::name(m_candleTf))},
                          f);
        return m_bars.push(c, line, [this](const auto &e, double ref) { judgedBar(e, ref); });
    }
    case ImportKind::AggTrades: {
        AggTrade t;
        if (!RowParsers::aggTrade(f, m_time, &t, &p) || !m_screen.inPeriod(t.ts, 5, &p))
            return reject(line, p, f);
        if (!spotUnitFits())
            return;
        return m_trades.push(t, line, [this](const auto &e, double ref) { judgedTrade(e, ref); });
    }
    case ImportKind::FundingRate:
    case ImportKind::Funding:
    case ImportKind::PredictedFunding: {
        FundingSample s;
        const bool ok = m_format.kind == ImportKind::FundingRate ? RowParsers::fundingRate(f, m_time, &s, &p) : RowParsers::ownFunding(f, &s, &p);
        if (!ok || !m_screen.inPeriod(s.ts, 0, &p))
            return reject(line, p, f);
        auto &series = m_format.kind == ImportKind::PredictedFunding ? m_pending.predictedFunding : m_pending.funding;
        return accept(series, s, m_format.kind == ImportKind::PredictedFunding ? 0 : s.intervalHours * 3'600'000LL, line);
    }
    case ImportKind::Metrics: {
        OpenInterestSample o;
        QByteArrayView symbol;
        bool empty = false;
        if (!RowParsers::metrics(f, &o, &symbol, &empty, &p) || !m_screen.inPeriod(o.ts, 0, &p) || !m_screen.ownSymbol(symbol, 1, &p))
            return reject(line, p, f);
        if (empty) {
            ++m_report.empty;
            return;
        }
        return m_oi.push(o, line, [this](const auto &e, double ref) { judgedOpenInterest(e, ref, metricsStepMs); });
    }
    case ImportKind::Candles:
    case ImportKind::MarkCandles: {
        Candle c;
        bool takerBuyKnown = true;
        if (!RowParsers::ownCandle(f, &c, &p, &takerBuyKnown) || !m_screen.inPeriod(c.ts, 0, &p))
            return reject(line, p, f);
        if (!takerBuyKnown)
            m_takerBuyUnknown = true;
        return m_bars.push(c, line, [this](const auto &e, double ref) { judgedBar(e, ref); });
    }
    case ImportKind::OpenInterest: {
        OpenInterestSample o;
        if (!RowParsers::ownOpenInterest(f, &o, &p) || !m_screen.inPeriod(o.ts, 0, &p))
            return reject(line, p, f);
        return m_oi.push(o, line, [this](const auto &e, double ref) { judgedOpenInterest(e, ref, 0); });
    }
    case ImportKind::Liquidations: {
        Liquidation l;
        if (!RowParsers::ownLiquidation(f, &l, &p) || !m_screen.inPeriod(l.ts, 0, &p))
            return reject(line, p, f);
        return m_liquidations.push(l, line, [this](const auto &e, double ref) { judgedLiquidation(e, ref); });
    }
    }
}

void FileImport::judgedOpenInterest(const NeighbourWindow<OpenInterestSample>::Entry &e, double reference, qint64 stepMs)
{
    if (!m_oi.plausible(e.row.openInterest, reference))
        return rejectValue(e.line, {m_format.kind == ImportKind::Metrics ? 2 : 1, nearMessage(reference, oiFactor, "open interest")},
                           QString::fromLatin1(Numbers::format(e.row.openInterest)));
    accept(m_pending.openInterest, e.row, stepMs, e.line);
}

void FileImport::judgedTrade(const NeighbourWindow<AggTrade>::Entry &e, double reference)
{
    if (!m_trades.plausible(e.row.price, reference))
        return rejectValue(e.line, {1, nearMessage(reference, priceFactor, "price")}, QString::fromLatin1(Numbers::format(e.row.price)));
    addTrade(e.row);
}

void FileImport::judgedLiquidation(const NeighbourWindow<Liquidation>::Entry &e, double reference)
{
    if (!m_liquidations.plausible(e.row.price, reference))
        return rejectValue(e.line, {2, nearMessage(reference, priceFactor, "price")}, QString::fromLatin1(Numbers::format(e.row.price)));
    accept(m_pending.liquidations, e.row, 0, e.line);
}

void FileImport::drainWindows()
{
    m_trades.drain([this](const auto &e, double ref) { judgedTrade(e, ref); });
    m_bars.drain([this](const auto &e, double ref) { judgedBar(e, ref); });
    m_oi.drain([this](const auto &e, double ref) { judgedOpenInterest(e, ref, m_format.kind == ImportKind::Metrics ? metricsStepMs : 0); });
    m_liquidations.drain([this](const auto &e, double ref) { judgedLiquidation(e, ref); });
}

void FileImport::addTrade(const AggTrade &t)
{
    if (t.id <= m_maxId) {
        ++m_report.duplicates; // dumps repeat rows (BTCUSDT 2022-09); the id says so
        return;
    }
    if (m_maxId >= 0 && t.id > m_maxId + 1) {
        ++m_idGaps;
        m_missingIds += t.id - m_maxId - 1;
    }
    m_maxId = t.id;
    const qint64 minute = Timeframes::floor(Timeframe::M1, t.ts);
    const auto open = m_builder.current();
    if (open && minute < open->ts) {
        ++m_lateTrades; // its bar was already closed; the builder would drop it silently
        return;
    }
    m_builder.addTrade(t.ts, t.price, t.qty, t.takerBuy);
    ++m_accepted;
    if (open && minute != open->ts) {
        // The previous minute is complete: move it to the pending batch, cut batches on days.
        takeBars(false);
        const qint64 pending = m_pending.candles.size();
        if (pending >= m_flushRows || (pending > 0 && day(minute) != day(m_pending.candles.back().ts)))
            flush();
    }
}

void FileImport::takeBars(bool includeOpen)
{
    QVector<Candle> bars = m_builder.take();
    const auto open = m_builder.current();
    if (includeOpen && open)
        bars.push_back(*open); // the file ended: the open bar is as complete as it will get
    for (const Candle &c : bars) {
        if (c.ts <= m_lastEmittedBar || (!includeOpen && open && c.ts >= open->ts))
            continue; // emitted before, or still open (it comes back when it closes)
        m_pending.candles.push_back(c);
        m_lastEmittedBar = c.ts;
        trackCoverage(c.ts, Timeframes::minuteMs);
    }
}

bool FileImport::checkShape()
{
    m_shapeChecked = true;
    if ((m_format.kind == ImportKind::Klines || m_format.kind == ImportKind::MarkPriceKlines) && m_format.kindFromContentOnly) {
        const auto &bars = m_format.kind == ImportKind::Klines ? m_pending.candles : m_pending.markCandles;
        const bool allZero = !bars.isEmpty() && std::all_of(bars.begin(), bars.end(), [](const Candle &c) {
            return c.volume == 0 && c.quoteVolume == 0 && c.takerBuyVolume == 0;
        });
        if (allZero)
            return fatal(QStringLiteral("ambiguous kline file: its bars have no volume, as mark/index price klines do, and no folder "
                                        "(klines/ or markPriceKlines/) says which it is; pass --kind mark or --kind candles")),
                   false;
    }
    if (m_format.kind == ImportKind::Candles || m_format.kind == ImportKind::MarkCandles) {
        const auto &bars = m_format.kind == ImportKind::Candles ? m_pending.candles : m_pending.markCandles;
        qint64 minGap = 0;
        for (qsizetype i = 1; i < bars.size(); ++i) {
            const qint64 gap = bars[i].ts - bars[i - 1].ts;
            if (gap > 0 && (minGap == 0 || gap < minGap))
                minGap = gap;
        }
        for (Timeframe tf : Timeframes::all) {
            if (tf == Timeframe::M1 || minGap < Timeframes::ms(tf) || minGap % Timeframes::ms(tf) != 0)
                continue;
            const bool aligned = std::all_of(bars.begin(), bars.end(), [tf](const Candle &c) { return Timeframes::floor(tf, c.ts) == c.ts; });
            if (aligned && bars.size() >= 2 && minGap == Timeframes::ms(tf)) {
                // Exported with --timeframe: the bars go to their own tier.
                setCandleTimeframe(tf);
                break;
            }
        }
    }
    return true;
}

void FileImport::flush()
{
    if (!m_shapeChecked && !checkShape())
        return;
    const qsizetype spansBefore = m_pending.coverage.size();
    m_coverage.takeInto(m_pending);
    // Trade klines, trades and our own candles carry taker-buy volume: the same spans cover
    // it, unless a row of the file left it empty (unknown; the whole file then stays unknown).
    const bool takerBuys = m_format.kind == ImportKind::Klines || m_format.kind == ImportKind::AggTrades || m_format.kind == ImportKind::Candles;
    if (takerBuys && !m_takerBuyUnknown)
        for (qsizetype i = spansBefore, n = m_pending.coverage.size(); i < n; ++i)
            if (m_pending.coverage[i].kind == DataKind::Candles) {
                CoverageSpan s = m_pending.coverage[i];
                s.kind = DataKind::TakerBuy;
                m_pending.coverage.push_back(s);
            }
    if (m_pending.isEmpty())
        return;
    const qint64 n = m_pending.rowCount();
    m_sink(m_pending);
    m_flushedAny = true;
    m_report.rows += n;
    for (const Candle &c : m_pending.candles)
        m_report.span = m_report.span.united({c.ts, c.ts + Timeframes::ms(m_candleTf)});
    for (const Candle &c : m_pending.markCandles)
        m_report.span = m_report.span.united({c.ts, c.ts + Timeframes::ms(m_candleTf)});
    for (const auto *s : {&m_pending.funding, &m_pending.predictedFunding})
        for (const FundingSample &x : *s)
            m_report.span = m_report.span.united({x.ts, x.ts + 1});
    for (const OpenInterestSample &x : m_pending.openInterest)
        m_report.span = m_report.span.united({x.ts, x.ts + 1});
    for (const Liquidation &x : m_pending.liquidations)
        m_report.span = m_report.span.united({x.ts, x.ts + 1});
    const Instrument instrument = m_pending.instrument;
    m_pending = MarketBatch{};
    m_pending.instrument = instrument;
    m_pending.candleTimeframe = m_candleTf;
}

void FileImport::finish()
{
    drainWindows();
    if (m_stage == Stage::Done)
        return; // a shape check failed
    if (m_format.kind == ImportKind::AggTrades)
        takeBars(true);
    flush();
    if (m_stage == Stage::Done)
        return; // a shape check failed
    m_report.lines = m_lines ? m_lines->lineNumber() - (m_format.hasHeader ? 1 : 0) : 0;
    const QString name = m_report.name();
    if (m_report.rejected > maxRowMessages)
        m_report.messages << QStringLiteral("%1: ... and %2 more malformed rows").arg(name).arg(m_report.rejected - maxRowMessages);
    if (m_accepted == 0 && m_report.rejected > 0)
        m_report.error = QStringLiteral("none of its %1 rows could be read as %2").arg(m_report.rejected).arg(m_report.format);
    if (m_outOfOrder)
        m_report.messages << QStringLiteral("%1: %2 rows out of time order (stored by their time)").arg(name).arg(m_outOfOrder);
    if (m_lateTrades)
        m_report.messages << QStringLiteral("%1: %2 trades out of time order skipped (their minute was already complete)").arg(name).arg(m_lateTrades);
    if (m_idGaps)
        m_report.messages << QStringLiteral("%1: %2 agg trade ids missing in %3 gaps").arg(name).arg(m_missingIds).arg(m_idGaps);
    if (m_conflicts)
        m_report.messages << QStringLiteral("%1: %2 rows repeat the time of an earlier row with different values: the first row of each time "
                                            "is kept")
                                 .arg(name)
                                 .arg(m_conflicts);
    if (m_time.isMicroseconds())
        m_report.messages << QStringLiteral("%1: timestamps are in microseconds; stored as milliseconds").arg(name);
    switch (m_format.kind) {
    case ImportKind::Klines:
    case ImportKind::MarkPriceKlines:
    case ImportKind::Candles:
    case ImportKind::MarkCandles: m_report.messages << m_holes.report(name, QStringLiteral("bars")); break;
    case ImportKind::Metrics: m_report.messages << m_holes.report(name, QStringLiteral("samples")); break;
    case ImportKind::FundingRate:
    case ImportKind::Funding: m_report.messages << m_holes.report(name, QStringLiteral("settlements")); break;
    default: break;
    }
    m_stage = Stage::Done;
    m_lines.reset();
    m_device.reset();
}

void FileImport::setCandleTimeframe(Timeframe tf)
{
    m_candleTf = tf;
    m_pending.candleTimeframe = tf;
    m_intervalMs = Timeframes::ms(tf);
    m_report.timeframe = tf;
    // Rows read before the timeframe was known were checked for holes at 1m: check again.
    m_holes = HoleTracker();
    m_holes.setPeriod(m_format.name.period);
    for (const auto *bars : {&m_pending.candles, &m_pending.markCandles})
        for (const Candle &c : *bars)
            m_holes.add(c.ts, m_intervalMs);
}

void FileImport::trackCoverage(qint64 ts, qint64 stepMs)
{
    if (!m_coverage.isValid()) {
        // What a file says it covered: every row of a dump stands for its interval; a hole
        // inside (a maintenance window, a missing day) stays a hole. Our own liquidation CSVs
        // say nothing about the spans they were recorded over, so they record none.
        double tolerance = 1;
        switch (m_format.kind) {
        case ImportKind::Liquidations: return;
        case ImportKind::Candles:
        case ImportKind::MarkCandles: stepMs = 0; break; // learned: a CSV may hold any tier
        case ImportKind::AggTrades: tolerance = 60; break; // minutes without a trade are not holes
        case ImportKind::FundingRate:
        case ImportKind::Funding: tolerance = 1.5; break;
        case ImportKind::Metrics:
        case ImportKind::OpenInterest:
        case ImportKind::PredictedFunding: tolerance = 3; break;
        case ImportKind::Klines:
        case ImportKind::MarkPriceKlines: break;
        }
        m_coverage = CoverageTracker(ImportFormat::storedAs(m_format.kind), stepMs, tolerance, CoverageQuality::Complete, QStringLiteral("import"));
    }
    m_coverage.add(ts);
}
