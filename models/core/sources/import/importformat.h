#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "domain/timerange.h"

#include <QString>
#include <QStringList>
#include <optional>

class CsvFields;

// What a file to import holds. The Binance kinds are the data.binance.vision futures/um
// dumps; the others are Perpscope's own CSV export (DESIGN.md "CSV kinds").
enum class ImportKind {
    Klines,          // trade klines, 12 columns -> 1m candles
    MarkPriceKlines, // same layout and file names; only the folder or --kind mark tells
    AggTrades,       // -> 1m candles with taker-buy volume
    FundingRate,     // calc_time,funding_interval_hours,last_funding_rate
    Metrics,         // open interest every 5 minutes (daily files)
    Candles,         // our export: candles
    MarkCandles,     // our export: mark
    Funding,         // our export: funding
    PredictedFunding,
    OpenInterest,
    Liquidations,
};

// A data.binance.vision file name: SYMBOL-1m-2024-01.csv, SYMBOL-aggTrades-2024-01-01.zip...
struct DumpName
{
    QString symbol;
    QString dataType; // "klines" (then interval is set), "aggTrades", "fundingRate", ...
    QString interval; // "1m", "1h", ... for the kline family
    TimeRange period; // the month or day the file covers
    bool isValid() const { return !symbol.isEmpty(); }
};

// How to read one file, decided from its name, its folder, its first line and the user's
// hints, before any row is imported.
struct ImportFormat
{
    ImportKind kind = ImportKind::Klines;
    Instrument instrument;
    bool hasHeader = false;
    int columns = 0;       // expected field count (a file may carry more for our own CSV)
    bool kindFromContentOnly = false; // a loose kline file: no folder or flag said which kind
    // A data.binance.vision spot dump (its path has a spot/ folder: data/spot/monthly/klines/
    // ...): stored on the BINANCE_SPOT venue, no header, and its times are microseconds from
    // 2025-01-01 on (research/data-formats-2.md §D.3).
    bool spot = false;
    DumpName name;

    // Decides the format, or returns nullopt with *error set to one sentence (without the
    // file name) saying what the file is and why it cannot be imported.
    struct Hints
    {
        Instrument instrument;         // overrides the file name
        std::optional<DataKind> kind; // --kind: mark, candles, funding, ...
    };
    static std::optional<ImportFormat> detect(const QString &path, const QString &innerName, const CsvFields &firstLine,
                                              const Hints &hints, QString *error);

    static DumpName parseName(const QString &fileName);
    static QString kindName(ImportKind kind);    // "Binance klines", "Perpscope candles CSV", ...
    static QStringList header(ImportKind kind);   // expected column names
    static DataKind storedAs(ImportKind kind);
    static QString duration(qint64 ms); // "5 min", "3 h", "1 day"
    // Binance spot dumps switched from milliseconds to microseconds on this day (UTC).
    static constexpr qint64 spotMicrosecondsFrom = 1'735'689'600'000; // 2025-01-01
    // For a spot dump: whether the file's period says microseconds; nullopt without a dated name.
    std::optional<bool> spotExpectsMicroseconds() const;
};
