#pragma once

#include <QObject>
#include <QPointer>
#include <QRect>

class QDockWidget;
class QMainWindow;

// Where a pane goes when it is floated without being dragged (the float button, a double
// click on its title): beside the main window where the screen has room, so it does not
// open on top of the other panes. A dock the user drags out stays where they drop it.
class DockPlacer : public QObject
{
    Q_OBJECT
public:
    explicit DockPlacer(QMainWindow *window);

    void watch(QDockWidget *dock);
    // While restoring a saved layout, floating docks keep their saved places.
    void setSuspended(bool on) { m_suspended = on; }

    // A rectangle of (at most) `size` on `screen` beside `window` (right, left, below, above,
    // in that order) and clear of it; if no side has room for the whole size, the widest
    // side narrowed to its room when that leaves a usable pane, else the screen's lower right.
    static QRect beside(const QRect &window, QSize size, const QRect &screen);

private:
    void floated(QDockWidget *dock);
    void place(QDockWidget *dock, QPoint floatedAt, int attempts);

    QMainWindow *m_window;
    bool m_suspended = false;
};
