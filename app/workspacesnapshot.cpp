#include "workspacesnapshot.h"

#include "domain/timeformat.h"

#include <QDateTime>
#include <QDockWidget>

namespace WorkspaceSnapshot {

SnapshotRenderer of(const QWidget &window, const QList<QDockWidget *> &docks, const ChartTheme &theme, const Header &h,
                    const QString &paneName)
{
    SnapshotRenderer r(theme);
    const Instrument &i = h.instrument;
    QStringList details;
    if (!h.source.isEmpty())
        details << h.source;
    else if (i.isSynthetic())
        details << QObject::tr("Synthetic random walk");
    else if (i.isSimulated())
        details << QObject::tr("Simulated market");
    if (h.view.isValid())
        details << TimeFormat::display(h.view.from) + QStringLiteral(" → ") + TimeFormat::display(h.view.to);
    if (h.selection.isValid())
        details << QObject::tr("selected %1 → %2").arg(TimeFormat::display(h.selection.from), TimeFormat::display(h.selection.to));
    details << QObject::tr("exported %1").arg(TimeFormat::display(QDateTime::currentMSecsSinceEpoch()));
    QString title = QStringLiteral("Perpscope — ") + (i.isValid() ? i.key() : QObject::tr("no instrument"));
    if (i.isSimulated())
        title += i.isSynthetic() ? QObject::tr(" (synthetic)") : QObject::tr(" (simulated)");
    QRect box;
    QList<QPair<QWidget *, QRect>> items;
    for (QDockWidget *d : docks) {
        if (!paneName.isEmpty() && d->objectName() != paneName)
            continue;
        if (!paneName.isEmpty())
            title += QStringLiteral(" — ") + d->windowTitle();
        // Inactive tabs are parked off-window rather than hidden: skip what is not on screen.
        if (!d->isVisible() || (d->isFloating() && paneName.isEmpty()) || !d->widget() || !d->widget()->isVisible())
            continue;
        const QRect rect(d->widget()->mapTo(&window, QPoint()), d->widget()->size());
        if (!d->isFloating() && !rect.intersects(window.rect()))
            continue;
        items.push_back({d->widget(), rect});
        box = box.united(rect);
    }
    r.setHeader(title, details);
    for (const auto &[widget, rect] : items)
        r.addItem(widget, rect.translated(-box.topLeft()));
    return r;
}

} // namespace WorkspaceSnapshot
