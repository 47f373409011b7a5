#include "mainwindow.h"

#include "aboutdialog.h"
#include "comparemodel.h"
#include "comparepanel.h"
#include "dockplacer.h"
#include "exportactions.h"
#include "fundingcomparepane.h"
#include "fundingpane.h"
#include "heatmapcontrols.h"
#include "heatmapmodel.h"
#include "importcontroller.h"
#include "liquidationspane.h"
#include "liquidationtape.h"
#include "marketwindowmodel.h"
#include "navigationactions.h"
#include "openinterestpane.h"
#include "pricepane.h"
#include "rangeanalysismodel.h"
#include "rangeanalysispanel.h"
#include "rangechip.h"
#include "rangemime.h"
#include "simulatorsettingsdialog.h"
#include "sourcecontroller.h"
#include "storefollower.h"
#include "domain/timeformat.h"
#include "sources/datathread.h"
#include "sources/sim/simscenario.h"
#include "statuspanel.h"
#include "timesync.h"
#include "workspacesnapshot.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QToolBar>

#include <algorithm>

namespace {
constexpr int layoutVersion = 2;
const QString settingMarkPrice = QStringLiteral("view/markPrice");
const QString settingOiUsd = QStringLiteral("view/oiUsd");
} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_sync(new TimeSync(this))
    , m_model(new MarketWindowModel(options.store, m_sync, this))
    , m_heatmap(new HeatmapModel(options.store, this))
    , m_sources(new SourceController(options.store, this))
    , m_placer(new DockPlacer(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/perpscope.svg")));
    setDockOptions(AllowNestedDocks | AllowTabbedDocks | AnimatedDocks | GroupedDragging);
    // All panes are docks; the central widget only exists because QMainWindow wants one.
    auto *central = new QWidget(this);
    central->hide();
    setCentralWidget(central);
    m_status = new StatusPanel(statusBar());
    m_sources->setInstrumentHint(options.instrument);

    buildPanes();
    buildSidePanels();
    buildActions();
    buildMenus();
    AboutDialog::addHelpMenu(this);
    m_defaultState = saveState(layoutVersion);
    resize(1500, 950);
    connectData();
    setupImport();

    if (m_options.persistSettings)
        restoreSettings();
    else
        applyOptionsOnly();
    m_model->requestInstruments();
    if (m_options.startSource) {
        // A shared (PostgreSQL) store is written by its recorder: the GUI only reads it,
        // and follows it, unless the user names or picks a source to run there.
        const QString first = m_options.source.isEmpty() && m_options.store.isPostgreSql() ? SourceController::none()
                              : m_options.source.isEmpty() && m_options.persistSettings
                                  ? QSettings().value(QStringLiteral("view/source"), QStringLiteral("sim")).toString()
                                  : m_options.source;
        if (!m_options.sourceOptions.isEmpty()) { // test servers, a testnet: before the first start
            SourceOptions o = m_sources->options(first);
            for (auto it = m_options.sourceOptions.cbegin(); it != m_options.sourceOptions.cend(); ++it)
                o.extra.insert(it.key(), it.value());
            m_sources->setOptions(o);
        }
        m_sources->start(first);
    }
    if (m_options.followStore)
        startFollowing();
}

MainWindow::~MainWindow() = default;

DataThread *MainWindow::dataThread() const
{
    return m_sources->dataThread();
}

void MainWindow::buildPanes()
{
    auto *liquidations = new LiquidationsPane(m_sync, m_model);
    liquidations->setHeatmapModel(m_heatmap);
    const QList<std::pair<ChartPane *, QString>> panes = {{new PricePane(m_sync, m_model), QStringLiteral("dock.price")},
                                                          {new FundingPane(m_sync, m_model), QStringLiteral("dock.funding")},
                                                          {new OpenInterestPane(m_sync, m_model), QStringLiteral("dock.oi")},
                                                          {liquidations, QStringLiteral("dock.liquidations")}};
    QDockWidget *previous = nullptr;
    for (const auto &[pane, name] : panes) {
        QDockWidget *d = addPaneDock(pane, name);
        if (previous)
            splitDockWidget(previous, d, Qt::Vertical);
        previous = d;
    }
    // Funding by venue: a tab beside Funding, so the default layout keeps its four rows.
    QDockWidget *funding = dock(QStringLiteral("dock.funding"));
    tabifyDockWidget(funding, addPaneDock(new FundingComparePane(m_sync, m_model), QStringLiteral("dock.fundingcompare")));
    funding->raise();
}

void MainWindow::buildSidePanels()
{
    m_tape = new LiquidationTape(m_model, m_sync);
    m_analysis = new RangeAnalysisPanel(m_options.store, m_sync, m_model);
    m_compare = new ComparePanel;
    const auto shareHeatmap = [this] {
        m_analysis->analysisModel()->setHeatmap(m_heatmap->service(), m_heatmap->params());
        m_compare->model()->setHeatmap(m_heatmap->service(), m_heatmap->params());
    };
    shareHeatmap();
    connect(m_heatmap, &HeatmapModel::paramsChanged, this, shareHeatmap);
    QDockWidget *analysisDock = nullptr;
    for (const auto &[widget, name, title] : {std::tuple<QWidget *, QString, QString>{m_analysis, QStringLiteral("dock.analysis"), tr("Range analysis")},
                                              {m_tape, QStringLiteral("dock.tape"), tr("Liquidations tape")},
                                              {m_compare, QStringLiteral("dock.compare"), tr("Compare")}}) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(Qt::RightDockWidgetArea, d);
        m_placer->watch(d);
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
        QMetaObject::invokeMethod(this, [this] {
            m_placer->setSuspended(true); // saved floating panes keep their saved places
            restoreState(m_savedState, layoutVersion);
            m_placer->setSuspended(false);
        }, Qt::QueuedConnection);
    m_shownOnce = true;
}

QDockWidget *MainWindow::addPaneDock(ChartPane *pane, const QString &objectName)
{
    auto *d = new QDockWidget(pane->title(), this);
    d->setObjectName(objectName);
    d->setWidget(pane);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, d);
    m_placer->watch(d);
    if (!m_panes.contains(pane))
        m_panes << pane;
    m_docks << d;
    pane->setTheme(m_theme);
    connect(pane, &ChartPane::plotWidthChanged, this, &MainWindow::updatePlotWidth);
    return d;
}

