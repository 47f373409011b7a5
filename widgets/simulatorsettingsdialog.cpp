#include "simulatorsettingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QToolButton>
#include <QVBoxLayout>

SimulatorSettingsDialog::SimulatorSettingsDialog(const QStringList &presets, const QString &preset, quint64 seed, const Stored &stored,
                                                 QWidget *parent)
    : QDialog(parent)
    , m_stored(stored)
{
    setObjectName(QStringLiteral("simulatorSettings"));
    setWindowTitle(tr("Simulator settings"));
    auto *layout = new QVBoxLayout(this);
    auto *current = new QLabel(this);
    current->setObjectName(QStringLiteral("storedMarket"));
    current->setWordWrap(true);
    current->setText(stored.present ? tr("Stored: the simulated market %1, %2 (%3 minutes). It continues where it ends "
                                         "whenever the simulator starts.")
                                          .arg(stored.market, stored.span, QLocale().toString(stored.minutes))
                                    : tr("No simulated history is stored yet."));
    layout->addWidget(current);

    auto *form = new QFormLayout;
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("preset"));
    m_preset->addItems(presets);
    m_preset->setCurrentText(preset);
    m_preset->setToolTip(tr("calm: deep book, low leverage; treadmill: a real-market month; crash: thin book, high leverage"));
    form->addRow(tr("Preset"), m_preset);
    auto *seedRow = new QHBoxLayout;
    m_seed = new QLineEdit(QString::number(seed), this);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    seedRow->addWidget(m_seed);
    auto *dice = new QToolButton(this);
    dice->setObjectName(QStringLiteral("randomSeed"));
    dice->setText(tr("Random"));
    connect(dice, &QToolButton::clicked, this, [this] { m_seed->setText(QString::number(QRandomGenerator::global()->bounded(1, 1'000'000'000))); });
    seedRow->addWidget(dice);
    form->addRow(tr("Seed"), seedRow);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setStyleSheet(QStringLiteral("color:#e53935"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(stored.present ? tr("Start a new market…") : tr("Start market"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("startMarket"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SimulatorSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString SimulatorSettingsDialog::preset() const
{
    return m_preset->currentText();
}

quint64 SimulatorSettingsDialog::seed() const
{
    return m_seed->text().toULongLong();
}

void SimulatorSettingsDialog::accept()
{
    bool ok = false;
    m_seed->text().toULongLong(&ok);
    if (!ok) {
        m_error->setText(tr("The seed must be a whole number from 0 to 18446744073709551615."));
        m_error->show();
        return;
    }
    m_error->hide();
    if (!m_stored.present) {
        confirmed();
        return;
    }
    // Asked every time: a new market deletes the stored one, which cannot be brought back.
    if (!m_confirm) {
        m_confirm = new QMessageBox(QMessageBox::Warning, tr("Replace the simulated history?"), QString(), QMessageBox::NoButton, this);
        m_confirm->setObjectName(QStringLiteral("confirmReplace"));
        m_confirm->addButton(tr("Replace history"), QMessageBox::DestructiveRole)->setObjectName(QStringLiteral("replace"));
        m_confirm->addButton(QMessageBox::Cancel)->setObjectName(QStringLiteral("keep"));
        m_confirm->setDefaultButton(QMessageBox::Cancel);
        connect(m_confirm, &QMessageBox::buttonClicked, this, [this](QAbstractButton *b) {
            if (m_confirm->buttonRole(b) == QMessageBox::DestructiveRole)
                confirmed();
        });
    }
    m_confirm->setText(tr("Start %1 · seed %2 in place of the stored market?").arg(preset()).arg(seed()));
    m_confirm->setInformativeText(tr("This deletes the stored simulated history (%1, %2: candles, funding, open interest, "
                                     "liquidations and ground truth). Cancel keeps it.")
                                      .arg(m_stored.market, m_stored.span));
    m_confirm->open();
}

void SimulatorSettingsDialog::confirmed()
{
    emit startRequested(preset(), seed());
    QDialog::accept();
}
