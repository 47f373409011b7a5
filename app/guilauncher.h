#pragma once

#include <QStringList>

class QApplication;

// Opens the GUI: parses the GUI options (--db, --source, --instrument, --theme) and files to
// import, hands over to an already running Perpscope on the same database if there is one
// (SingleInstance), opens the store (a dialog explains a bad database and the app exits
// without touching it), then shows the main window with the chosen source running.
class GuiLauncher
{
public:
    static int run(QApplication &app, const QStringList &args);
};
