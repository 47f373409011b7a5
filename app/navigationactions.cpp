#include "navigationactions.h"

#include "timesync.h"

#include <QAction>
#include <QWidget>

NavigationActions::NavigationActions(TimeSync *sync, QWidget *window)
    : QObject(window)
    , m_sync(sync)
    , m_window(window)
{
    m_follow = add(tr("Follow latest"), QKeySequence(Qt::Key_End));
    m_follow->setObjectName(QStringLiteral("action.follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(sync->followLatest());
    m_follow->setToolTip(tr("Keep the newest data at the right edge (End)"));
    connect(m_follow, &QAction::triggered, sync, [sync](bool on) { sync->setFollowLatest(on); });
    connect(sync, &TimeSync::followLatestChanged, m_follow, &QAction::setChecked);
    m_showAll = add(tr("Show all history"), QKeySequence(Qt::Key_Home));
    connect(m_showAll, &QAction::triggered, this, [this] { m_sync->showAll(m_window); });
    const auto zoom = [this](double factor) {
        const TimeRange r = m_sync->visibleRange();
        m_sync->zoom(factor, r.from + r.span() / 2, m_window);
    };
    connect(add(tr("Zoom in"), QKeySequence(Qt::Key_Plus)), &QAction::triggered, this, [zoom] { zoom(0.7); });
    connect(add(tr("Zoom out"), QKeySequence(Qt::Key_Minus)), &QAction::triggered, this, [zoom] { zoom(1 / 0.7); });
    connect(add(tr("Pan left"), QKeySequence(Qt::Key_Left)), &QAction::triggered, this,
            [this] { m_sync->pan(-m_sync->visibleRange().span() / 8, m_window); });
    connect(add(tr("Pan right"), QKeySequence(Qt::Key_Right)), &QAction::triggered, this,
            [this] { m_sync->pan(m_sync->visibleRange().span() / 8, m_window); });
    connect(add(tr("Clear selection"), QKeySequence(Qt::Key_Escape)), &QAction::triggered, this, [this] { m_sync->clearSelection(m_window); });
}

QAction *NavigationActions::add(const QString &text, const QKeySequence &key)
{
    auto *a = new QAction(text, this);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    m_window->addAction(a);
    m_all << a;
    return a;
}
