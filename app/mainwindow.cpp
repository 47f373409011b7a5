#include "mainwindow.h"

#include "aboutdialog.h"
#include "comparepanel.h"
#include "exportactions.h"
#include "workspacesnapshot.h"
#include "heatmapcontrols.h"
#include "heatmapmodel.h"
#include "rangeanalysismodel.h"
#include "importcontroller.h"
#include "domain/timeformat.h"
#include "rangeanalysispanel.h"
#include "rangechip.h"
#include "rangemime.h"
#include "storage/rangecsvwriter.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "fundingpane.h"
#include "liquidationspane.h"
#include "liquidationtape.h"
#include "marketwindowmodel.h"
#include "openinterestpane.h"
#include "pricepane.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "timesync.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QSaveFile>
#include <QStandardPaths>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMetaMethod>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace {
constexpr int layoutVersion = 2;

struct SourceChoice
{
    const char *name;
    const char *label;
};
constexpr SourceChoice sourceChoices[] = {
    {"sim", "Simulator"}, {"binance", "Binance USDⓈ-M"}, {"synthetic", "Synthetic walk"}, {"none", "None (browse the database)"}};
} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_sync(new TimeSync(this))
    , m_model(new MarketWindowModel(options.dbPath, m_sync, this))
    , m_data(new DataThread(options.dbPath, this))
{
    m_heatmap = new HeatmapModel(options.dbPath, this);
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/perpscope.svg")));
    setDockOptions(AllowNestedDocks | AllowTabbedDocks | AnimatedDocks | GroupedDragging);
    // All panes are docks; the central widget only exists because QMainWindow wants one.
    auto *central = new QWidget(this);
    central->hide();
    setCentralWidget(central);

    buildPanes();
    buildActions();
    buildStatusBar();
    AboutDialog::addHelpMenu(this);
    m_defaultState = saveState(layoutVersion);
    resize(1500, 950);

    connect(m_data, &DataThread::appended, m_model, &MarketWindowModel::onAppended);
    connect(m_data, &DataThread::appended, m_heatmap, &HeatmapModel::onAppended);
    connect(m_heatmap, &HeatmapModel::progress, this, [this](double fraction, const QString &what) {
        showProgress(qint64(fraction * 1000), fraction < 1 ? 1000 : 0, what);
    });
    connect(m_heatmap, &HeatmapModel::failed, this, [this](const QString &m) { statusBar()->showMessage(m, 15000); });
    connect(m_data, &DataThread::appended, this, &MainWindow::onAppended);
    connect(m_data, &DataThread::sourceStatus, this, [this](const QString &s) { m_stateLabel->setText(s); });
    connect(m_data, &DataThread::progress, this, &MainWindow::showProgress);
    setupImport();
    connect(m_data, &DataThread::sourceFailed, this, [this](const QString &reason) {
        m_stateLabel->setText(tr("stopped: %1").arg(reason));
        m_progress->hide();
        statusBar()->showMessage(reason, 15000);
    });
    connect(m_data, &DataThread::storeError, this, [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    connect(m_model, &MarketWindowModel::instrumentsChanged, this, &MainWindow::onInstruments);
    connect(m_model, &MarketWindowModel::windowChanged, this, &MainWindow::updateTitle);
    connect(m_model, &MarketWindowModel::loadFailed, this, [this](const QString &m) { statusBar()->showMessage(m, 15000); });
    connect(m_sync, &TimeSync::followLatestChanged, m_followAction, &QAction::setChecked);

    if (m_options.persistSettings)
        restoreSettings();
    else
        applyOptionsOnly();
    m_model->requestInstruments();
    if (m_options.startSource)
        startSource(m_sourceName);
}

MainWindow::~MainWindow()
{
    m_data->stopSource();
}

void MainWindow::buildPanes()
{
    auto *liquidations = new LiquidationsPane(m_sync, m_model);
    liquidations->setHeatmapModel(m_heatmap);
    m_panes = {new PricePane(m_sync, m_model), new FundingPane(m_sync, m_model), new OpenInterestPane(m_sync, m_model), liquidations};
    const QStringList names = {QStringLiteral("dock.price"), QStringLiteral("dock.funding"), QStringLiteral("dock.oi"),
                               QStringLiteral("dock.liquidations")};
    QDockWidget *previous = nullptr;
    for (int i = 0; i < m_panes.size(); ++i) {
        QDockWidget *d = addPaneDock(m_panes[i], names[i]);
        if (previous)
            splitDockWidget(previous, d, Qt::Vertical);
        previous = d;
    }
    m_tape = new LiquidationTape(m_model, m_sync);
    m_analysis = new RangeAnalysisPanel(m_options.dbPath, m_sync, m_model);
    m_analysis->analysisModel()->setHeatmap(m_heatmap->service(), m_heatmap->params());
    connect(m_heatmap, &HeatmapModel::paramsChanged, this,
            [this] { m_analysis->analysisModel()->setHeatmap(m_heatmap->service(), m_heatmap->params()); });
    m_compare = new ComparePanel;
    QDockWidget *analysisDock = nullptr;
    for (const auto &[widget, name, title] : {std::tuple<QWidget *, QString, QString>{m_analysis, QStringLiteral("dock.analysis"), tr("Range analysis")},
                                              {m_tape, QStringLiteral("dock.tape"), tr("Liquidations tape")},
                                              {m_compare, QStringLiteral("dock.compare"), tr("Compare")}}) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(Qt::RightDockWidgetArea, d);
        if (analysisDock)
            tabifyDockWidget(analysisDock, d);
        else
            analysisDock = d;
        m_docks << d;
    }
    analysisDock->raise();
    connect(m_analysis, &RangeAnalysisPanel::compareRequested, this, [this] {
        if (m_analysis->chip()->payload()) {
            m_compare->addRange(*m_analysis->chip()->payload());
            dock(QStringLiteral("dock.compare"))->raise();
        }
    });
    connect(m_analysis, &RangeAnalysisPanel::exportCsvRequested, this, [this] { m_exports->exportCsv(true); });
    // A new selection brings the analysis forward.
    connect(m_sync, &TimeSync::selectionChanged, this, [this](TimeRange r) {
        if (r.isValid())
            dock(QStringLiteral("dock.analysis"))->raise();
    });
}

void MainWindow::applyDefaultSizes()
{
    // Price gets the most room, the tape a narrow column.
    const int h = std::max(400, height() - 120);
    resizeDocks({m_docks[0], m_docks[1], m_docks[2], m_docks[3]}, {h * 40 / 100, h * 15 / 100, h * 17 / 100, h * 28 / 100}, Qt::Vertical);
    resizeDocks({dock(QStringLiteral("dock.analysis"))}, {std::max(340, width() / 4)}, Qt::Horizontal);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes only come out exactly as saved once the window has its real size, so the
    // saved layout is applied again after the first show.
    if (!m_shownOnce && !m_restoredLayout)
        QMetaObject::invokeMethod(this, &MainWindow::applyDefaultSizes, Qt::QueuedConnection);
    else if (!m_shownOnce)
        QMetaObject::invokeMethod(this, [this] { restoreState(m_savedState, layoutVersion); }, Qt::QueuedConnection);
    m_shownOnce = true;
}

QDockWidget *MainWindow::addPaneDock(ChartPane *pane, const QString &objectName)
{
    auto *d = new QDockWidget(pane->title(), this);
    d->setObjectName(objectName);
    d->setWidget(pane);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, d);
    if (!m_panes.contains(pane))
        m_panes << pane;
    m_docks << d;
    pane->setTheme(m_theme);
    connect(pane, &ChartPane::plotWidthChanged, this, &MainWindow::updatePlotWidth);
    return d;
}

