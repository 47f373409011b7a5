#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "sources/ingestworker.h"
#include "storage/storelocator.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <stdexcept>

class QCommandLineParser;
class StoreReader;

// Shared plumbing of the headless commands: one-line errors on stderr, exit codes, and the
// options every command reads the same way (--db, --instrument, --from/--to).
namespace CliSupport {

enum ExitCode { Ok = 0, Failure = 1, Usage = 2 };

// A user-facing error: main prints "perpscope: <what>" and exits with code.
class Error : public std::runtime_error
{
public:
    Error(const QString &what, int code = Failure)
        : std::runtime_error(what.toStdString())
        , m_code(code)
    {
    }
    int code() const { return m_code; }

private:
    int m_code;
};

[[noreturn]] void usage(const QString &message);
// Parses args (args[0] = the command name) and fails with a usage error on unknown options
// or stray positionals beyond maxPositionals.
void parse(QCommandLineParser &parser, const QStringList &args, int maxPositionals = 0);
QString requireValue(const QCommandLineParser &parser, const QString &name);
// --db (required for headless commands): an SQLite file path or a PostgreSQL URI; a usage
// error when it names no kind of store this program knows.
StoreLocator storeLocator(const QCommandLineParser &parser);
// --out FILE: a new file, or a regular file to replace. A device, FIFO, socket or folder is
// refused (QSaveFile would rename a regular file over /dev/full, or block on a FIFO).
void checkOutputFile(const QString &option, const QString &path);
qint64 timeValue(const QString &option, const QString &text);
double numberValue(const QString &option, const QString &text); // finite numbers only
// --instrument text: VENUE:SYMBOL or SYMBOL (then defaultExchange, which may be empty for a
// source that picks its own venue), or a usage error.
Instrument instrumentValue(const QString &option, const QString &text, const QString &defaultExchange);
// --instrument as given, or the store's only instrument when the option is absent.
Instrument resolveInstrument(StoreReader &reader, const QString &text, const StoreLocator &store);
// --from/--to, defaulting to the series' extent.
TimeRange resolveRange(const QCommandLineParser &parser, TimeRange extent);
// --select FROM/TO (an ISO-8601 interval); invalid when the option is absent.
TimeRange selectionValue(const QCommandLineParser &parser);

// Commit retries for the headless commands: a few attempts within seconds, then the
// command fails (the GUI retries for as long as its source runs).
IngestWorker::CommitPolicy commitPolicy();

void printError(const QString &message);
void printProgress(const QString &line); // stderr, overwriting the line on a terminal
void endProgress();

} // namespace CliSupport
