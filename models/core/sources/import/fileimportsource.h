#pragma once

#include "importformat.h"
#include "importsummary.h"
#include "sources/datasource.h"

#include <QHash>
#include <QStringList>
#include <memory>

class FileImport;

// Imports files and folders (Binance dumps, our CSV exports) as a DataSource, so the GUI
// runs it in the data thread like any source: batches go to the writer, progress() counts
// bytes, and imported() delivers the summary just before finished().
//
// Usage from the GUI thread:
//   auto *src = new FileImportSource(droppedPaths, {currentInstrument, std::nullopt});
//   connect(src, &FileImportSource::imported, this, [](const ImportSummary &s) { ... s.text() ... });
//   dataThread->setSource(src);
class FileImportSource : public DataSource
{
    Q_OBJECT
public:
    struct Options
    {
        // Overrides the instrument named by the file names (needed for our own CSV exports,
        // whose names are the user's). A bare symbol means exchange BINANCE.
        Instrument instrument;
        std::optional<DataKind> kind; // e.g. mark for a loose markPriceKlines file
        qint64 linesPerSlice = 20'000;  // work per event-loop turn
    };

    explicit FileImportSource(const QStringList &paths);
    FileImportSource(const QStringList &paths, const Options &options, QObject *parent = nullptr);
    ~FileImportSource() override;

    QString displayName() const override;
    // Empty on purpose: the writer would otherwise stamp the instruments' liquidation-feed
    // label, and an import must not overwrite what a live source recorded.
    QList<Instrument> instruments() const override { return {}; }

    ImportSummary summary() const { return summaryWithStoreCounts(); }
    const QStringList &files() const { return m_files; }

    // The files to import: explicit paths as given, folders searched recursively for .csv
    // and .zip (sorted, .CHECKSUM files skipped). *notes says what was left out.
    static QStringList expand(const QStringList &paths, QStringList *notes);

public slots:
    void start() override;
    void stop() override;
    void batchStored(quint64 tag, qint64 changedRows) override;

signals:
    void imported(const ImportSummary &summary);

private:
    void step();
    void done();
    // The summary with what the store made of each file's rows, where every batch of the file
    // has been committed (a file whose batches wait out a store outage stays unknown).
    ImportSummary summaryWithStoreCounts() const;

    QStringList m_paths;
    Options m_options;
    QStringList m_files;
    QStringList m_notes;
    qsizetype m_next = 0;
    std::unique_ptr<FileImport> m_current;
    qint64 m_bytesTotal = 0;
    qint64 m_bytesBefore = 0;
    ImportSummary m_summary;
    struct StoreCount
    {
        qint64 batches = 0; // emitted
        qint64 stored = 0;  // committed
        qint64 changed = 0; // rows new or different in the store
    };
    QHash<quint64, StoreCount> m_stored; // by batch tag = index of the file in m_summary + 1
    bool m_running = false;
};
