#include "mainwindow.h"

#include "sources/datathread.h"

#include <QLabel>
#include <QStatusBar>

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
{
    setWindowTitle(QStringLiteral("Perpscope"));
    m_data = new DataThread(options.dbPath, this);
    m_status = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    connect(m_data, &DataThread::sourceStatus, m_status, &QLabel::setText);
    resize(1400, 900);
}

MainWindow::~MainWindow() = default;
