#include "fileimportsource.h"

#include "fileimport.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

FileImportSource::FileImportSource(const QStringList &paths)
    : FileImportSource(paths, Options{})
{
}

FileImportSource::FileImportSource(const QStringList &paths, const Options &options, QObject *parent)
    : DataSource(parent)
    , m_paths(paths)
    , m_options(options)
{
    qRegisterMetaType<ImportSummary>();
}

FileImportSource::~FileImportSource() = default;

QString FileImportSource::displayName() const
{
    return m_paths.size() == 1 ? QStringLiteral("Import of %1").arg(QFileInfo(m_paths.front()).fileName())
                               : QStringLiteral("Import of %1 files or folders").arg(m_paths.size());
}

QStringList FileImportSource::expand(const QStringList &paths, QStringList *notes)
{
    QStringList out;
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (!info.isDir()) {
            out << p; // as given: a missing or foreign file gets its own clear message
            continue;
        }
        QStringList found;
        qint64 skipped = 0;
        QDirIterator it(p, QDir::Files | QDir::Readable, QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
        while (it.hasNext()) {
            const QString f = it.next();
            const QString lower = f.toLower();
            if (lower.endsWith(QLatin1String(".csv")) || lower.endsWith(QLatin1String(".zip")))
                found << f;
            else if (!lower.endsWith(QLatin1String(".checksum")))
                ++skipped;
        }
        std::sort(found.begin(), found.end()); // months and days in order
        if (found.isEmpty())
            *notes << QStringLiteral("%1: no .csv or .zip files in this folder").arg(p);
        if (skipped)
            *notes << QStringLiteral("%1: %2 files that are neither .csv nor .zip were left out").arg(p).arg(skipped);
        out << found;
    }
    return out;
}

void FileImportSource::start()
{
    m_running = true;
    m_files = expand(m_paths, &m_notes);
    m_bytesTotal = 0;
    for (const QString &f : m_files)
        m_bytesTotal += FileImport::plannedBytes(f);
    emit statusChanged(QStringLiteral("importing %1 files").arg(m_files.size()));
    QTimer::singleShot(0, this, &FileImportSource::step);
}

void FileImportSource::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_current) {
        ImportSummary::File r = m_current->report();
        r.error = QStringLiteral("import stopped before the end of the file");
        m_summary.add(r);
        m_current.reset();
    }
    emit imported(summaryWithStoreCounts());
    emit finished();
}

void FileImportSource::batchStored(quint64 tag, qint64 changedRows)
{
    StoreCount &c = m_stored[tag];
    ++c.stored;
    c.changed += changedRows;
}

ImportSummary FileImportSource::summaryWithStoreCounts() const
{
    ImportSummary s = m_summary;
    for (qsizetype i = 0; i < s.files().size(); ++i) {
        const StoreCount c = m_stored.value(quint64(i) + 1);
        if (c.batches > 0 && c.stored == c.batches)
            s.setChanged(i, c.changed);
        else if (c.batches == 0)
            s.setChanged(i, 0); // nothing handed to the store
    }
    return s;
}

void FileImportSource::step()
{
    if (!m_running)
        return;
    if (!m_current) {
        if (m_next >= m_files.size())
            return done();
        const QString path = m_files.at(m_next++);
        ImportFormat::Hints hints{m_options.instrument, m_options.kind};
        // The file's batches carry its place in the summary, so the store's counts find it.
        const quint64 tag = quint64(m_summary.files().size()) + 1;
        m_current = std::make_unique<FileImport>(path, hints, [this, tag](const MarketBatch &b) {
            MarketBatch tagged = b;
            tagged.tag = tag;
            ++m_stored[tag].batches;
            emit batchReady(tagged);
        });
        if (!QFileInfo::exists(path)) {
            ImportSummary::File r = m_current->report();
            r.error = QStringLiteral("no such file or folder");
            m_summary.add(r);
            m_current.reset();
            QTimer::singleShot(0, this, &FileImportSource::step);
            return;
        }
    }
    const bool more = m_current->step(m_options.linesPerSlice);
    const QString name = QFileInfo(m_current->report().path).fileName();
    emit progress(m_bytesBefore + m_current->bytesDone(), m_bytesTotal, QStringLiteral("importing %1").arg(name));
    if (!more) {
        m_bytesBefore += m_current->bytesTotal();
        m_summary.add(m_current->report());
        m_current.reset();
    }
    QTimer::singleShot(0, this, &FileImportSource::step);
}

void FileImportSource::done()
{
    m_running = false;
    for (const QString &note : std::as_const(m_notes))
        m_summary.addNote(note);
    const ImportSummary summary = summaryWithStoreCounts();
    emit statusChanged(summary.headline());
    emit imported(summary);
    emit finished();
}
