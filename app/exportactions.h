#pragma once

#include <QObject>

class MainWindow;
class QAction;
class QMenu;

// The File menu's exports: the workspace or one pane as PNG/JPEG/PDF/SVG (at 2x for
// high-DPI by default), the workspace to the clipboard, and the visible or selected range
// as CSV. Everything is saved through QSaveFile.
class ExportActions : public QObject
{
    Q_OBJECT
public:
    explicit ExportActions(MainWindow *window);

    void addTo(QMenu *file);
    void exportImage(const QString &paneName);
    void copyWorkspace();
    void exportCsv(bool selection);

private:
    MainWindow *m_window;
    QAction *m_hiDpi = nullptr;
};
