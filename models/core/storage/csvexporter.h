#pragma once

#include "domain/datakind.h"

#include "analysis/heatmapparams.h"
#include "domain/instrument.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"

#include <QString>
#include <QStringList>

class QIODevice;
class StoreReader;

// Writes one series of the store as CSV (the format in DESIGN.md, header row first). Reads
// the range in slices so memory stays flat whatever its length. Numbers use the shortest
// text that reads back to the same double.
class CsvExporter
{
public:
    struct Spec
    {
        QString kind; // candles, mark, funding, predicted_funding, oi, liquidations, heatmap
        Instrument instrument;
        TimeRange range;
        Timeframe timeframe = Timeframe::M1;
    };

    static QStringList kinds();
    static QString header(const QString &kind);
    // The stored kind whose extent bounds an export of `kind` (heatmap: the candles).
    static DataKind extentKind(const QString &kind);

    explicit CsvExporter(StoreReader &reader);
    // The model parameters for kind "heatmap" (default: the all_leverage preset).
    void setHeatmapParams(const HeatmapParams &params) { m_heatmap = params; }
    // Returns the number of data rows written; throws StoreError on a database error,
    // std::invalid_argument (message for the user) on an unusable spec and std::runtime_error
    // when the data cannot feed the heatmap model or the device refuses a write.
    qint64 write(const Spec &spec, QIODevice &out);

private:
    StoreReader &m_reader;
    HeatmapParams m_heatmap;
};
