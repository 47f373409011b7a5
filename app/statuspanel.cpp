#include "statuspanel.h"

#include "elidedlabel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

StatusPanel::StatusPanel(QStatusBar *bar)
    : QObject(bar)
    , m_bar(bar)
    , m_badge(new QLabel(tr(" SIMULATED "), bar))
    , m_source(new ElidedLabel(bar))
    , m_state(new ElidedLabel(bar))
    , m_message(new ElidedLabel(bar))
    , m_progressBox(new QWidget(bar))
    , m_progressWhat(new ElidedLabel(m_progressBox))
    , m_progress(new QProgressBar(m_progressBox))
    , m_updated(new QLabel(bar))
{
    m_badge->setObjectName(QStringLiteral("simBadge"));
    m_badge->setStyleSheet(QStringLiteral("QLabel{background:#7e57c2;color:white;border-radius:3px;font-weight:bold;padding:1px 4px;}"));
    m_badge->setToolTip(tr("The data comes from Perpscope's built-in market simulator, not from an exchange."));
    m_badge->hide();
    m_source->setObjectName(QStringLiteral("sourceLabel"));
    m_state->setObjectName(QStringLiteral("stateLabel"));
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_updated->setObjectName(QStringLiteral("updatedLabel"));
    // The source name is short and comes first; state and message share what is left.
    m_source->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_source->setMaximumWidth(320);
    auto *layout = new QHBoxLayout(m_progressBox);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_progressWhat->setMinimumWidth(60);
    m_progressWhat->setMaximumWidth(300);
    m_progressWhat->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setFixedWidth(120);
    m_progress->setRange(0, 1000);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_progress->setTextVisible(true);
    layout->addWidget(m_progressWhat, 1);
    layout->addWidget(m_progress);
    m_progressBox->hide();
    bar->addWidget(m_badge);
    bar->addWidget(m_source);
    bar->addWidget(m_state, 1);
    bar->addWidget(m_message, 2);
    bar->addPermanentWidget(m_progressBox);
    bar->addPermanentWidget(m_updated);
    m_messageTimer.setSingleShot(true);
    connect(&m_messageTimer, &QTimer::timeout, this, [this] { m_message->setFullText(QString()); });
}

void StatusPanel::setSource(const QString &displayName)
{
    m_source->setFullText(displayName);
}

void StatusPanel::setSimulated(bool simulated, bool synthetic)
{
    m_badge->setVisible(simulated);
    m_badge->setToolTip(synthetic ? tr("The data is a synthetic random walk (a scale test), not a market model and not from an exchange.")
                                  : tr("The data comes from Perpscope's built-in market simulator, not from an exchange."));
}

bool StatusPanel::isSimulatedShown() const
{
    return !m_badge->isHidden();
}

void StatusPanel::setState(const QString &state)
{
    m_state->setFullText(state);
}

QString StatusPanel::state() const
{
    return m_state->fullText();
}

void StatusPanel::showMessage(const QString &text, int ms)
{
    m_message->setFullText(text);
    if (ms > 0)
        m_messageTimer.start(ms);
    else
        m_messageTimer.stop();
}

QString StatusPanel::message() const
{
    return m_message->fullText();
}

void StatusPanel::showProgress(qint64 done, qint64 total, const QString &what)
{
    if (total <= 0 || done >= total) {
        hideProgress();
        return;
    }
    m_progressWhat->setFullText(what);
    m_progress->setValue(int(1000 * done / total));
    m_progress->setToolTip(QStringLiteral("%1: %2 %").arg(what).arg(100.0 * double(done) / double(total), 0, 'f', 1));
    m_progressBox->show();
}

void StatusPanel::hideProgress()
{
    m_progressBox->hide();
}

bool StatusPanel::isProgressShown() const
{
    return !m_progressBox->isHidden();
}

QString StatusPanel::progressText() const
{
    return QStringLiteral("%1 %2").arg(m_progressWhat->fullText(), m_progress->text());
}

void StatusPanel::markUpdated()
{
    m_updated->setText(tr("updated %1").arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss 'UTC'"))));
}
