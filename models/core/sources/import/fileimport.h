#pragma once

#include "analysis/candlebuilder.h"
#include "holetracker.h"
#include "importformat.h"
#include "importsummary.h"
#include "rowparsers.h"
#include "sources/coveragetracker.h"
#include "sources/marketbatch.h"

#include <QCryptographicHash>
#include <QFile>
#include <functional>
#include <memory>

class CsvFields;
class LineReader;

// Imports one file (Binance dump, zipped or plain, or our own CSV export) in slices:
// verifies the .CHECKSUM beside it, decides the format from the first line, then parses
// rows and hands MarketBatches to the sink. Memory stays bounded (a batch of rows at most),
// whatever the file size. Malformed rows are reported (file:line:field) and skipped; a file
// of the wrong kind, a corrupt archive or a checksum mismatch stops it with one error, and
// nothing of a file whose checksum fails or whose kind is unclear reaches the sink.
class FileImport
{
public:
    using Sink = std::function<void(const MarketBatch &)>;

    FileImport(const QString &path, const ImportFormat::Hints &hints, Sink sink);
    ~FileImport();

    // Does up to about maxLines lines of work (or hashes a few MB). True while unfinished.
    bool step(qint64 maxLines);
    void run()
    {
        while (step(1 << 20)) {
        }
    }

    qint64 bytesDone() const;
    qint64 bytesTotal() const { return m_bytesTotal; }
    const ImportSummary::File &report() const { return m_report; }
    void setFlushRows(qint64 rows) { m_flushRows = rows; }

private:
    enum class Stage { Checksum, Open, Rows, Done };

    bool startChecksum();
    bool hashSome();
    bool open();
    void readRows(qint64 maxLines);
    void handle(const CsvFields &f, qint64 line);
    void reject(qint64 line, const RowProblem &p, const CsvFields &f);
    template<typename Row>
    void accept(QVector<Row> &series, const Row &row, qint64 key, qint64 stepMs);
    void addTrade(const AggTrade &t);
    void takeBars(bool includeOpen);
    void flush();
    bool checkShape();
    void finish();
    void fatal(const QString &error);
    void setCandleTimeframe(Timeframe tf);
    void trackCoverage(qint64 ts, qint64 stepMs);

    QString m_path;
    ImportFormat::Hints m_hints;
    Sink m_sink;
    Stage m_stage = Stage::Checksum;
    qint64 m_bytesTotal = 0;
    qint64 m_hashed = 0;

    QFile m_hashFile;
    std::unique_ptr<QCryptographicHash> m_hash;
    QByteArray m_expectedSha;

    std::unique_ptr<QIODevice> m_device;
    std::unique_ptr<LineReader> m_lines;
    ImportFormat m_format;
    ImportSummary::File m_report;

    TimeColumn m_time;
    HoleTracker m_holes;
    MarketBatch m_pending;
    qint64 m_flushRows = 50'000;
    qint64 m_lastKey = 0;
    bool m_haveKey = false;
    qint64 m_lastPendingTs = 0;
    qint64 m_outOfOrder = 0;
    bool m_shapeChecked = false;
    bool m_flushedAny = false;
    qint64 m_accepted = 0;
    qint64 m_intervalMs = 0;
    Timeframe m_candleTf = Timeframe::M1;
    CoverageTracker m_coverage;

    // aggTrades -> 1m bars
    CandleBuilder m_builder;
    qint64 m_maxId = -1;
    qint64 m_idGaps = 0;
    qint64 m_missingIds = 0;
    qint64 m_lateTrades = 0;
    qint64 m_lastEmittedBar = -1;
    qint64 m_symbolMismatch = 0;
};
