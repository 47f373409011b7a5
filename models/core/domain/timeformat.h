#pragma once

#include <QString>
#include <optional>

// Times on the command line and in files: ISO-8601 UTC ("2026-01-20T00:00:00Z", also a bare
// date "2026-01-20") or epoch milliseconds.
namespace TimeFormat {
std::optional<qint64> parse(const QString &text);
QString iso(qint64 ms);      // "2026-01-20T00:00:00Z"
QString display(qint64 ms);  // "2026-01-20 00:00 UTC"
QString minute(qint64 ms);   // "2026-01-20 00:00" (a table whose header says UTC)
} // namespace TimeFormat
