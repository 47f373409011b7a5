#pragma once

#include <QApplication>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QPointer>
#include <QWidget>

// Drives a drag across a window the way Qt's widget window delivers it (QWidgetWindow finds
// the widget under the pointer, walks up to the first one that accepts drops, and sends it
// enter/move/leave/drop), without a platform drag: offscreen has none.
class DragDriver
{
public:
    DragDriver(QWidget *window, QMimeData *mime, Qt::DropActions actions = Qt::CopyAction)
        : m_window(window)
        , m_mime(mime)
        , m_actions(actions)
    {
    }

    // Moves the pointer to `pos` (window coordinates); true if the target there accepts.
    bool moveTo(const QPoint &pos)
    {
        QWidget *target = targetAt(pos);
        if (target != m_target) {
            if (m_target) {
                QDragLeaveEvent leave;
                QApplication::sendEvent(m_target, &leave);
            }
            m_target = target;
            m_accepted = false;
            if (!m_target)
                return false;
            QDragEnterEvent enter(m_target->mapFrom(m_window, pos), m_actions, m_mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(m_target, &enter);
            m_entered = enter.isAccepted();
            if (!m_entered) {
                m_target = nullptr;
                return false;
            }
            m_accepted = true;
        }
        if (!m_target)
            return false;
        QDragMoveEvent move(m_target->mapFrom(m_window, pos), m_actions, m_mime, Qt::LeftButton, Qt::NoModifier);
        move.setAccepted(m_accepted); // a move starts as the previous answer, as in Qt
        QApplication::sendEvent(m_target, &move);
        m_accepted = move.isAccepted();
        return m_accepted;
    }

    // Releases at `pos`; true if a target took the drop.
    bool dropAt(const QPoint &pos)
    {
        if (!moveTo(pos) || !m_target)
            return false;
        QDropEvent drop(m_target->mapFrom(m_window, pos), m_actions, m_mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_target, &drop);
        m_target = nullptr;
        return drop.isAccepted();
    }

    QWidget *target() const { return m_target; }

private:
    QWidget *targetAt(const QPoint &pos) const
    {
        QWidget *w = m_window->childAt(pos);
        if (!w)
            w = m_window;
        while (w && !w->acceptDrops())
            w = w->isWindow() ? nullptr : w->parentWidget();
        return w;
    }

    QWidget *m_window;
    QMimeData *m_mime;
    Qt::DropActions m_actions;
    QPointer<QWidget> m_target;
    bool m_entered = false;
    bool m_accepted = false;
};