ChartPane *MainWindow::pane(const QString &objectName) const
{
    for (QDockWidget *d : m_docks)
        if (d->objectName() == objectName)
            return qobject_cast<ChartPane *>(d->widget());
    return nullptr;
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    for (QDockWidget *d : m_docks)
        if (d->objectName() == objectName)
            return d;
    return nullptr;
}

void MainWindow::buildActions()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("toolbar.main"));
    bar->setMovable(false);

    bar->addWidget(new QLabel(tr(" Source ")));
    m_sourceBox = new QComboBox(bar);
    m_sourceBox->setObjectName(QStringLiteral("sourceBox"));
    const QStringList available = SourceFactory::names() << QStringLiteral("none");
    for (const SourceChoice &c : sourceChoices)
        if (available.contains(QLatin1String(c.name)))
            m_sourceBox->addItem(tr(c.label), QString::fromLatin1(c.name));
    connect(m_sourceBox, &QComboBox::activated, this, [this](int i) { startSource(m_sourceBox->itemData(i).toString()); });
    bar->addWidget(m_sourceBox);

    bar->addWidget(new QLabel(tr("  Instrument ")));
    m_instrumentBox = new QComboBox(bar);
    m_instrumentBox->setObjectName(QStringLiteral("instrumentBox"));
    m_instrumentBox->setMinimumContentsLength(16);
    connect(m_instrumentBox, &QComboBox::activated, this, &MainWindow::onInstrumentPicked);
    bar->addWidget(m_instrumentBox);

    bar->addWidget(new QLabel(tr("  Timeframe ")));
    m_timeframeBox = new QComboBox(bar);
    m_timeframeBox->setObjectName(QStringLiteral("timeframeBox"));
    m_timeframeBox->addItem(tr("Auto"), 0);
    for (Timeframe tf : Timeframes::all)
        m_timeframeBox->addItem(Timeframes::name(tf), Timeframes::minutes(tf));
    connect(m_timeframeBox, &QComboBox::activated, this, &MainWindow::onTimeframePicked);
    bar->addWidget(m_timeframeBox);
    bar->addSeparator();

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const auto action = [this, bar, view](const QString &text, const QKeySequence &key, auto slot, bool onBar = false) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        view->addAction(a);
        if (onBar)
            bar->addAction(a);
        return a;
    };
    m_followAction = action(tr("Follow latest"), QKeySequence(Qt::Key_End), [this](bool on) { m_sync->setFollowLatest(on); }, true);
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setToolTip(tr("Keep the newest data at the right edge (End)"));
    action(tr("Show all history"), QKeySequence(Qt::Key_Home), [this] { m_sync->showAll(this); }, true);
    action(tr("Zoom in"), QKeySequence(Qt::Key_Plus), [this] {
        const TimeRange r = m_sync->visibleRange();
        m_sync->zoom(0.7, r.from + r.span() / 2, this);
    });
    action(tr("Zoom out"), QKeySequence(Qt::Key_Minus), [this] {
        const TimeRange r = m_sync->visibleRange();
        m_sync->zoom(1 / 0.7, r.from + r.span() / 2, this);
    });
    action(tr("Pan left"), QKeySequence(Qt::Key_Left), [this] { m_sync->pan(-m_sync->visibleRange().span() / 8, this); });
    action(tr("Pan right"), QKeySequence(Qt::Key_Right), [this] { m_sync->pan(m_sync->visibleRange().span() / 8, this); });
    view->addSeparator();
    m_themeAction = action(tr("Light theme"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
                           [this](bool light) { setTheme(light ? QStringLiteral("light") : QStringLiteral("dark")); }, true);
    m_themeAction->setCheckable(true);
    action(tr("Reset layout"), QKeySequence(), [this] { resetLayout(); }, true);
    bar->addSeparator();
    m_rangeToolAction = action(tr("Range tool"), QKeySequence(Qt::Key_R), [this](bool on) { setRangeTool(on); }, true);
    m_rangeToolAction->setCheckable(true);
    m_rangeToolAction->setToolTip(tr("Drag on a chart to select a time range (R); Shift-drag always selects"));
    action(tr("Clear selection"), QKeySequence(Qt::Key_Escape), [this] { m_sync->clearSelection(this); });
    auto *mark = action(tr("Mark price on price pane"), QKeySequence(), [this](bool on) {
        if (auto *p = qobject_cast<PricePane *>(pane(QStringLiteral("dock.price"))))
            p->setShowMarkPrice(on);
    });
    mark->setCheckable(true);
    auto *usd = action(tr("Open interest in USD"), QKeySequence(), [this](bool on) {
        if (auto *p = qobject_cast<OpenInterestPane *>(pane(QStringLiteral("dock.oi"))))
            p->setShowUsd(on);
    });
    usd->setCheckable(true);
    view->addSeparator();
    m_heatmapControls = new HeatmapControls(m_heatmap, qobject_cast<LiquidationsPane *>(pane(QStringLiteral("dock.liquidations"))), this);
    m_heatmapControls->addTo(bar, view->addMenu(tr("Heatmap")));
    view->addSeparator();
    for (QDockWidget *d : m_docks)
        view->addAction(d->toggleViewAction());

    QMenu *file = menuBar()->insertMenu(view->menuAction(), new QMenu(tr("&File"), this))->menu();
    m_exports = new ExportActions(this);
    m_exports->addTo(file);
    file->addSeparator();
    auto *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::openFiles(const QStringList &paths)
{
    if (isMinimized())
        showNormal();
    show();
    raise();
    activateWindow();
    if (!paths.isEmpty())
        emit importRequested(paths);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!ImportController::localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = ImportController::localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    openFiles(files);
}

void MainWindow::setupImport()
{
    setAcceptDrops(true);
    m_import = new ImportController(m_options.dbPath, this, this);
    connect(this, &MainWindow::importRequested, m_import, &ImportController::import);
    connect(m_import, &ImportController::appended, m_model, &MarketWindowModel::onAppended);
    connect(m_import, &ImportController::appended, m_heatmap, &HeatmapModel::onAppended);
    connect(m_import, &ImportController::appended, this, &MainWindow::onAppended);
    connect(m_import, &ImportController::message, this, [this](const QString &m) { statusBar()->showMessage(m, 15000); });
    connect(m_import, &ImportController::progress, this, &MainWindow::showProgress);
    connect(m_import, &ImportController::finished, this, [this] {
        m_progress->hide();
        m_model->requestInstruments();
    });
}

void MainWindow::showProgress(qint64 done, qint64 total, const QString &what)
{
    m_progress->setVisible(total > 0 && done < total);
    m_progress->setMaximum(1000);
    m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
    m_progress->setFormat(what + QStringLiteral(" %p%"));
}

void MainWindow::setRangeTool(bool on)
{
    for (ChartPane *p : m_panes)
        p->setRangeTool(on);
    if (m_rangeToolAction)
        m_rangeToolAction->setChecked(on);
}

void MainWindow::buildStatusBar()
{
    m_simBadge = new QLabel(tr(" SIMULATED "), this);
    m_simBadge->setObjectName(QStringLiteral("simBadge"));
    m_simBadge->setStyleSheet(QStringLiteral("QLabel{background:#7e57c2;color:white;border-radius:3px;font-weight:bold;padding:1px 4px;}"));
    m_simBadge->setToolTip(tr("The data comes from Perpscope's built-in market simulator, not from an exchange."));
    m_simBadge->hide();
    m_sourceLabel = new QLabel(this);
    m_stateLabel = new QLabel(this);
    m_updatedLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(260);
    m_progress->setTextVisible(true);
    m_progress->hide();
    statusBar()->addWidget(m_simBadge);
    statusBar()->addWidget(m_sourceLabel);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_updatedLabel);
}

