#pragma once

#include "charttheme.h"
#include "snapshotrenderer.h"
#include "domain/instrument.h"

#include <QMainWindow>
#include <QPointer>

class ChartPane;
class ComparePanel;
class HeatmapModel;
class RangeAnalysisPanel;
class DataThread;
class LiquidationTape;
class MarketWindowModel;
class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class TimeSync;

// The workspace: dockable chart panes on one TimeSync, the liquidation tape, the source
// running in the data thread, and the toolbar and status bar around them. Layout, theme,
// source, instrument and view persist in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        QString dbPath;
        QString source;     // empty = last used, else the simulator
        QString instrument; // empty = last used
        QString theme;      // empty = last used, else dark
        bool startSource = true;
        bool persistSettings = true; // off for headless exports: never touch the user's layout
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    TimeSync *timeSync() const { return m_sync; }
    const QString &dbPath() const { return m_options.dbPath; }
    QList<QDockWidget *> docks() const { return m_docks; }
    MarketWindowModel *marketModel() const { return m_model; }
    HeatmapModel *heatmapModel() const { return m_heatmap; }
    DataThread *dataThread() const { return m_data; }
    QList<ChartPane *> panes() const { return m_panes; }
    ChartPane *pane(const QString &objectName) const;
    QDockWidget *dock(const QString &objectName) const;
    const ChartTheme &theme() const { return m_theme; }

    RangeAnalysisPanel *analysisPanel() const { return m_analysis; }
    ComparePanel *comparePanel() const { return m_compare; }
    void setRangeTool(bool on);

    void setTheme(const QString &name);
    void startSource(const QString &name);
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
    QString sourceDisplayName() const { return m_sourceDisplay; }
    void setSourceDisplayName(const QString &name) { m_sourceDisplay = name; }

signals:
    // Files to import into the open database (absolute paths).
    void importRequested(const QStringList &paths);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildPanes();
    void buildActions();
    void buildStatusBar();
    void restoreSettings();
    void onInstruments(const QList<Instrument> &instruments);
    void onInstrumentPicked(int index);
    void onTimeframePicked(int index);
    void onAppended();
    void updateTitle();
    void updatePlotWidth();
    void applyDefaultSizes();
    void applyOptionsOnly();
    void setupImport();
    void showProgress(qint64 done, qint64 total, const QString &what);

    Options m_options;
    ChartTheme m_theme;
    TimeSync *m_sync;
    MarketWindowModel *m_model;
    DataThread *m_data;
    QList<ChartPane *> m_panes;
    QList<QDockWidget *> m_docks;
    LiquidationTape *m_tape = nullptr;
    RangeAnalysisPanel *m_analysis = nullptr;
    ComparePanel *m_compare = nullptr;
    QAction *m_rangeToolAction = nullptr;
    class ExportActions *m_exports = nullptr;
    class ImportController *m_import = nullptr;
    class HeatmapModel *m_heatmap = nullptr;
    class HeatmapControls *m_heatmapControls = nullptr;
    QByteArray m_defaultState;
    QByteArray m_savedState;
    bool m_restoredLayout = false;
    bool m_shownOnce = false;
    QString m_sourceName;
    QString m_sourceDisplay;

    QComboBox *m_sourceBox = nullptr;
    QComboBox *m_instrumentBox = nullptr;
    QComboBox *m_timeframeBox = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_themeAction = nullptr;
    QLabel *m_sourceLabel = nullptr;
    QLabel *m_simBadge = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_updatedLabel = nullptr;
    QProgressBar *m_progress = nullptr;
};
