#pragma once

#include "charttheme.h"
#include "snapshotrenderer.h"
#include "storage/storelocator.h"

#include <QMainWindow>
#include <QMap>

class ChartPane;
class ComparePanel;
class DataThread;
class DockPlacer;
class ExportActions;
class HeatmapControls;
class HeatmapModel;
class ImportController;
class LiquidationTape;
class MarketWindowModel;
class NavigationActions;
class QAction;
class QComboBox;
class QDockWidget;
class QTabBar;
class QToolBar;
class RangeAnalysisPanel;
class SourceController;
class StoreFollower;
class StatusPanel;
class TimeSync;
struct Instrument;
struct TimeRange;

// The workspace, assembled from its parts: dockable chart panes on one TimeSync, the
// liquidation tape, Range analysis and Compare; the source (SourceController), imports
// (ImportController), exports (ExportActions), navigation (NavigationActions), the heatmap's
// controls and the status bar (StatusPanel). Layout, theme, source, instrument and view
// persist in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        StoreLocator store;
        QString source;     // empty = last used, else the simulator
        QString instrument; // empty = last used
        QString theme;      // empty = last used, else dark
        bool startSource = true;
        // Follow rows other processes write into the store while no source of ours runs
        // (StoreFollower); off for headless exports, which show one moment.
        bool followStore = true;
        bool persistSettings = true; // off for headless exports: never touch the user's layout
        QMap<QString, QString> sourceOptions; // --source-option KEY=VALUE for the source started first
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    TimeSync *timeSync() const { return m_sync; }
    const StoreLocator &store() const { return m_options.store; }
    QList<QDockWidget *> docks() const { return m_docks; }
    MarketWindowModel *marketModel() const { return m_model; }
    HeatmapModel *heatmapModel() const { return m_heatmap; }
    SourceController *sourceController() const { return m_sources; }
    StoreFollower *storeFollower() const { return m_follower; }
    DataThread *dataThread() const;
    StatusPanel *statusPanel() const { return m_status; }
    ExportActions *exportActions() const { return m_exports; }
    ImportController *importController() const { return m_import; }
    QList<ChartPane *> panes() const { return m_panes; }
    ChartPane *pane(const QString &objectName) const;
    QDockWidget *dock(const QString &objectName) const;
    const ChartTheme &theme() const { return m_theme; }

    RangeAnalysisPanel *analysisPanel() const { return m_analysis; }
    ComparePanel *comparePanel() const { return m_compare; }
    void setRangeTool(bool on);

    void setTheme(const QString &name);
    // Adds a chart pane in a new dock (the same kinds as the default ones); it adopts the
    // current view at once.
    QDockWidget *addPaneDock(ChartPane *pane, const QString &objectName);
    void resetLayout();
    void saveSettings() const;
    // Brings the window to the front (another launch asked for it) and passes files given on
    // a command line or by the desktop ("Open with") on to be imported.
    void openFiles(const QStringList &paths);

    // The workspace (or one pane, by dock object name) as laid out, with a header naming
    // instrument, source, range and time of export.
    SnapshotRenderer snapshot(const QString &paneName = QString()) const;
    // The snapshot of paneName ("" = the workspace) would show the finished heatmap and
    // liquidation map (or shows neither): exports wait for this.
    bool heatmapDrawn(const QString &paneName = QString()) const;
    // What the snapshot header names as the source; by default the running source's name.
    QString sourceDisplayName() const;
    void setSourceDisplayName(const QString &name) { m_sourceDisplayOverride = name; }

signals:
    // Files to import into the open database (absolute paths).
    void importRequested(const QStringList &paths);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildPanes();
    void buildSidePanels();
    void buildActions();
    void buildMenus();
    void connectData();
    void setupImport();
    void restoreSettings();
    void applyOptionsOnly();
    void onSourceChanged();
    void startFollowing();
    // Rows a part reports stored (our source, an import, another process's commits) reach
    // the window model, the heatmap and the window itself alike.
    template <typename Sender, typename Signal>
    void routeAppended(Sender *sender, Signal appended);
    void openSimulatorSettings();
    void onInstruments(const QList<Instrument> &instruments);
    void onInstrumentPicked(int index);
    void onTimeframePicked(int index);
    void onAppended();
    void showImported(const Instrument &instrument, TimeRange span);
    void updateTitle();
    void updatePlotWidth();
    void applyDefaultSizes();
    void setShowMarkPrice(bool on);
    void setShowOiUsd(bool on);
    // The dock whose tab is at pos (window coordinates), with its tab bar and index.
    QDockWidget *dockTabAt(const QPoint &pos, QTabBar **bar, int *tab) const;

    Options m_options;
    ChartTheme m_theme;
    TimeSync *m_sync;
    MarketWindowModel *m_model;
    HeatmapModel *m_heatmap;
    SourceController *m_sources;
    StoreFollower *m_follower = nullptr;
    QList<ChartPane *> m_panes;
    QList<QDockWidget *> m_docks;
    LiquidationTape *m_tape = nullptr;
    RangeAnalysisPanel *m_analysis = nullptr;
    ComparePanel *m_compare = nullptr;
    StatusPanel *m_status = nullptr;
    DockPlacer *m_placer = nullptr;
    ExportActions *m_exports = nullptr;
    ImportController *m_import = nullptr;
    HeatmapControls *m_heatmapControls = nullptr;
    NavigationActions *m_navigation = nullptr;
    QByteArray m_defaultState;
    QByteArray m_savedState;
    bool m_restoredLayout = false;
    bool m_shownOnce = false;
    QString m_sourceDisplayOverride;

    QToolBar *m_toolbar = nullptr;
    QComboBox *m_sourceBox = nullptr;
    QComboBox *m_instrumentBox = nullptr;
    QComboBox *m_timeframeBox = nullptr;
    QAction *m_themeAction = nullptr;
    QAction *m_resetLayoutAction = nullptr;
    QAction *m_rangeToolAction = nullptr;
    QAction *m_markAction = nullptr;
    QAction *m_usdAction = nullptr;
    QAction *m_stackAction = nullptr;
};
