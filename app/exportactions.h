#pragma once

#include "snapshotrenderer.h"
#include "storage/storelocator.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <functional>
#include <optional>

#include "rangecsvtask.h"

class HeatmapModel;
class MarketWindowModel;
class QAction;
class QMenu;
class QWidget;
class TimeSync;

// The File menu's exports: the workspace or one pane as PNG/JPEG/PDF/SVG (at 2x for
// high-DPI by default), the workspace to the clipboard, and the visible or selected range
// as CSV (written on a pool thread). Everything is saved through QSaveFile; each dialog
// opens in the folder last used for its kind. An image (or the clipboard copy) that shows the
// liquidations pane waits for the finished heatmap and liquidation map, saying so in the
// status bar ("Waiting for the heatmap… N %"): a half-built map is never exported.
class ExportActions : public QObject
{
    Q_OBJECT
public:
    // What the exports need from the workspace, without knowing the window class.
    struct Workspace
    {
        QWidget *window = nullptr; // dialogs' parent; its pixel ratio for the clipboard
        StoreLocator store;
        TimeSync *sync = nullptr;
        MarketWindowModel *model = nullptr;
        std::function<SnapshotRenderer(const QString &paneName)> snapshot; // "" = the workspace
        QList<QPair<QString, QString>> panes;                             // dock object name, title
        std::function<bool(const QString &paneName)> heatmapDrawn;        // null = nothing to wait for
        HeatmapModel *heatmap = nullptr;                                  // its build progress
    };

    explicit ExportActions(const Workspace &workspace, QObject *parent = nullptr);

    void addTo(QMenu *file);
    void exportImage(const QString &paneName);
    void copyWorkspace();
    void exportCsv(bool selection);
    bool isWritingCsv() const { return m_csv.isRunning(); }
    QList<QAction *> actions() const { return m_actions; }
    bool isWaitingForHeatmap() const { return m_pending.has_value(); }

    // Where a save dialog for `kind` ("image", "csv") opens: the folder last used, else the
    // standard one, with `fileName` in it.
    static QString suggestedPath(const QString &kind, const QString &fileName);
    static void rememberFolder(const QString &kind, const QString &path);

signals:
    void message(const QString &text); // one line for the status bar

private:
    QString askPath(const QString &kind, const QString &title, const QString &fileName, const QString &filter);
    struct PendingImage
    {
        QString pane;
        QString path; // empty: the clipboard
        double scale = 1;
    };
    void saveWhenDrawn(const PendingImage &image);
    void save(const PendingImage &image);
    void pollPending();

    Workspace m_workspace;
    QAction *m_hiDpi = nullptr;
    QList<QAction *> m_actions;
    QFutureWatcher<RangeCsvTask::Result> m_csv;
    std::optional<PendingImage> m_pending;
    QTimer m_wait;
    double m_heatmapFraction = 0;
};
