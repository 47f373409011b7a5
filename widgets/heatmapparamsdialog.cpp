#include "heatmapparamsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

HeatmapParamsDialog::HeatmapParamsDialog(const HeatmapParams &params, QWidget *parent)
    : QDialog(parent)
    , m_base(params)
{
    setWindowTitle(tr("Heatmap model"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit(params.name == QLatin1String("all_leverage") || params.name == QLatin1String("high_leverage")
                               ? params.name + QStringLiteral("_custom")
                               : params.name,
                           this);
    form->addRow(tr("Preset name"), m_name);
    layout->addLayout(form);

    auto *tiers = new QGroupBox(tr("Leverage mix (weights are normalised)"), this);
    auto *grid = new QGridLayout(tiers);
    grid->addWidget(new QLabel(tr("Leverage"), tiers), 0, 0);
    grid->addWidget(new QLabel(tr("Weight"), tiers), 0, 1);
    // Five rows: the reference mix has five tiers; a weight of 0 leaves a tier out.
    for (int i = 0; i < 5; ++i) {
        auto *lev = new QDoubleSpinBox(tiers);
        lev->setRange(1, 125);
        lev->setDecimals(0);
        lev->setSuffix(QStringLiteral("x"));
        auto *w = new QDoubleSpinBox(tiers);
        w->setRange(0, 1);
        w->setDecimals(2);
        w->setSingleStep(0.05);
        if (i < params.tiers.size()) {
            lev->setValue(params.tiers[i].leverage);
            w->setValue(params.tiers[i].weight);
        } else {
            lev->setValue(20);
            w->setValue(0);
        }
        grid->addWidget(lev, i + 1, 0);
        grid->addWidget(w, i + 1, 1);
        m_leverage << lev;
        m_weight << w;
    }
    layout->addWidget(tiers);

    auto *more = new QFormLayout;
    m_binPct = new QDoubleSpinBox(this);
    m_binPct->setRange(0.01, 2);
    m_binPct->setDecimals(2);
    m_binPct->setSuffix(QStringLiteral(" %"));
    m_binPct->setValue(params.binStep * 100);
    more->addRow(tr("Price bin width"), m_binPct);
    m_subEntries = new QSpinBox(this);
    m_subEntries->setRange(1, 20);
    m_subEntries->setValue(params.subEntries);
    more->addRow(tr("Entries per bar (smearing)"), m_subEntries);
    m_decayHours = new QDoubleSpinBox(this);
    m_decayHours->setRange(0, 24 * 365);
    m_decayHours->setDecimals(0);
    m_decayHours->setSuffix(tr(" h"));
    m_decayHours->setSpecialValueText(tr("off"));
    m_decayHours->setValue(params.decayHalfLifeHours);
    more->addRow(tr("Decay half-life"), m_decayHours);
    m_lookbackHours = new QDoubleSpinBox(this);
    m_lookbackHours->setRange(1, 24 * 365);
    m_lookbackHours->setDecimals(0);
    m_lookbackHours->setSuffix(tr(" h"));
    m_lookbackHours->setValue(params.lookbackHours);
    more->addRow(tr("Look-back"), m_lookbackHours);
    m_funding = new QCheckBox(tr("Funding erodes isolated margin"), this);
    m_funding->setChecked(params.fundingErosion);
    more->addRow(QString(), m_funding);
    layout->addLayout(more);

    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color:#ef5350"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &HeatmapParamsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

HeatmapParams HeatmapParamsDialog::params() const
{
    HeatmapParams p = m_base;
    p.name = m_name->text().trimmed();
    p.tiers.clear();
    for (int i = 0; i < m_leverage.size(); ++i)
        if (m_weight[i]->value() > 0)
            p.tiers.push_back({m_leverage[i]->value(), m_weight[i]->value()});
    p.binStep = m_binPct->value() / 100.0;
    p.subEntries = m_subEntries->value();
    p.decayHalfLifeHours = m_decayHours->value();
    p.lookbackHours = m_lookbackHours->value();
    p.fundingErosion = m_funding->isChecked();
    return p;
}

void HeatmapParamsDialog::accept()
{
    const HeatmapParams p = params();
    QString error = p.validate();
    if (p.name.isEmpty())
        error = tr("Give the preset a name.");
    else if (HeatmapParams::presetNames().contains(p.name))
        error = tr("\"%1\" is a built-in preset; choose another name.").arg(p.name);
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}
