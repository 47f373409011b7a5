#pragma once

#include <QDialog>

class QMainWindow;
class QMenu;

// Help → About Perpscope: version, licence, where the data comes from (and what the
// simulator is not), and the acknowledgments the bundled data asks for.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The dialog's text as rich text (what the label shows).
    static QString text();
    // Adds Help → About Perpscope (one dialog per window, brought to the front when open)
    // and About Qt to the window's menu bar.
    static QMenu *addHelpMenu(QMainWindow *window);
};
