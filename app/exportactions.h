#pragma once

#include "snapshotrenderer.h"

#include <QFutureWatcher>
#include <QObject>
#include <functional>

#include "rangecsvtask.h"

class MarketWindowModel;
class QAction;
class QMenu;
class QWidget;
class TimeSync;

// The File menu's exports: the workspace or one pane as PNG/JPEG/PDF/SVG (at 2x for
// high-DPI by default), the workspace to the clipboard, and the visible or selected range
// as CSV (written on a pool thread). Everything is saved through QSaveFile; each dialog
// opens in the folder last used for its kind.
class ExportActions : public QObject
{
    Q_OBJECT
public:
    // What the exports need from the workspace, without knowing the window class.
    struct Workspace
    {
        QWidget *window = nullptr; // dialogs' parent; its pixel ratio for the clipboard
        QString dbPath;
        TimeSync *sync = nullptr;
        MarketWindowModel *model = nullptr;
        std::function<SnapshotRenderer(const QString &paneName)> snapshot; // "" = the workspace
        QList<QPair<QString, QString>> panes;                             // dock object name, title
    };

    explicit ExportActions(const Workspace &workspace, QObject *parent = nullptr);

    void addTo(QMenu *file);
    void exportImage(const QString &paneName);
    void copyWorkspace();
    void exportCsv(bool selection);
    bool isWritingCsv() const { return m_csv.isRunning(); }
    QList<QAction *> actions() const { return m_actions; }

    // Where a save dialog for `kind` ("image", "csv") opens: the folder last used, else the
    // standard one, with `fileName` in it.
    static QString suggestedPath(const QString &kind, const QString &fileName);
    static void rememberFolder(const QString &kind, const QString &path);

signals:
    void message(const QString &text); // one line for the status bar

private:
    QString askPath(const QString &kind, const QString &title, const QString &fileName, const QString &filter);

    Workspace m_workspace;
    QAction *m_hiDpi = nullptr;
    QList<QAction *> m_actions;
    QFutureWatcher<RangeCsvTask::Result> m_csv;
};