void MainWindow::setTheme(const QString &name)
{
    m_theme = ChartTheme::byName(name);
    QApplication::setPalette(m_theme.palette());
    for (ChartPane *p : m_panes)
        p->setTheme(m_theme);
    m_tape->setTheme(m_theme);
    m_analysis->setTheme(m_theme);
    if (m_themeAction)
        m_themeAction->setChecked(m_theme.kind == ChartTheme::Kind::Light);
}

void MainWindow::startSource(const QString &name)
{
    if (name == QLatin1String("none")) {
        // Browse what is stored; nothing is fetched or simulated.
        m_data->stopSource();
        m_sourceName = name;
        m_sourceDisplay = tr("No source: browsing the database");
        m_sourceLabel->setText(m_sourceDisplay);
        m_stateLabel->clear();
        m_simBadge->setVisible(m_model->instrument().isSimulated());
        m_sourceBox->setCurrentIndex(m_sourceBox->findData(name));
        return;
    }
    SourceOptions o;
    o.source = name.isEmpty() ? QStringLiteral("sim") : name;
    if (!SourceFactory::names().contains(o.source))
        o.source = SourceFactory::names().value(0);
    o.live = true;
    o.days = 30;
    if (!m_options.instrument.isEmpty())
        o.instrument = Instrument::parse(m_options.instrument, o.source == QLatin1String("binance") ? QStringLiteral("BINANCE") : QString());
    QString error;
    DataSource *source = SourceFactory::create(o, &error);
    if (!source) {
        statusBar()->showMessage(error, 15000);
        return;
    }
    m_sourceName = o.source;
    m_sourceDisplay = source->displayName();
    m_sourceLabel->setText(m_sourceDisplay);
    m_simBadge->setVisible(source->isSimulated());
    const int idx = m_sourceBox->findData(o.source);
    if (idx >= 0)
        m_sourceBox->setCurrentIndex(idx);
    // Show what the source produces unless the user is looking at something else.
    const QList<Instrument> produced = source->instruments();
    if (!produced.isEmpty() && (!m_model->instrument().isValid() || m_model->instrument().exchange != produced.front().exchange)) {
        if (m_model->instrument().isValid())
            m_sync->reset();
        m_model->setInstrument(produced.front());
    }
    m_data->setSource(source);
    updateTitle();
}

