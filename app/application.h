#pragma once

#include <QString>

// Identity every entry point shares: organisation/application names (QSettings and
// QStandardPaths paths derive from them) and the desktop file id.
namespace Application {
inline const char *const desktopId = "org.perpscope.Perpscope";
void setIdentity();
} // namespace Application
