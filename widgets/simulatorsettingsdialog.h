#pragma once

#include <QDialog>
#include <QString>

class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPushButton;

// Simulator settings: the stored simulated market (if any) and a new one to start in its
// place - preset and seed. Starting a new market is the only way the GUI rewrites simulated
// history, so when history is stored the dialog asks first, saying what is deleted; Cancel
// there (or here) leaves everything as it was. Emits startRequested() once confirmed.
class SimulatorSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    struct Stored
    {
        bool present = false;
        QString market; // "treadmill · seed 42"
        QString span;   // "2026-11-02 00:00 UTC … 2026-12-02 00:53 UTC"
        qint64 minutes = 0;
    };

    SimulatorSettingsDialog(const QStringList &presets, const QString &preset, quint64 seed, const Stored &stored,
                            QWidget *parent = nullptr);

    QString preset() const;
    quint64 seed() const;
    QPushButton *startButton() const { return m_start; }
    // The question asked before replacing stored history (nullptr until asked).
    QMessageBox *confirmation() const { return m_confirm; }

    void accept() override;

signals:
    void startRequested(const QString &preset, quint64 seed);

private:
    void confirmed();

    Stored m_stored;
    QComboBox *m_preset;
    QLineEdit *m_seed;
    QLabel *m_error;
    QPushButton *m_start;
    QMessageBox *m_confirm = nullptr;
};
