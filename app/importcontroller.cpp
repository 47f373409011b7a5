#include "importcontroller.h"

#include "rangemime.h"
#include "sources/datathread.h"
#include "sources/import/fileimportsource.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

ImportController::ImportController(const StoreLocator &store, QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_dialogParent(dialogParent)
{
    // Tests drive imports without a person to close message boxes.
    m_showDialogs = !qEnvironmentVariableIsSet("PERPSCOPE_NO_DIALOGS");
}

ImportController::~ImportController() = default;

QStringList ImportController::localFiles(const QMimeData *mime)
{
    QStringList files;
    // A range dragged out of Perpscope carries its CSV as a file for file managers; it is a
    // range, not something to import (and asking for its URL would wait for the CSV).
    if (!mime || !mime->hasUrls() || mime->hasFormat(QString::fromLatin1(RangeMime::type)))
        return files;
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile() && QFileInfo::exists(url.toLocalFile()))
            files << url.toLocalFile();
    return files;
}

void ImportController::import(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    m_queue.push_back(paths);
    if (!m_busy)
        startNext();
}

void ImportController::chooseFiles()
{
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("import/folder"), QStandardPaths::writableLocation(QStandardPaths::DownloadLocation)).toString();
    const QStringList files = QFileDialog::getOpenFileNames(m_dialogParent, tr("Import market data"), folder,
                                                            tr("Market data (*.csv *.zip);;All files (*)"));
    if (files.isEmpty())
        return;
    settings.setValue(QStringLiteral("import/folder"), QFileInfo(files.front()).absolutePath());
    import(files);
}

void ImportController::startNext()
{
    if (m_queue.isEmpty()) {
        m_busy = false;
        return;
    }
    m_busy = true;
    const QStringList paths = m_queue.takeFirst();
    if (!m_thread) {
        m_thread = new DataThread(m_store, this);
        connect(m_thread, &DataThread::appended, this, &ImportController::appended);
        connect(m_thread, &DataThread::appended, this, [this](const Instrument &i, DataKind kind, qint64 from, qint64 to) {
            auto &[instrument, arrived] = m_arrived[i.key()];
            instrument = i;
            arrived.span = arrived.span.isValid() ? TimeRange{std::min(arrived.span.from, from), std::max(arrived.span.to, to)} : TimeRange{from, to};
            if (kind == DataKind::Candles)
                arrived.candleMinutes += (to - from) / 60'000;
        });
        connect(m_thread, &DataThread::progress, this, &ImportController::progress);
        connect(m_thread, &DataThread::storeError, this, [this](const QString &e) { emit message(e); });
    }
    auto *source = new FileImportSource(paths);
    connect(source, &FileImportSource::imported, this, [this](const ImportSummary &summary) {
        const bool ok = summary.totalRows() > 0;
        emit message(summary.headline());
        emit finished(summary.text(), ok);
        if (!m_arrived.isEmpty()) {
            auto best = m_arrived.cbegin();
            for (auto it = m_arrived.cbegin(); it != m_arrived.cend(); ++it)
                if (it->second.candleMinutes > best->second.candleMinutes)
                    best = it;
            const auto [instrument, arrived] = *best;
            m_arrived.clear();
            emit dataImported(instrument, arrived.span);
        }
        if (m_showDialogs && m_dialogParent) {
            auto *box = new QMessageBox(ok ? QMessageBox::Information : QMessageBox::Warning, tr("Import"), summary.headline(),
                                        QMessageBox::Ok, m_dialogParent);
            box->setDetailedText(summary.text());
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
        startNext();
    }, Qt::QueuedConnection);
    emit message(tr("Importing %1 …").arg(paths.size() == 1 ? QFileInfo(paths.front()).fileName() : tr("%1 files").arg(paths.size())));
    m_thread->setSource(source);
}