ChartPane *MainWindow::pane(const QString &objectName) const
{
    QDockWidget *d = dock(objectName);
    return d ? qobject_cast<ChartPane *>(d->widget()) : nullptr;
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
    QToolBar *bar = m_toolbar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("toolbar.main"));
    bar->setMovable(false);

    bar->addWidget(new QLabel(tr(" Source ")));
    m_sourceBox = new QComboBox(bar);
    m_sourceBox->setObjectName(QStringLiteral("sourceBox"));
    for (const SourceController::Choice &c : SourceController::choices())
        m_sourceBox->addItem(c.label, c.name);
    connect(m_sourceBox, &QComboBox::activated, this, [this](int i) { m_sources->start(m_sourceBox->itemData(i).toString()); });
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

    m_navigation = new NavigationActions(m_sync, this);
    bar->addAction(m_navigation->follow());
    bar->addAction(m_navigation->showAll());
    const auto action = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_themeAction = action(tr("Light theme"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
                           [this](bool light) { setTheme(light ? QStringLiteral("light") : QStringLiteral("dark")); });
    m_themeAction->setCheckable(true);
    m_resetLayoutAction = action(tr("Reset layout"), QKeySequence(), [this] { resetLayout(); });
    m_rangeToolAction = action(tr("Range tool"), QKeySequence(Qt::Key_R), [this](bool on) { setRangeTool(on); });
    m_rangeToolAction->setCheckable(true);
    m_rangeToolAction->setToolTip(tr("Drag on a chart to select a time range (R); Shift-drag always selects"));
    m_markAction = action(tr("Mark price on price pane"), QKeySequence(), [this](bool on) { setShowMarkPrice(on); });
    m_markAction->setCheckable(true);
    m_usdAction = action(tr("Open interest in USD"), QKeySequence(), [this](bool on) { setShowOiUsd(on); });
    m_usdAction->setCheckable(true);
    m_stackAction = action(tr("Stack open interest by venue"), QKeySequence(), [this](bool on) {
        if (auto *p = qobject_cast<OpenInterestPane *>(pane(QStringLiteral("dock.oi"))))
            p->setStackByVenue(on);
    });
    m_stackAction->setCheckable(true);
    m_stackAction->setObjectName(QStringLiteral("action.stackOi"));
    m_stackAction->setToolTip(tr("For an aggregate (ALL:…): each venue's open interest in USD as a layer under the sum"));
    bar->addAction(m_themeAction);
    bar->addAction(m_resetLayoutAction);
    bar->addSeparator();
    bar->addAction(m_rangeToolAction);
    m_heatmapControls = new HeatmapControls(m_heatmap, qobject_cast<LiquidationsPane *>(pane(QStringLiteral("dock.liquidations"))), this);
}

