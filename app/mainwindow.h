#pragma once

#include <QMainWindow>

class DataThread;
class QLabel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        QString dbPath;
        QString source;     // empty = last used, else the simulator
        QString instrument; // empty = last used
        QString theme;      // empty = last used, else dark
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    Options m_options;
    DataThread *m_data = nullptr;
    QLabel *m_status = nullptr;
};
