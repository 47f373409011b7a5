#pragma once

#include "windowrequest.h"

#include <QList>
#include <QMutex>
#include <optional>

// What the reader thread reads next, shared between the GUI thread (which fills it) and the
// reader (which takes from it): one current request, which a newer one replaces before it
// starts, and read-aheads that are taken only while no current request waits.
class WindowQueue
{
public:
    struct Next
    {
        WindowRequest request;
        bool prefetch = false;
    };

    void setCurrent(const WindowRequest &request);
    void setPrefetch(const QList<WindowRequest> &requests); // replaces those not started
    std::optional<Next> takeNext();
    void clear();

private:
    QMutex m_mutex;
    std::optional<WindowRequest> m_current;
    QList<WindowRequest> m_prefetch;
};