void MainWindow::onInstruments(const QList<Instrument> &instruments)
{
    const Instrument current = m_model->instrument();
    m_instrumentBox->clear();
    for (const Instrument &i : instruments)
        m_instrumentBox->addItem(i.isSimulated() ? i.symbol + tr(" (simulated)") : i.key(), i.key());
    if (current.isValid() && !instruments.contains(current))
        m_instrumentBox->addItem(current.key(), current.key());
    m_instrumentBox->setCurrentIndex(m_instrumentBox->findData(current.key()));
    if (!current.isValid() && !instruments.isEmpty())
        m_model->setInstrument(instruments.front());
    updateTitle();
}

void MainWindow::onInstrumentPicked(int index)
{
    const Instrument picked = Instrument::parse(m_instrumentBox->itemData(index).toString(), {});
    if (picked != m_model->instrument()) {
        m_sync->reset(); // the new instrument decides its own view
        m_model->setInstrument(picked);
    }
    updateTitle();
}

void MainWindow::onTimeframePicked(int index)
{
    const int minutes = m_timeframeBox->itemData(index).toInt();
    m_model->setPinnedTimeframe(minutes ? std::optional<Timeframe>(Timeframe(minutes)) : std::nullopt);
}

void MainWindow::onAppended()
{
    m_updatedLabel->setText(tr("updated %1").arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss 'UTC'"))));
    if (m_instrumentBox->count() == 0)
        m_model->requestInstruments();
}

void MainWindow::updateTitle()
{
    const Instrument i = m_model->instrument();
    if (i.isValid())
        m_simBadge->setVisible(i.isSimulated());
    QString title = QStringLiteral("Perpscope");
    if (i.isValid())
        title += QStringLiteral(" — ") + i.key() + (i.isSimulated() ? tr(" (simulated)") : QString());
    setWindowTitle(title);
    const int idx = m_instrumentBox->findData(i.key());
    if (idx >= 0)
        m_instrumentBox->setCurrentIndex(idx);
}

void MainWindow::updatePlotWidth()
{
    int widest = 0;
    for (ChartPane *p : m_panes)
        if (p->isVisible())
            widest = std::max(widest, p->plotWidth());
    if (widest > 0)
        m_model->setPlotWidth(widest);
}

void MainWindow::resetLayout()
{
    for (QDockWidget *d : m_docks) {
        d->setFloating(false);
        d->show();
    }
    restoreState(m_defaultState, layoutVersion);
    applyDefaultSizes();
}

void MainWindow::saveSettings() const
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState(layoutVersion));
    s.setValue(QStringLiteral("view/theme"), m_theme.name());
    s.setValue(QStringLiteral("view/source"), m_sourceName);
    s.setValue(QStringLiteral("view/instrument"), m_model->instrument().key());
    const TimeRange r = m_sync->visibleRange();
    s.setValue(QStringLiteral("view/from"), r.from);
    s.setValue(QStringLiteral("view/to"), r.to);
    s.setValue(QStringLiteral("view/follow"), m_sync->followLatest());
    s.setValue(QStringLiteral("view/timeframe"), m_timeframeBox->currentData().toInt());
    s.setValue(QStringLiteral("view/markPrice"), qobject_cast<PricePane *>(pane(QStringLiteral("dock.price")))->showMarkPrice());
    s.setValue(QStringLiteral("view/oiUsd"), qobject_cast<OpenInterestPane *>(pane(QStringLiteral("dock.oi")))->showUsd());
}

