#include "exportactions.h"

#include "chartpane.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "rangemime.h"
#include "storage/rangecsvwriter.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "timesync.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStatusBar>

ExportActions::ExportActions(MainWindow *window)
    : QObject(window)
    , m_window(window)
{
}

void ExportActions::addTo(QMenu *file)
{
    auto *workspace = file->addAction(tr("Export workspace image…"), this, [this] { exportImage({}); });
    workspace->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QMenu *panes = file->addMenu(tr("Export pane image"));
    for (QDockWidget *d : m_window->docks())
        if (qobject_cast<ChartPane *>(d->widget()))
            panes->addAction(d->windowTitle() + QStringLiteral("…"), this, [this, name = d->objectName()] { exportImage(name); });
    m_hiDpi = file->addAction(tr("High-DPI images (2×)"));
    m_hiDpi->setCheckable(true);
    m_hiDpi->setChecked(true);
    auto *copy = file->addAction(tr("Copy workspace to clipboard"), this, &ExportActions::copyWorkspace);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    file->addSeparator();
    file->addAction(tr("Export CSV of the visible range…"), this, [this] { exportCsv(false); });
    file->addAction(tr("Export CSV of the selection…"), this, [this] { exportCsv(true); });
    for (QAction *a : file->actions())
        m_window->addAction(a); // shortcuts work with the menu closed
}

void ExportActions::exportImage(const QString &paneName)
{
    const Instrument i = m_window->marketModel()->instrument();
    const QString base = QStringLiteral("perpscope-%1-%2.png")
                             .arg(i.isValid() ? i.symbol : QStringLiteral("chart"),
                                  QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export image"),
                                                      QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) + QLatin1Char('/') + base,
                                                      tr("PNG image (*.png);;JPEG image (*.jpg);;PDF document (*.pdf);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_window->snapshot(paneName).save(path, m_hiDpi->isChecked() ? 2.0 : 1.0, &error))
        QMessageBox::warning(m_window, tr("Export image"), error);
    else
        m_window->statusBar()->showMessage(tr("Saved %1").arg(path), 8000);
}

void ExportActions::copyWorkspace()
{
    QApplication::clipboard()->setImage(m_window->snapshot().toImage(m_window->devicePixelRatioF()));
    m_window->statusBar()->showMessage(tr("Workspace copied to the clipboard"), 5000);
}

void ExportActions::exportCsv(bool selection)
{
    const TimeRange r = selection ? m_window->timeSync()->selection() : m_window->timeSync()->visibleRange();
    const Instrument i = m_window->marketModel()->instrument();
    if (!r.isValid() || !i.isValid()) {
        m_window->statusBar()->showMessage(selection ? tr("Nothing selected: Shift-drag on a chart first") : tr("No data in view"), 8000);
        return;
    }
    const RangeMime::Payload payload{m_window->dbPath(), i, r};
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export CSV"),
                                                      QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QLatin1Char('/')
                                                          + RangeMime::suggestedFileName(payload),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        StoreReader reader(m_window->dbPath());
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly))
            throw StoreError(tr("%1: cannot write (%2)").arg(path, out.errorString()));
        const qint64 rows = RangeCsvWriter(reader).write(i, r, out);
        if (!out.commit())
            throw StoreError(tr("%1: cannot write (%2)").arg(path, out.errorString()));
        m_window->statusBar()->showMessage(tr("Saved %1 rows to %2").arg(rows).arg(path), 8000);
    } catch (const StoreError &e) {
        QMessageBox::warning(m_window, tr("Export CSV"), e.message());
    }
}
