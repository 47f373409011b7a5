#include "heatmapcontrols.h"

#include "heatmapmodel.h"
#include "heatmapparamsdialog.h"
#include "liquidationspane.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QToolBar>

namespace {
const QString presetsKey = QStringLiteral("heatmap/userPresets");
const QString currentKey = QStringLiteral("heatmap/preset");
const QString clipKey = QStringLiteral("heatmap/clipPercentile");
const QString thresholdKey = QStringLiteral("heatmap/threshold");

QString title(const QString &name)
{
    if (name == QLatin1String("all_leverage"))
        return QObject::tr("All leverage");
    if (name == QLatin1String("high_leverage"))
        return QObject::tr("High leverage (≥20x)");
    return name;
}
} // namespace

HeatmapControls::HeatmapControls(HeatmapModel *model, LiquidationsPane *pane, QWidget *window)
    : QObject(window)
    , m_model(model)
    , m_pane(pane)
    , m_window(window)
{
}

QList<HeatmapParams> HeatmapControls::allPresets()
{
    QList<HeatmapParams> all;
    for (const QString &n : HeatmapParams::presetNames())
        all << *HeatmapParams::preset(n);
    const QStringList saved = QSettings().value(presetsKey).toStringList();
    for (const QString &json : saved)
        if (auto p = HeatmapParams::fromJson(json.toUtf8()); p && p->validate().isEmpty())
            all << *p;
    return all;
}

void HeatmapControls::fillPresets()
{
    const QString current = m_model->params().name;
    m_presets->blockSignals(true);
    m_presets->clear();
    for (const HeatmapParams &p : allPresets())
        m_presets->addItem(title(p.name), p.name);
    m_presets->setCurrentIndex(std::max(0, m_presets->findData(current)));
    m_presets->blockSignals(false);
}

void HeatmapControls::selectPreset(const QString &name)
{
    for (const HeatmapParams &p : allPresets())
        if (p.name == name) {
            m_model->setParams(p);
            QSettings().setValue(currentKey, name);
            if (m_presets)
                m_presets->setCurrentIndex(std::max(0, m_presets->findData(name)));
            return;
        }
}

void HeatmapControls::restore()
{
    selectPreset(QSettings().value(currentKey, QStringLiteral("all_leverage")).toString());
    const QSettings s;
    HeatmapIntensity i;
    i.clipPercentile = HeatmapIntensity::nearestOf(HeatmapIntensity::clipChoices(), s.value(clipKey, i.clipPercentile).toDouble());
    i.threshold = HeatmapIntensity::nearestOf(HeatmapIntensity::thresholdChoices(), s.value(thresholdKey, i.threshold).toDouble());
    applyIntensity(i);
}

void HeatmapControls::setIntensity(const HeatmapIntensity &intensity)
{
    QSettings s;
    s.setValue(clipKey, intensity.clipPercentile);
    s.setValue(thresholdKey, intensity.threshold);
    applyIntensity(intensity);
}

void HeatmapControls::applyIntensity(const HeatmapIntensity &intensity)
{
    m_pane->setHeatmapIntensity(intensity);
    // Each action holds its field's value; 1 + v keeps qFuzzyCompare meaningful at 0.
    for (const auto &[field, action] : std::as_const(m_intensityActions))
        action->setChecked(qFuzzyCompare(1 + action->data().toDouble(), 1 + intensity.*field));
}

void HeatmapControls::addIntensityChoices(QMenu *sub, const QList<double> &choices, double HeatmapIntensity::*field,
                                          const std::function<QString(double)> &label)
{
    auto *group = new QActionGroup(sub);
    for (double v : choices) {
        QAction *a = sub->addAction(label(v));
        a->setCheckable(true);
        a->setData(v);
        group->addAction(a);
        m_intensityActions.push_back({field, a});
        connect(a, &QAction::triggered, this, [this, field, v] {
            HeatmapIntensity i = m_pane->heatmapIntensity();
            i.*field = v;
            setIntensity(i);
        });
    }
}