void MainWindow::restoreSettings()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    m_savedState = s.value(QStringLiteral("window/state")).toByteArray();
    m_restoredLayout = restoreState(m_savedState, layoutVersion);
    setTheme(m_options.theme.isEmpty() ? s.value(QStringLiteral("view/theme"), QStringLiteral("dark")).toString() : m_options.theme);
    m_sourceName = m_options.source.isEmpty() ? s.value(QStringLiteral("view/source"), QStringLiteral("sim")).toString() : m_options.source;
    const QString saved = s.value(QStringLiteral("view/instrument")).toString();
    const QString instrument = m_options.instrument.isEmpty() ? saved : Instrument::parse(m_options.instrument, {}).key();
    if (!instrument.isEmpty() && !instrument.startsWith(QLatin1Char(':')))
        m_model->setInstrument(Instrument::parse(instrument, {}));
    // The saved view belongs to the saved instrument.
    const TimeRange r{s.value(QStringLiteral("view/from")).toLongLong(), s.value(QStringLiteral("view/to")).toLongLong()};
    if (r.isValid() && instrument == saved) {
        m_sync->setFollowLatest(s.value(QStringLiteral("view/follow"), true).toBool());
        m_sync->setVisibleRange(r);
    }
    m_heatmapControls->restore();
    const int tf = s.value(QStringLiteral("view/timeframe"), 0).toInt();
    m_timeframeBox->setCurrentIndex(std::max(0, m_timeframeBox->findData(tf)));
    onTimeframePicked(m_timeframeBox->currentIndex());
    const bool mark = s.value(QStringLiteral("view/markPrice"), false).toBool();
    const bool usd = s.value(QStringLiteral("view/oiUsd"), false).toBool();
    qobject_cast<PricePane *>(pane(QStringLiteral("dock.price")))->setShowMarkPrice(mark);
    qobject_cast<OpenInterestPane *>(pane(QStringLiteral("dock.oi")))->setShowUsd(usd);
    for (QAction *a : actions()) {
        if (a->text() == tr("Mark price on price pane"))
            a->setChecked(mark);
        if (a->text() == tr("Open interest in USD"))
            a->setChecked(usd);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_options.persistSettings)
        saveSettings();
    event->accept();
}

void MainWindow::applyOptionsOnly()
{
    setTheme(m_options.theme.isEmpty() ? QStringLiteral("dark") : m_options.theme);
    m_sourceName = m_options.source;
    if (!m_options.instrument.isEmpty())
        m_model->setInstrument(Instrument::parse(m_options.instrument, {}));
}

SnapshotRenderer MainWindow::snapshot(const QString &paneName) const
{
    return WorkspaceSnapshot::of(*this, paneName);
}
