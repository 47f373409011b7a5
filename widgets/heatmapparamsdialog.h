#pragma once

#include "analysis/heatmapparams.h"

#include <QDialog>

class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QCheckBox;
class QLabel;

// Edits the heatmap model's main knobs (leverage mix, bin width, entry smearing, decay,
// look-back) and names the result, so it can be kept as a user preset.
class HeatmapParamsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HeatmapParamsDialog(const HeatmapParams &params, QWidget *parent = nullptr);

    // The edited parameters; validate() is empty when the dialog was accepted.
    HeatmapParams params() const;

    void accept() override;

private:
    HeatmapParams m_base;
    QLineEdit *m_name;
    QVector<QDoubleSpinBox *> m_leverage;
    QVector<QDoubleSpinBox *> m_weight;
    QDoubleSpinBox *m_binPct;
    QSpinBox *m_subEntries;
    QDoubleSpinBox *m_decayHours;
    QDoubleSpinBox *m_lookbackHours;
    QCheckBox *m_funding;
    QLabel *m_error;
};
