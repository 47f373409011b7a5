#pragma once

#include "marketwindow.h"
#include "windowrequest.h"

#include <QObject>
#include <QThread>
#include <atomic>

class WindowLoaderWorker;

// Reads market windows off the GUI thread, on a reader connection of its own. Requests
// overtaken by a newer one are skipped before they start; replies carry the request's
// generation so the caller can drop any that arrive late.
class WindowLoader : public QObject
{
    Q_OBJECT
public:
    using Request = WindowRequest;

    explicit WindowLoader(const QString &dbPath, QObject *parent = nullptr);
    ~WindowLoader() override;

    void request(const Request &request);
    void requestInstruments();

signals:
    void loaded(const MarketWindow &window);
    void instrumentsLoaded(const QList<Instrument> &instruments);
    void failed(const QString &message);

private:
    QThread m_thread;
    WindowLoaderWorker *m_worker;
    std::atomic<quint64> m_latest{0};
};
