#pragma once

#include "marketwindow.h"
#include "windowrequest.h"

#include <QObject>
#include <atomic>
#include <memory>

class StoreReader;

// WindowLoader's half in the reader thread.
class WindowLoaderWorker : public QObject
{
    Q_OBJECT
public:
    WindowLoaderWorker(QString dbPath, const std::atomic<quint64> &latest);
    ~WindowLoaderWorker() override;

public slots:
    void load(const WindowRequest &request);
    void loadInstruments();

signals:
    void loaded(const MarketWindow &window);
    void instrumentsLoaded(const QList<Instrument> &instruments);
    void failed(const QString &message);

private:
    StoreReader &reader();

    QString m_dbPath;
    const std::atomic<quint64> &m_latest;
    std::unique_ptr<StoreReader> m_reader;
};
