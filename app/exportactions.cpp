#include "exportactions.h"

#include "marketwindowmodel.h"
#include "timesync.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

ExportActions::ExportActions(const Workspace &workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
    connect(&m_csv, &QFutureWatcher<RangeCsvTask::Result>::finished, this, [this] {
        const RangeCsvTask::Result r = m_csv.result();
        if (!r.ok())
            QMessageBox::warning(m_workspace.window, tr("Export CSV"), r.error);
        else
            emit message(tr("Saved %1 rows to %2").arg(r.rows).arg(r.file));
    });
}

void ExportActions::addTo(QMenu *file)
{
    auto *workspace = file->addAction(tr("Export workspace image…"), this, [this] { exportImage({}); });
    workspace->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QMenu *panes = file->addMenu(tr("Export pane image"));
    for (const auto &[name, title] : std::as_const(m_workspace.panes))
        panes->addAction(title + QStringLiteral("…"), this, [this, name = name] { exportImage(name); });
    m_hiDpi = file->addAction(tr("High-DPI images (2×)"));
    m_hiDpi->setCheckable(true);
    m_hiDpi->setChecked(true);
    auto *copy = file->addAction(tr("Copy workspace to clipboard"), this, &ExportActions::copyWorkspace);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    file->addSeparator();
    file->addAction(tr("Export CSV of the visible range…"), this, [this] { exportCsv(false); });
    file->addAction(tr("Export CSV of the selection…"), this, [this] { exportCsv(true); });
    for (QAction *a : file->actions())
        if (!a->isSeparator())
            m_actions << a;
}

QString ExportActions::suggestedPath(const QString &kind, const QString &fileName)
{
    QString dir = QSettings().value(QStringLiteral("export/%1Folder").arg(kind)).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(kind == QLatin1String("image") ? QStandardPaths::PicturesLocation : QStandardPaths::DocumentsLocation);
    return dir + QLatin1Char('/') + fileName;
}

void ExportActions::rememberFolder(const QString &kind, const QString &path)
{
    QSettings().setValue(QStringLiteral("export/%1Folder").arg(kind), QFileInfo(path).absolutePath());
}

QString ExportActions::askPath(const QString &kind, const QString &title, const QString &fileName, const QString &filter)
{
    const QString path = QFileDialog::getSaveFileName(m_workspace.window, title, suggestedPath(kind, fileName), filter);
    if (!path.isEmpty())
        rememberFolder(kind, path);
    return path;
}

void ExportActions::exportImage(const QString &paneName)
{
    const Instrument i = m_workspace.model->instrument();
    const QString base = QStringLiteral("perpscope-%1-%2.png")
                             .arg(i.isValid() ? i.symbol : QStringLiteral("chart"),
                                  QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = askPath(QStringLiteral("image"), tr("Export image"), base,
                                 tr("PNG image (*.png);;JPEG image (*.jpg);;PDF document (*.pdf);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_workspace.snapshot(paneName).save(path, m_hiDpi->isChecked() ? 2.0 : 1.0, &error))
        QMessageBox::warning(m_workspace.window, tr("Export image"), error);
    else
        emit message(tr("Saved %1").arg(path));
}

void ExportActions::copyWorkspace()
{
    QApplication::clipboard()->setImage(m_workspace.snapshot({}).toImage(m_workspace.window->devicePixelRatioF()));
    emit message(tr("Workspace copied to the clipboard"));
}

void ExportActions::exportCsv(bool selection)
{
    const TimeRange r = selection ? m_workspace.sync->selection() : m_workspace.sync->visibleRange();
    const Instrument i = m_workspace.model->instrument();
    if (!r.isValid() || !i.isValid()) {
        emit message(selection ? tr("Nothing selected: Shift-drag on a chart first") : tr("No data in view"));
        return;
    }
    if (m_csv.isRunning()) {
        emit message(tr("A CSV export is still being written"));
        return;
    }
    const RangeMime::Payload payload{m_workspace.dbPath, i, r};
    const QString path = askPath(QStringLiteral("csv"), tr("Export CSV"), RangeMime::suggestedFileName(payload), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    emit message(tr("Writing %1 …").arg(QFileInfo(path).fileName()));
    m_csv.setFuture(RangeCsvTask::start(payload, path));
}
