#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "storage/storelocator.h"

#include <QString>
#include <optional>

class QMimeData;

// The drag-and-drop form of a selected range: our own MIME type (instrument, range, and
// the database it belongs to) plus text/plain and, when the CSV is given, text/csv and a
// file URL, so other applications (editors, file managers) receive the range's data.
namespace RangeMime {
inline const char *const type = "application/x-perpscope-range";

struct Payload
{
    StoreLocator store; // travels as its text
    Instrument instrument;
    TimeRange range;
};

QMimeData *encode(const Payload &payload, const QByteArray &csv = {}, const QString &csvFile = {});
std::optional<Payload> decode(const QMimeData *mime);
QString label(const Payload &payload); // "BTCUSDT 12 Jan 10:00 → 13 Jan 02:00 (16 h)"
QString suggestedFileName(const Payload &payload);
} // namespace RangeMime
