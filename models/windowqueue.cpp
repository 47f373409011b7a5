#include "windowqueue.h"

void WindowQueue::setCurrent(const WindowRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_current = request;
}

void WindowQueue::setPrefetch(const QList<WindowRequest> &requests)
{
    QMutexLocker lock(&m_mutex);
    m_prefetch = requests;
}

std::optional<WindowQueue::Next> WindowQueue::takeNext()
{
    QMutexLocker lock(&m_mutex);
    if (m_current) {
        Next n{*m_current, false};
        m_current.reset();
        return n;
    }
    if (!m_prefetch.isEmpty())
        return Next{m_prefetch.takeFirst(), true};
    return std::nullopt;
}

void WindowQueue::clear()
{
    QMutexLocker lock(&m_mutex);
    m_current.reset();
    m_prefetch.clear();
}
