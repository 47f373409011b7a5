#pragma once

#include "domain/instrument.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"
#include "heatmapjob.h"
#include "heatmapparams.h"

#include <QtGlobal>

class QIODevice;
class StoreReader;

// The heatmap as CSV (DESIGN.md): `ts,price_low,price_high,long_usd,short_usd`, one row per
// non-empty model bin of each column; columns every timeframe from range.from (aligned to
// the timeframe), ts = column time, values = the state at that instant (after every bar that
// ended by then). The model runs from the first stored bar so every column has its history.
namespace HeatmapExport {

QByteArray header();
// Returns the number of data rows (no header). Throws StoreError on a database error,
// std::runtime_error when the store cannot feed the model (no open interest). Returns -1
// when cancelled.
qint64 write(StoreReader &reader, const Instrument &instrument, TimeRange range, Timeframe timeframe, const HeatmapParams &params,
             QIODevice &out, const HeatmapJob &job = {});

} // namespace HeatmapExport
