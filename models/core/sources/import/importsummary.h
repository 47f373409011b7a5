#pragma once

#include "domain/timeframe.h"

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "domain/timerange.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

// What an import did, for the command's summary and the GUI's message box: rows stored per
// kind, the time span, rows rejected, and every message (malformed rows as
// file:line:field, holes, files that could not be imported at all).
class ImportSummary
{
public:
    struct File
    {
        QString path;
        QString format;        // "Binance klines", "Perpscope oi CSV", ... (empty if undetected)
        Instrument instrument;
        DataKind storedAs = DataKind::Candles;
        Timeframe timeframe = Timeframe::M1; // of candles and mark bars (5m ... 1d klines go to their tier)
        qint64 lines = 0;      // data lines read
        qint64 rows = 0;       // rows handed to the store (1m candles for aggTrades)
        qint64 changed = -1;   // of those, rows the store did not hold with these values; -1: unknown
        qint64 rejected = 0;   // malformed or implausible rows, and repeats of a time with other values: skipped
        qint64 duplicates = 0; // identical repeats of an earlier row (or agg trade id) of the file, skipped
        qint64 empty = 0;      // rows without values (metrics), skipped
        TimeRange span;        // of the stored rows
        QStringList messages;  // "name:line:field: expected ..., got '...'", holes, notes
        QString error;         // set when the file was not imported (or stopped early)

        bool ok() const { return error.isEmpty(); }
        QString name() const;  // file name without folders
        QString line() const;  // one line about this file
    };

    void add(const File &file);
    // What the store made of file `index`'s rows (see File::changed).
    void setChanged(qsizetype index, qint64 changed) { m_files[index].changed = changed; }
    void addNote(const QString &note) { m_notes << note; } // about the import as a whole
    const QVector<File> &files() const { return m_files; }

    qint64 rows(DataKind kind) const;
    qint64 totalRows() const;
    // Rows the store found new or different, -1 when some file's count is unknown.
    qint64 changedRows(DataKind kind) const;
    qint64 totalChanged() const;
    qint64 rejected() const;
    int failedFiles() const;
    TimeRange span() const;
    QStringList messages() const; // every file's error and messages, in order

    // One line for a status bar: "Imported 40320 1m candles from 1 file (...); 0 rows rejected",
    // or, when the store held every row already, "Nothing new: 40320 1m candles from 1 file
    // already stored (...); ...".
    QString headline() const;
    QString text() const;     // headline, one line per file, then the messages

private:
    QVector<File> m_files;
    QStringList m_notes;
};

Q_DECLARE_METATYPE(ImportSummary)
