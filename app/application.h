#pragma once

#include <QString>

// Identity every entry point shares: organisation/application names (QSettings and
// QStandardPaths paths derive from them) and the desktop file id.
namespace Application {
inline const char *const desktopId = "org.perpscope.Perpscope";
void setIdentity();
// Headless painting runs on Qt's offscreen platform, which has no window manager and warns
// "This plugin does not support propagateSizeHints()" whenever a window's size limits
// change: noise on every CLI image export. Call before the QApplication exists. Drops that message and "XDG_RUNTIME_DIR not set"
// (a headless command run from cron or as root has no session; Qt falls back by itself),
// passes every other on.
void quietOffscreenPlatform();
} // namespace Application
