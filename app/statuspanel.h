#pragma once

#include <QObject>
#include <QTimer>

class ElidedLabel;
class QLabel;
class QProgressBar;
class QStatusBar;

// The status bar's parts, left to right: the SIMULATED badge, the source, its state, a
// transient message, the progress of background work (what, then a bar with the percentage)
// and when data last arrived. Messages have a label of their own, so nothing is drawn
// behind the badge and long texts are shortened with their full text as the tooltip.
class StatusPanel : public QObject
{
    Q_OBJECT
public:
    explicit StatusPanel(QStatusBar *bar);

    void setSource(const QString &displayName);
    // The SIMULATED badge; synthetic: the random walk rather than the simulator (tooltip).
    void setSimulated(bool simulated, bool synthetic = false);
    bool isSimulatedShown() const;
    // The source's own state line ("live", "reconnecting in 8 s", "stopped: …").
    void setState(const QString &state);
    QString state() const;
    // A message that goes away after `ms` (0 = stays until the next one).
    void showMessage(const QString &text, int ms = 10000);
    QString message() const;
    void showProgress(qint64 done, qint64 total, const QString &what);
    void hideProgress();
    bool isProgressShown() const;
    QString progressText() const; // what the progress says, with the percentage (tests)
    void markUpdated(); // "updated HH:mm:ss UTC"

private:
    QStatusBar *m_bar;
    QLabel *m_badge;
    ElidedLabel *m_source;
    ElidedLabel *m_state;
    ElidedLabel *m_message;
    QWidget *m_progressBox;
    ElidedLabel *m_progressWhat;
    QProgressBar *m_progress;
    QLabel *m_updated;
    QTimer m_messageTimer;
};
