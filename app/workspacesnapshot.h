#pragma once

#include "snapshotrenderer.h"

class MainWindow;

// The workspace (or one pane, by dock object name) as laid out in the window, with a
// header naming instrument, source, view range, selection and time of export. Floating
// docks and inactive tabs are not part of the workspace picture.
namespace WorkspaceSnapshot {
SnapshotRenderer of(const MainWindow &window, const QString &paneName = QString());
}