void HeatmapControls::addIntensityMenu(QMenu *menu)
{
    // CoinGlass's intensity slider as stops: where the colour scale tops out (a lower
    // percentile saturates more cells: brighter) and which faint cells to hide.
    QMenu *sub = menu->addMenu(tr("Heatmap intensity"));
    sub->setObjectName(QStringLiteral("heatmapIntensityMenu"));
    addIntensityChoices(sub, HeatmapIntensity::clipChoices(), &HeatmapIntensity::clipPercentile, [](double p) {
        const QString pct = HeatmapIntensity::percentileText(p);
        return p < 0.99   ? tr("Brighter: scale tops at the %1th percentile").arg(pct)
               : p > 0.99 ? tr("Hottest only: scale tops at the %1th percentile").arg(pct)
                          : tr("Default: scale tops at the %1th percentile").arg(pct);
    });
    sub->addSeparator();
    addIntensityChoices(sub, HeatmapIntensity::thresholdChoices(), &HeatmapIntensity::threshold, [](double t) {
        return t <= 0 ? tr("Show every predicted cell") : tr("Hide cells below %1% of the scale").arg(QString::number(t * 100, 'f', 0));
    });
    applyIntensity(m_pane->heatmapIntensity()); // ticks only: restore() reads what was saved
}

void HeatmapControls::addTo(QToolBar *bar, QMenu *menu)
{
    bar->addWidget(new QLabel(tr("  Heatmap ")));
    m_presets = new QComboBox(bar);
    m_presets->setObjectName(QStringLiteral("heatmapPresetBox"));
    m_presets->setToolTip(tr("Heatmap model preset"));
    fillPresets();
    connect(m_presets, &QComboBox::activated, this, [this](int i) { selectPreset(m_presets->itemData(i).toString()); });
    bar->addWidget(m_presets);

    auto *show = menu->addAction(tr("Predicted heatmap"));
    show->setCheckable(true);
    show->setChecked(m_pane->showHeatmap());
    connect(show, &QAction::toggled, m_pane, &LiquidationsPane::setShowHeatmap);
    auto *map = menu->addAction(tr("Liquidation map at the cursor"));
    map->setCheckable(true);
    map->setChecked(m_pane->showLiquidationMap());
    connect(map, &QAction::toggled, m_pane, &LiquidationsPane::setShowLiquidationMap);
    addIntensityMenu(menu);
    menu->addAction(tr("Heatmap model parameters…"), this, &HeatmapControls::editParams);
    menu->addAction(tr("About this model…"), this, &HeatmapControls::showAbout);
}

void HeatmapControls::editParams()
{
    HeatmapParamsDialog dialog(m_model->params(), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const HeatmapParams p = dialog.params();
    QSettings s;
    QStringList saved = s.value(presetsKey).toStringList();
    // Replace a preset of the same name.
    saved.erase(std::remove_if(saved.begin(), saved.end(),
                               [&](const QString &json) {
                                   const auto old = HeatmapParams::fromJson(json.toUtf8());
                                   return old && old->name == p.name;
                               }),
                saved.end());
    saved << QString::fromUtf8(p.toJson());
    s.setValue(presetsKey, saved);
    m_model->setParams(p);
    s.setValue(currentKey, p.name);
    fillPresets();
}

void HeatmapControls::showAbout()
{
    auto *dialog = new QDialog(m_window);
    dialog->setObjectName(QStringLiteral("aboutHeatmapModel"));
    dialog->setWindowTitle(tr("About this model"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(dialog);
    auto *text = new QTextBrowser(dialog);
    // Which maintenance-margin tiers the map on screen was computed with: the venue's own as
    // last fetched, or Binance BTCUSDT's default.
    const auto &grid = m_model->grid();
    const QString tiers = grid && !grid->marginTiers.isEmpty() ? grid->marginTiers : tr("not known until the heatmap has been computed");
    text->setPlainText(m_model->params().aboutText() + tr("\nMaintenance-margin tiers in use: %1.\n").arg(tiers));
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->resize(680, 560);
    dialog->open();
}