void MainWindow::buildMenus()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions(m_navigation->all());
    view->addSeparator();
    view->addActions({m_themeAction, m_resetLayoutAction, m_rangeToolAction, m_markAction, m_usdAction, m_stackAction});
    view->addSeparator();
    m_heatmapControls->addTo(m_toolbar, view->addMenu(tr("Heatmap")));
    view->addSeparator();
    for (QDockWidget *d : std::as_const(m_docks))
        view->addAction(d->toggleViewAction());

    QMenu *source = menuBar()->addMenu(tr("&Source"));
    source->setObjectName(QStringLiteral("menu.source"));
    QAction *simSettings = source->addAction(tr("&Simulator settings…"), this, &MainWindow::openSimulatorSettings);
    simSettings->setObjectName(QStringLiteral("action.simSettings"));
    simSettings->setToolTip(tr("The stored simulated market, and a new one (preset, seed) to start in its place"));

    QMenu *file = menuBar()->insertMenu(view->menuAction(), new QMenu(tr("&File"), this))->menu();
    QAction *import = file->addAction(tr("&Import…"), this, [this] { m_import->chooseFiles(); });
    import->setObjectName(QStringLiteral("action.import"));
    import->setShortcut(QKeySequence::Open);
    import->setToolTip(tr("Import Binance dumps (klines, mark price klines, aggTrades, fundingRate, metrics; zipped or plain) "
                          "or Perpscope CSV exports"));
    addAction(import);
    file->addSeparator();
    ExportActions::Workspace w;
    w.window = this;
    w.store = m_options.store;
    w.sync = m_sync;
    w.model = m_model;
    w.snapshot = [this](const QString &paneName) { return snapshot(paneName); };
    w.heatmapDrawn = [this](const QString &paneName) { return heatmapDrawn(paneName); };
    w.heatmap = m_heatmap;
    for (QDockWidget *d : std::as_const(m_docks))
        if (qobject_cast<ChartPane *>(d->widget()))
            w.panes.push_back({d->objectName(), d->windowTitle()});
    m_exports = new ExportActions(w, this);
    m_exports->addTo(file);
    addActions(m_exports->actions()); // shortcuts work with the menu closed
    connect(m_exports, &ExportActions::message, m_status, [this](const QString &m) { m_status->showMessage(m); });
    file->addSeparator();
    auto *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

template <typename Sender, typename Signal>
void MainWindow::routeAppended(Sender *sender, Signal appended)
{
    connect(sender, appended, m_model, &MarketWindowModel::onAppended);
    connect(sender, appended, m_heatmap, &HeatmapModel::onAppended);
    connect(sender, appended, this, &MainWindow::onAppended);
}

