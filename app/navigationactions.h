#pragma once

#include <QList>
#include <QObject>

class QAction;
class QWidget;
class TimeSync;

// The keyboard and toolbar navigation of the shared time axis: follow latest (End), all
// history (Home), zoom in/out (+/-), pan (arrows) and clear the selection (Esc). Each action
// works on TimeSync alone, with the window as origin, so every pane follows.
class NavigationActions : public QObject
{
    Q_OBJECT
public:
    NavigationActions(TimeSync *sync, QWidget *window);

    QAction *follow() const { return m_follow; }
    QAction *showAll() const { return m_showAll; }
    QList<QAction *> all() const { return m_all; }

private:
    QAction *add(const QString &text, const QKeySequence &key);

    TimeSync *m_sync;
    QWidget *m_window;
    QAction *m_follow;
    QAction *m_showAll;
    QList<QAction *> m_all;
};
