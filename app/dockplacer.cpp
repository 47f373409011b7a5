#include "dockplacer.h"

#include <QDockWidget>
#include <QGuiApplication>
#include <QMainWindow>
#include <QScreen>
#include <QTimer>

#include <algorithm>

namespace {
constexpr int gap = 8;               // between the window's frame and the pane's
constexpr int usableWidth = 260;     // narrower than this a chart pane shows nothing useful
constexpr int dragDistance = 12;     // a dock that moved this far since it floated was dragged
} // namespace

DockPlacer::DockPlacer(QMainWindow *window)
    : QObject(window)
    , m_window(window)
{
}

void DockPlacer::watch(QDockWidget *dock)
{
    connect(dock, &QDockWidget::topLevelChanged, this, [this, dock](bool floating) {
        if (floating && !m_suspended && m_window->isVisible())
            floated(dock);
    });
}

void DockPlacer::floated(QDockWidget *dock)
{
    // A drag out of the dock area floats the dock while the button is still down and then
    // moves it with the mouse; the float button and a double click leave it where Qt put it
    // (it has its floating geometry when topLevelChanged comes). So note that place now and
    // decide once the button is up: a dock that moved meanwhile went where the user wanted.
    place(dock, dock->pos(), -1);
}

void DockPlacer::place(QDockWidget *dock, QPoint floatedAt, int attempts)
{
    QPointer<QDockWidget> guard(dock);
    if (attempts < 0 || (QGuiApplication::mouseButtons() != Qt::NoButton && attempts < 200)) {
        QTimer::singleShot(25, this, [this, guard, floatedAt, attempts] {
            if (guard)
                place(guard, floatedAt, attempts + 1);
        });
        return;
    }
    if (!guard || !dock->isFloating() || (dock->pos() - floatedAt).manhattanLength() > dragDistance)
        return;
    const QRect window = m_window->frameGeometry();
    if (!dock->frameGeometry().intersects(window))
        return;
    QScreen *screen = m_window->screen();
    if (!screen)
        return;
    // Keep the size it had in the layout; the frame's decorations come on top of it.
    const QSize frameExtra = dock->frameGeometry().size() - dock->size();
    const QRect frame = beside(window, dock->size() + frameExtra, screen->availableGeometry());
    dock->setGeometry(QRect(frame.topLeft() + (dock->geometry().topLeft() - dock->frameGeometry().topLeft()), frame.size() - frameExtra));
}

QRect DockPlacer::beside(const QRect &window, QSize size, const QRect &screen)
{
    size = size.boundedTo(screen.size());
    const int w = size.width(), h = size.height();
    const auto clampY = [&](int y) { return std::clamp(y, screen.top(), screen.bottom() + 1 - h); };
    const auto clampX = [&](int x) { return std::clamp(x, screen.left(), screen.right() + 1 - w); };
    const QList<QRect> sides = {
        {QPoint(window.right() + 1 + gap, clampY(window.top())), size},
        {QPoint(window.left() - gap - w, clampY(window.top())), size},
        {QPoint(clampX(window.left()), window.bottom() + 1 + gap), size},
        {QPoint(clampX(window.left()), window.top() - gap - h), size},
    };
    for (const QRect &r : sides)
        if (screen.contains(r) && !r.intersects(window))
            return r;
    const int rightRoom = screen.right() - window.right() - gap;
    const int leftRoom = window.left() - screen.left() - gap;
    if (std::max(rightRoom, leftRoom) >= usableWidth) {
        if (rightRoom >= leftRoom)
            return {QPoint(window.right() + 1 + gap, clampY(window.top())), QSize(rightRoom, h)};
        return {QPoint(screen.left(), clampY(window.top())), QSize(leftRoom, h)};
    }
    // No room anywhere (a maximised window): the screen's lower right corner, over the end
    // of the liquidations and the bottom of the side panels rather than the verdict and the
    // newest prices at the top.
    return {QPoint(screen.right() + 1 - w, clampY(window.bottom() - 40 - h)), size};
}
