#pragma once

#include <QObject>

class QSocketNotifier;

// SIGTERM and SIGINT (a session ending, `systemctl stop`, `kill`, Ctrl+C in a terminal) close
// the GUI as its Quit action does: windows close, the source stops and the data thread
// commits what it holds, instead of the process dying mid-batch. The handler only writes a
// byte to a socket pair; the event loop reads it and emits triggered() (the pattern Qt
// documents for Unix signals: nothing but async-signal-safe calls in the handler).
class TerminationSignals : public QObject
{
    Q_OBJECT
public:
    explicit TerminationSignals(QObject *parent = nullptr);
    ~TerminationSignals() override; // restores the default handlers

signals:
    void triggered(int signalNumber);

private:
    static void handler(int signalNumber);
    void read();

    QSocketNotifier *m_notifier = nullptr;
};
