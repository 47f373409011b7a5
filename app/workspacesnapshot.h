#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "snapshotrenderer.h"

#include <QList>

class QDockWidget;
class QWidget;

// The workspace (or one pane, by dock object name) as laid out in the window, with a
// header naming instrument, source, view range, selection and time of export. Floating
// docks and inactive tabs are not part of the workspace picture.
namespace WorkspaceSnapshot {

struct Header
{
    Instrument instrument;
    QString source; // display name; empty = "Simulated market" for simulated instruments
    TimeRange view;
    TimeRange selection;
};

SnapshotRenderer of(const QWidget &window, const QList<QDockWidget *> &docks, const ChartTheme &theme, const Header &header,
                    const QString &paneName = QString());

} // namespace WorkspaceSnapshot
