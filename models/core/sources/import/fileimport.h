#pragma once

#include "analysis/candlebuilder.h"
#include "fileprecheck.h"
#include "holetracker.h"
#include "importformat.h"
#include "importsummary.h"
#include "keyledger.h"
#include "neighbourwindow.h"
#include "rowparsers.h"
#include "rowscreen.h"
#include "sources/coveragetracker.h"
#include "sources/marketbatch.h"

#include <QFile>
#include <QHash>
#include <deque>
#include <functional>
#include <memory>

class CsvFields;
class LineReader;

// Imports one file (Binance dump, zipped or plain, or our own CSV export) in slices:
// verifies the .CHECKSUM beside it, decides the format from the first line, then parses
// rows and hands MarketBatches to the sink. Memory stays bounded (a batch of rows at most),
// whatever the file size. Malformed rows are reported (file:line:field) and skipped; a file
// of the wrong kind, a corrupt archive or a checksum mismatch stops it with one error, and
// nothing of a file whose checksum fails, whose zip entry fails its CRC-32 or inflates
// incompletely, or whose kind is unclear reaches the sink: those checks run first.
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
    static qint64 plannedBytes(const QString &path) { return FilePrecheck::plannedBytes(path); }
    const ImportSummary::File &report() const { return m_report; }
    void setFlushRows(qint64 rows) { m_flushRows = rows; }

private:
    enum class Stage { Check, Open, Rows, Done };

    bool open();
    void readRows(qint64 maxLines);
    void handle(const CsvFields &f, qint64 line);
    void reject(qint64 line, const RowProblem &p, const CsvFields &f);
    void rejectValue(qint64 line, const RowProblem &p, const QString &got);
    static QString nearMessage(double reference, double factor, const char *what);
    template<typename Row>
    bool firstOfItsKey(const QVector<Row> &series, const Row &row, qint64 line);
    template<typename Row>
    void accept(QVector<Row> &series, const Row &row, qint64 stepMs, qint64 line);
    void judgedBar(const NeighbourWindow<Candle>::Entry &e, double reference);
    void judgedOpenInterest(const NeighbourWindow<OpenInterestSample>::Entry &e, double reference, qint64 stepMs);
    void judgedTrade(const NeighbourWindow<AggTrade>::Entry &e, double reference);
    void judgedLiquidation(const NeighbourWindow<Liquidation>::Entry &e, double reference);
    void drainWindows();
    void addTrade(const AggTrade &t);
    void takeBars(bool includeOpen);
    void flush();
    bool checkShape();
    void finish();
    void fatal(const QString &error);
    // A spot dump's time unit must be the one its date says (µs from 2025-01-01); checked on
    // the first row that parsed. False (the file refused) when it is not.
    bool spotUnitFits();
    void setCandleTimeframe(Timeframe tf);
    void trackCoverage(qint64 ts, qint64 stepMs);

    QString m_path;
    ImportFormat::Hints m_hints;
    Sink m_sink;
    Stage m_stage = Stage::Check;
    qint64 m_bytesTotal = 0;
    FilePrecheck m_check;

    std::unique_ptr<QIODevice> m_device;
    std::unique_ptr<LineReader> m_lines;
    ImportFormat m_format;
    ImportSummary::File m_report;

    TimeColumn m_time;
    bool m_unitChecked = false;
    HoleTracker m_holes;
    MarketBatch m_pending;
    qint64 m_flushRows = 50'000;
    qint64 m_lastKey = 0;
    bool m_haveKey = false;
    qint64 m_lastPendingTs = 0;
    qint64 m_outOfOrder = 0;
    bool m_shapeChecked = false;
    bool m_takerBuyUnknown = false; // a row of our own candles export left taker_buy_volume empty
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

    // Plausibility beyond each field (issue 15.3) and the first-row-wins rule (15.4).
    RowScreen m_screen;
    NeighbourWindow<Candle> m_bars{[](const Candle &c) { return c.close; }, 10};
    NeighbourWindow<OpenInterestSample> m_oi{[](const OpenInterestSample &o) { return o.openInterest; }, 100};
    NeighbourWindow<AggTrade> m_trades{[](const AggTrade &t) { return t.price; }, 10};
    NeighbourWindow<Liquidation> m_liquidations{[](const Liquidation &l) { return l.price; }, 10};
    KeyLedger m_keys;
    QHash<qint64, qint64> m_recentLines; // key -> line of its first row, for the last few thousand keys
    std::deque<qint64> m_recentOrder;
    qint64 m_conflicts = 0;
};
