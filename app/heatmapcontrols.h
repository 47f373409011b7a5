#pragma once

#include "analysis/heatmapparams.h"
#include "heatmapintensity.h"

#include <QObject>

#include <functional>

class HeatmapModel;
class QAction;
class LiquidationsPane;
class QComboBox;
class QMenu;
class QToolBar;
class QWidget;

// The heatmap's controls: a preset picker (built-ins plus user presets kept in QSettings),
// show/hide of the heatmap and of the liquidation map, its intensity, the parameters dialog and the
// "About this model" text.
class HeatmapControls : public QObject
{
    Q_OBJECT
public:
    HeatmapControls(HeatmapModel *model, LiquidationsPane *pane, QWidget *window);

    void addTo(QToolBar *bar, QMenu *menu);
    QComboBox *presetBox() const { return m_presets; }
    // Built-in and saved presets, by name.
    static QList<HeatmapParams> allPresets();
    void selectPreset(const QString &name);
    void showAbout();
    void restore(); // from QSettings
    // The heatmap's drawing intensity: applied to the pane, kept in QSettings, ticked in the menu.
    void setIntensity(const HeatmapIntensity &intensity);

private:
    void fillPresets();
    void editParams();
    void addIntensityMenu(QMenu *menu);
    // One exclusive group of choices for one field of the intensity.
    void addIntensityChoices(QMenu *sub, const QList<double> &choices, double HeatmapIntensity::*field,
                             const std::function<QString(double)> &label);
    void applyIntensity(const HeatmapIntensity &intensity); // pane and menu, not QSettings

    HeatmapModel *m_model;
    LiquidationsPane *m_pane;
    QWidget *m_window;
    QComboBox *m_presets = nullptr;
    QList<std::pair<double HeatmapIntensity::*, QAction *>> m_intensityActions;
};
