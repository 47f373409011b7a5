#include "exportactions.h"

#include "heatmapmodel.h"
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
    m_wait.setInterval(100);
    connect(&m_wait, &QTimer::timeout, this, &ExportActions::pollPending);
    if (m_workspace.heatmap)
        connect(m_workspace.heatmap, &HeatmapModel::progress, this, [this](double fraction, const QString &) { m_heatmapFraction = fraction; });
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
    saveWhenDrawn({paneName, path, m_hiDpi->isChecked() ? 2.0 : 1.0});
}

void ExportActions::copyWorkspace()
{
    saveWhenDrawn({QString(), QString(), m_workspace.window->devicePixelRatioF()});
}

void ExportActions::saveWhenDrawn(const PendingImage &image)
{
    if (!m_workspace.heatmapDrawn || m_workspace.heatmapDrawn(image.pane)) {
        m_pending.reset();
        m_wait.stop();
        save(image);
        return;
    }
    m_pending = image; // a newer export replaces one still waiting
    m_heatmapFraction = 0;
    emit message(tr("Waiting for the heatmap… %1 %").arg(int(m_heatmapFraction * 100)));
    m_wait.start();
}

void ExportActions::pollPending()
{
    if (!m_pending) {
        m_wait.stop();
        return;
    }
    if (!m_workspace.heatmapDrawn(m_pending->pane)) {
        emit message(tr("Waiting for the heatmap… %1 %").arg(int(std::clamp(m_heatmapFraction, 0.0, 1.0) * 100)));
        return;
    }
    const PendingImage image = *m_pending;
    m_pending.reset();
    m_wait.stop();
    save(image);
}

void ExportActions::save(const PendingImage &image)
{
    if (image.path.isEmpty()) {
        QApplication::clipboard()->setImage(m_workspace.snapshot({}).toImage(image.scale));
        emit message(tr("Workspace copied to the clipboard"));
        return;
    }
    QString error;
    if (!m_workspace.snapshot(image.pane).save(image.path, image.scale, &error))
        QMessageBox::warning(m_workspace.window, tr("Export image"), error);
    else
        emit message(tr("Saved %1").arg(image.path));
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
    const RangeMime::Payload payload{m_workspace.store, i, r};
    const QString path = askPath(QStringLiteral("csv"), tr("Export CSV"), RangeMime::suggestedFileName(payload), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    emit message(tr("Writing %1 …").arg(QFileInfo(path).fileName()));
    m_csv.setFuture(RangeCsvTask::start(payload, path));
}
