#pragma once

#include <QStringList>

class QApplication;

// Opens the GUI: parses the GUI options (--db, --source, --instrument, --theme), opens the
// store (a dialog explains a bad database and the app exits without touching it), then
// shows the main window with the chosen source running.
class GuiLauncher
{
public:
    static int run(QApplication &app, const QStringList &args);
};
