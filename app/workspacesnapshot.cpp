#include "workspacesnapshot.h"

#include "domain/timeformat.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "timesync.h"

#include <QDateTime>
#include <QDockWidget>

namespace WorkspaceSnapshot {

SnapshotRenderer of(const MainWindow &window, const QString &paneName)
{
    SnapshotRenderer r(window.theme());
    const Instrument i = window.marketModel()->instrument();
    const TimeRange view = window.timeSync()->visibleRange();
    QStringList details;
    if (!window.sourceDisplayName().isEmpty())
        details << window.sourceDisplayName();
    else if (i.isSimulated())
        details << QObject::tr("Simulated market");
    if (view.isValid())
        details << TimeFormat::display(view.from) + QStringLiteral(" → ") + TimeFormat::display(view.to);
    if (window.timeSync()->selection().isValid())
        details << QObject::tr("selected %1 → %2").arg(TimeFormat::display(window.timeSync()->selection().from), TimeFormat::display(window.timeSync()->selection().to));
    details << QObject::tr("exported %1").arg(TimeFormat::display(QDateTime::currentMSecsSinceEpoch()));
    QString title = QStringLiteral("Perpscope — ") + (i.isValid() ? i.key() : QObject::tr("no instrument"));
    if (i.isSimulated())
        title += QObject::tr(" (simulated)");
    if (!paneName.isEmpty()) {
        if (QDockWidget *d = window.dock(paneName))
            title += QStringLiteral(" — ") + d->windowTitle();
    }
    r.setHeader(title, details);
    // Docks as laid out in the window; floating ones are not part of the workspace picture.
    QRect box;
    QList<QPair<QWidget *, QRect>> items;
    for (QDockWidget *d : window.docks()) {
        if (!paneName.isEmpty() && d->objectName() != paneName)
            continue;
        // Inactive tabs are parked off-window rather than hidden: skip what is not on screen.
        if (!d->isVisible() || (d->isFloating() && paneName.isEmpty()) || !d->widget() || !d->widget()->isVisible())
            continue;
        const QRect rect(d->widget()->mapTo(&window, QPoint()), d->widget()->size());
        if (!d->isFloating() && !rect.intersects(window.rect()))
            continue;
        items.push_back({d->widget(), rect});
        box = box.united(rect);
    }
    for (const auto &[widget, rect] : items)
        r.addItem(widget, rect.translated(-box.topLeft()));
    return r;
}

} // namespace WorkspaceSnapshot
