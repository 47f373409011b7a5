#include "fileimport.h"

#include "csvfields.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "linereader.h"
#include "zipentrydevice.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace {

constexpr int maxRowMessages = 20;
constexpr qint64 hashSlice = 8 * 1024 * 1024;
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

} // namespace

FileImport::FileImport(const QString &path, const ImportFormat::Hints &hints, Sink sink)
    : m_path(path)
    , m_hints(hints)
    , m_sink(std::move(sink))
{
    m_report.path = path;
    const QFileInfo info(path);
    m_bytesTotal = info.size();
    if (QFileInfo::exists(path + QStringLiteral(".CHECKSUM")))
        m_bytesTotal *= 2;
}

FileImport::~FileImport() = default;

qint64 FileImport::bytesDone() const
{
    const qint64 base = m_hashed; // the checksum pass reads the file once before the import pass
    switch (m_stage) {
    case Stage::Checksum:
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

bool FileImport::step(qint64 maxLines)
{
    switch (m_stage) {
    case Stage::Checksum:
        if (!m_hash && !startChecksum())
            return m_stage != Stage::Done;
        if (m_hash && !hashSome())
            return m_stage != Stage::Done;
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

// Returns false when there is nothing to hash (stage moves on) or on an error.
bool FileImport::startChecksum()
{
    const QString sumPath = m_path + QStringLiteral(".CHECKSUM");
    QFile sum(sumPath);
    if (!sum.exists()) {
        m_stage = Stage::Open;
        return false;
    }
    const QString name = QFileInfo(sumPath).fileName();
    if (!sum.open(QIODevice::ReadOnly))
        return fatal(QStringLiteral("cannot read %1 (%2); nothing imported").arg(name, sum.errorString())), false;
    static const QRegularExpression line(QStringLiteral(R"(^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$)"));
    const auto m = line.match(QString::fromUtf8(sum.read(4096)).section(QLatin1Char('\n'), 0, 0));
    if (!m.hasMatch())
        return fatal(QStringLiteral("%1 does not hold a sha256 checksum line (\"<64 hex digits>  <file name>\"); nothing imported").arg(name)),
               false;
    m_expectedSha = m.captured(1).toLower().toLatin1();
    if (m.captured(2) != QFileInfo(m_path).fileName())
        m_report.messages << QStringLiteral("%1: %2 names '%3'; checked against this file anyway").arg(m_report.name(), name, m.captured(2));
    m_hashFile.setFileName(m_path);
    if (!m_hashFile.open(QIODevice::ReadOnly))
        return fatal(QStringLiteral("cannot read the file (%1)").arg(m_hashFile.errorString())), false;
    m_hash = std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256);
    return true;
}

bool FileImport::hashSome()
{
    QByteArray buf(1 << 20, Qt::Uninitialized);
    for (qint64 done = 0; done < hashSlice;) {
        const qint64 n = m_hashFile.read(buf.data(), buf.size());
        if (n < 0)
            return fatal(QStringLiteral("cannot read the file (%1)").arg(m_hashFile.errorString())), false;
        if (n == 0) {
            const QByteArray actual = m_hash->result().toHex();
            m_hash.reset();
            m_hashFile.close();
            if (actual != m_expectedSha)
                return fatal(QStringLiteral("sha256 %1 does not match %2.CHECKSUM (%3): the download is corrupt or Binance re-published "
                                            "the file; download both again. Nothing was imported")
                                 .arg(QString::fromLatin1(actual.left(16)) + QStringLiteral("..."), m_report.name(),
                                      QString::fromLatin1(m_expectedSha.left(16)) + QStringLiteral("..."))),
                       false;
            m_report.messages << QStringLiteral("%1: sha256 matches %1.CHECKSUM").arg(m_report.name());
            m_stage = Stage::Open;
            return false;
        }
        m_hash->addData(QByteArrayView(buf.constData(), n));
        m_hashed += n;
        done += n;
    }
    return true;
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
    ++m_report.rejected;
    if (m_report.rejected > maxRowMessages)
        return;
    const QStringList header = ImportFormat::header(m_format.kind);
    if (p.column < 0)
        m_report.messages << QStringLiteral("%1:%2: expected %3").arg(m_report.name()).arg(line).arg(p.expected);
    else
        m_report.messages << QStringLiteral("%1:%2:%3: expected %4, got '%5'")
                                 .arg(m_report.name())
                                 .arg(line)
                                 .arg(header.value(p.column))
                                 .arg(p.expected, shown(f[p.column]));
}

template<typename Row>
void FileImport::accept(QVector<Row> &series, const Row &row, qint64 key, qint64 stepMs)
{
    if (m_haveKey && key == m_lastKey)
        ++m_report.duplicates; // the later row wins, as the store's upsert would have it
    else if (m_haveKey && key < m_lastKey)
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

void FileImport::handle(const CsvFields &f, qint64 line)
{
    RowProblem p;
    switch (m_format.kind) {
    case ImportKind::Klines:
    case ImportKind::MarkPriceKlines: {
        Candle c;
        qint64 interval = 0;
        if (!RowParsers::kline(f, m_time, &c, &interval, &p))
            return reject(line, p, f);
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
        auto &series = m_format.kind == ImportKind::Klines ? m_pending.candles : m_pending.markCandles;
        return accept(series, c, c.ts, m_intervalMs);
    }
    case ImportKind::AggTrades: {
        AggTrade t;
        if (!RowParsers::aggTrade(f, m_time, &t, &p))
            return reject(line, p, f);
        return addTrade(t);
    }
    case ImportKind::FundingRate:
    case ImportKind::Funding:
    case ImportKind::PredictedFunding: {
        FundingSample s;
        const bool ok = m_format.kind == ImportKind::FundingRate ? RowParsers::fundingRate(f, m_time, &s, &p) : RowParsers::ownFunding(f, &s, &p);
        if (!ok)
            return reject(line, p, f);
        auto &series = m_format.kind == ImportKind::PredictedFunding ? m_pending.predictedFunding : m_pending.funding;
        return accept(series, s, s.ts, m_format.kind == ImportKind::PredictedFunding ? 0 : s.intervalHours * 3'600'000LL);
    }
    case ImportKind::Metrics: {
        OpenInterestSample o;
        QByteArrayView symbol;
        bool empty = false;
        if (!RowParsers::metrics(f, &o, &symbol, &empty, &p))
            return reject(line, p, f);
        if (empty) {
            ++m_report.empty;
            return;
        }
        if (symbol.compare(m_format.name.symbol.toLatin1(), Qt::CaseInsensitive) != 0 && m_format.name.isValid())
            ++m_symbolMismatch;
        return accept(m_pending.openInterest, o, o.ts, metricsStepMs);
    }
    case ImportKind::Candles:
    case ImportKind::MarkCandles: {
        Candle c;
        if (!RowParsers::ownCandle(f, &c, &p))
            return reject(line, p, f);
        auto &series = m_format.kind == ImportKind::Candles ? m_pending.candles : m_pending.markCandles;
        return accept(series, c, c.ts, Timeframes::ms(m_candleTf));
    }
    case ImportKind::OpenInterest: {
        OpenInterestSample o;
        if (!RowParsers::ownOpenInterest(f, &o, &p))
            return reject(line, p, f);
        return accept(m_pending.openInterest, o, o.ts, 0);
    }
    case ImportKind::Liquidations: {
        Liquidation l;
        if (!RowParsers::ownLiquidation(f, &l, &p))
            return reject(line, p, f);
        // (ts, seq) is the key; seq stays far below 2^20 within one millisecond.
        return accept(m_pending.liquidations, l, l.ts * (1 << 20) + l.seq, 0);
    }
    }
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
    m_coverage.takeInto(m_pending);
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
    if (m_format.kind == ImportKind::AggTrades)
        takeBars(true);
    flush();
    if (m_stage == Stage::Done)
        return; // a shape check failed
    m_report.rows -= m_report.duplicates * (m_format.kind == ImportKind::AggTrades ? 0 : 1);
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
    if (m_symbolMismatch)
        m_report.messages << QStringLiteral("%1: %2 rows name another symbol than the file name; stored as %3")
                                 .arg(name)
                                 .arg(m_symbolMismatch)
                                 .arg(m_format.instrument.key());
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
