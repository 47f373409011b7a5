#pragma once

#include <QDialog>

class QLabel;

// Help → About Perpscope: version, licence, where the data comes from (and what the
// simulator is not), and the acknowledgments the bundled data asks for.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The dialog's text as rich text (what the label shows).
    static QString text();
};