void MainWindow::connectData()
{
    DataThread *data = m_sources->dataThread();
    routeAppended(data, &DataThread::appended);
    connect(data, &DataThread::sourceStatus, m_status, &StatusPanel::setState);
    connect(data, &DataThread::progress, m_status, &StatusPanel::showProgress);
    connect(data, &DataThread::sourceFailed, this, [this](const QString &reason) {
        m_status->setState(tr("stopped: %1").arg(reason));
        m_status->hideProgress();
    });
    connect(data, &DataThread::storeError, m_status, [this](const QString &m) { m_status->showMessage(m, 15000); });
    connect(m_sources, &SourceController::changed, this, &MainWindow::onSourceChanged);
    connect(m_sources, &SourceController::startFailed, m_status, [this](const QString &m) { m_status->showMessage(m, 15000); });
    connect(m_heatmap, &HeatmapModel::progress, m_status, [this](double fraction, const QString &what) {
        m_status->showProgress(qint64(fraction * 1000), fraction < 1 ? 1000 : 0, what);
    });
    connect(m_heatmap, &HeatmapModel::failed, m_status, [this](const QString &m) { m_status->showMessage(m, 15000); });
    connect(m_model, &MarketWindowModel::instrumentsChanged, this, &MainWindow::onInstruments);
    connect(m_model, &MarketWindowModel::windowChanged, this, &MainWindow::updateTitle);
    connect(m_model, &MarketWindowModel::loadFailed, m_status, [this](const QString &m) { m_status->showMessage(m, 15000); });
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

QDockWidget *MainWindow::dockTabAt(const QPoint &pos, QTabBar **bar, int *tab) const
{
    // The tab bars of tabbed docks are the main window's own children; their tab data is the
    // dock they raise.
    auto *tabs = qobject_cast<QTabBar *>(childAt(pos));
    if (!tabs)
        return nullptr;
    const int index = tabs->tabAt(tabs->mapFrom(this, pos));
    if (index < 0)
        return nullptr;
    const quintptr id = tabs->tabData(index).value<quintptr>();
    for (QDockWidget *d : m_docks)
        if (quintptr(d) == id) {
            *bar = tabs;
            *tab = index;
            return d;
        }
    return nullptr;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    // A range chip crossing the window: accepted here only so that its moves arrive (to
    // switch dock tabs under it); where it can land is decided per position.
    if (RangeMime::decode(event->mimeData())) {
        event->accept();
        return;
    }
    if (!ImportController::localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (!RangeMime::decode(event->mimeData())) {
        QMainWindow::dragMoveEvent(event);
        return;
    }
    // Over a dock's tab the tab comes forward, so a range can reach Compare when it shares a
    // dock area with Range analysis; dropping on the Compare tab itself adds the range.
    QTabBar *bar = nullptr;
    int tab = -1;
    QDockWidget *d = dockTabAt(event->position().toPoint(), &bar, &tab);
    if (d && bar->currentIndex() != tab)
        bar->setCurrentIndex(tab);
    if (d && d->widget() == m_compare)
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (const auto payload = RangeMime::decode(event->mimeData())) {
        QTabBar *bar = nullptr;
        int tab = -1;
        QDockWidget *d = dockTabAt(event->position().toPoint(), &bar, &tab);
        if (d && d->widget() == m_compare) {
            m_compare->addRange(*payload);
            event->acceptProposedAction();
        }
        return; // a range is never a file to import, even though it carries its CSV as one
    }
    const QStringList files = ImportController::localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    openFiles(files);
}

void MainWindow::setupImport()
{
    setAcceptDrops(true);
    m_import = new ImportController(m_options.store, this, this);
    connect(this, &MainWindow::importRequested, m_import, &ImportController::import);
    routeAppended(m_import, &ImportController::appended);
    connect(m_import, &ImportController::message, m_status, [this](const QString &m) { m_status->showMessage(m, 15000); });
    connect(m_import, &ImportController::progress, m_status, &StatusPanel::showProgress);
    connect(m_import, &ImportController::finished, this, [this] {
        m_status->hideProgress();
        m_model->requestInstruments();
    });
    connect(m_import, &ImportController::dataImported, this, &MainWindow::showImported);
}

void MainWindow::showImported(const Instrument &instrument, TimeRange span)
{
    // What was just imported is what the user wants to see: its instrument, over its span.
    if (instrument != m_model->instrument()) {
        m_sync->reset();
        m_model->setInstrument(instrument);
    }
    if (span.isValid()) {
        m_sync->setFollowLatest(false);
        m_sync->setVisibleRange(span.padded(0.02), this);
    }
    updateTitle();
}

void MainWindow::setRangeTool(bool on)
{
    for (ChartPane *p : std::as_const(m_panes))
        p->setRangeTool(on);
    m_rangeToolAction->setChecked(on);
}

void MainWindow::setShowMarkPrice(bool on)
{
    if (auto *p = qobject_cast<PricePane *>(pane(QStringLiteral("dock.price"))))
        p->setShowMarkPrice(on);
    m_markAction->setChecked(on);
}

void MainWindow::setShowOiUsd(bool on)
{
    if (auto *p = qobject_cast<OpenInterestPane *>(pane(QStringLiteral("dock.oi"))))
        p->setShowUsd(on);
    m_usdAction->setChecked(on);
}

void MainWindow::setTheme(const QString &name)
{
    m_theme = ChartTheme::byName(name);
    QApplication::setPalette(m_theme.palette());
    for (ChartPane *p : std::as_const(m_panes))
        p->setTheme(m_theme);
    m_tape->setTheme(m_theme);
    m_analysis->setTheme(m_theme);
    m_themeAction->setChecked(m_theme.kind == ChartTheme::Kind::Light);
}

void MainWindow::startFollowing()
{
    m_follower = new StoreFollower(m_options.store, this);
    routeAppended(m_follower, &StoreFollower::appended);
    connect(m_follower, &StoreFollower::instrumentsChanged, m_model, &MarketWindowModel::requestInstruments);
    connect(m_follower, &StoreFollower::stateChanged, this, [this](const QString &state) {
        if (!m_sources->isRunning())
            m_status->setState(state.isEmpty() ? QString() : tr("store: %1").arg(state));
    });
    // Until a source starts, rows can only come from elsewhere.
    m_follower->setActive(!m_sources->isRunning());
}

void MainWindow::onSourceChanged()
{
    // Our own source's rows reach the panes through the data thread; another process's
    // through the follower, which runs while we run none.
    if (m_follower)
        m_follower->setActive(!m_sources->isRunning());
    m_status->setSource(m_sources->displayName());
    m_status->setState(QString());
    const int idx = m_sourceBox->findData(m_sources->name());
    if (idx >= 0)
        m_sourceBox->setCurrentIndex(idx);
    // Show what the source produces unless the user is looking at something else.
    const QList<Instrument> &produced = m_sources->instruments();
    if (!produced.isEmpty() && (!m_model->instrument().isValid() || m_model->instrument().exchange != produced.front().exchange)) {
        if (m_model->instrument().isValid())
            m_sync->reset();
        m_model->setInstrument(produced.front());
    }
    updateTitle();
}

void MainWindow::openSimulatorSettings()
{
    const auto stored = m_sources->storedSimulation();
    const SourceOptions o = m_sources->options(QStringLiteral("sim"));
    QString preset = o.preset.isEmpty() ? SimScenario::defaultPreset() : o.preset;
    quint64 seed = o.seed;
    SimulatorSettingsDialog::Stored s;
    if (stored) {
        s.present = true;
        s.market = stored->run ? stored->run->describe() : tr("of an unknown run (%1)").arg(stored->problem);
        s.span = QStringLiteral("%1 … %2").arg(TimeFormat::display(stored->firstMs), TimeFormat::display(stored->lastBarMs + 60'000));
        s.minutes = stored->rows;
        if (stored->run) { // offered as it is: changing the seed or preset is the user's move
            preset = stored->run->scenario().preset();
            seed = stored->run->seed();
        }
    }
    auto *dialog = new SimulatorSettingsDialog(SimScenario::presets(), preset, seed, s, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SimulatorSettingsDialog::startRequested, this,
            [this](const QString &p, quint64 n) { m_sources->startNewSimulation(p, n); });
    dialog->open();
}

QString MainWindow::sourceDisplayName() const
{
    return m_sourceDisplayOverride.isEmpty() ? m_sources->displayName() : m_sourceDisplayOverride;
}

void MainWindow::onInstruments(const QList<Instrument> &instruments)
{
    Instrument current = m_model->instrument();
    const QList<Instrument> &produced = m_sources->instruments();
    // An instrument the database does not hold and no source is producing (settings from
    // another database, a mistyped --instrument) would open an empty workspace: show one
    // that is there instead, and say so.
    if (current.isValid() && !instruments.contains(current) && !produced.contains(current)) {
        QList<Instrument> candidates = produced + instruments;
        std::stable_partition(candidates.begin(), candidates.end(), [&](const Instrument &i) { return i.exchange == current.exchange; });
        if (!candidates.isEmpty()) {
            m_status->showMessage(tr("%1 is not in this database: showing %2").arg(current.key(), candidates.front().key()), 15000);
            m_sync->reset();
            current = candidates.front();
            m_model->setInstrument(current);
        }
    }
    m_instrumentBox->clear();
    for (const Instrument &i : instruments)
        m_instrumentBox->addItem(i.isSynthetic() ? i.symbol + tr(" (synthetic)") : i.isSimulated() ? i.symbol + tr(" (simulated)") : i.key(), i.key());
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
    m_status->markUpdated();
    if (m_instrumentBox->count() == 0)
        m_model->requestInstruments();
}

void MainWindow::updateTitle()
{
    const Instrument i = m_model->instrument();
    m_status->setSimulated(i.isValid() ? i.isSimulated() : m_sources->isSimulated(),
                           i.isValid() ? i.isSynthetic() : m_sources->name() == QLatin1String("synthetic"));
    QString title = QStringLiteral("Perpscope");
    if (i.isValid())
        title += QStringLiteral(" — ") + i.key() + (i.isSynthetic() ? tr(" (synthetic)") : i.isSimulated() ? tr(" (simulated)") : QString());
    setWindowTitle(title);
    const int idx = m_instrumentBox->findData(i.key());
    if (idx >= 0)
        m_instrumentBox->setCurrentIndex(idx);
}

void MainWindow::updatePlotWidth()
{
    int widest = 0;
    for (ChartPane *p : std::as_const(m_panes))
        if (p->isVisible())
            widest = std::max(widest, p->plotWidth());
    if (widest > 0)
        m_model->setPlotWidth(widest);
}

void MainWindow::resetLayout()
{
    for (QDockWidget *d : std::as_const(m_docks)) {
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
    if (!m_sources->name().isEmpty())
        s.setValue(QStringLiteral("view/source"), m_sources->name());
    s.setValue(QStringLiteral("view/instrument"), m_model->instrument().key());
    const TimeRange r = m_sync->visibleRange();
    s.setValue(QStringLiteral("view/from"), r.from);
    s.setValue(QStringLiteral("view/to"), r.to);
    s.setValue(QStringLiteral("view/follow"), m_sync->followLatest());
    s.setValue(QStringLiteral("view/timeframe"), m_timeframeBox->currentData().toInt());
    s.setValue(settingMarkPrice, m_markAction->isChecked());
    s.setValue(settingOiUsd, m_usdAction->isChecked());
}

void MainWindow::restoreSettings()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    m_savedState = s.value(QStringLiteral("window/state")).toByteArray();
    m_restoredLayout = restoreState(m_savedState, layoutVersion);
    setTheme(m_options.theme.isEmpty() ? s.value(QStringLiteral("view/theme"), QStringLiteral("dark")).toString() : m_options.theme);
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
    setShowMarkPrice(s.value(settingMarkPrice, false).toBool());
    setShowOiUsd(s.value(settingOiUsd, false).toBool());
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
    if (!m_options.instrument.isEmpty())
        m_model->setInstrument(Instrument::parse(m_options.instrument, {}));
}

bool MainWindow::heatmapDrawn(const QString &paneName) const
{
    const QString name = QStringLiteral("dock.liquidations");
    const auto *liquidations = qobject_cast<LiquidationsPane *>(pane(name));
    const QDockWidget *d = dock(name);
    if (!liquidations || !d || (!paneName.isEmpty() && paneName != name) || (paneName.isEmpty() && !d->isVisible()))
        return true;
    return liquidations->heatmapDrawn();
}

SnapshotRenderer MainWindow::snapshot(const QString &paneName) const
{
    WorkspaceSnapshot::Header h;
    h.instrument = m_model->instrument();
    h.source = sourceDisplayName();
    h.view = m_sync->visibleRange();
    h.selection = m_sync->selection();
    // Side panels with nothing in them (no selection analysed, no range compared) would put
    // a hint and greyed buttons in the picture.
    QList<QDockWidget *> docks;
    for (QDockWidget *d : m_docks)
        if (!(d->widget() == m_analysis && !h.selection.isValid()) && !(d->widget() == m_compare && m_compare->model()->count() == 0))
            docks << d;
    return WorkspaceSnapshot::of(*this, docks, m_theme, h, paneName);
}
