#pragma once

#include "domain/datakind.h"
#include "domain/instrument.h"
#include "domain/timerange.h"
#include "storage/storelocator.h"

#include <QMap>
#include <QObject>
#include <QStringList>

class DataThread;
class QMimeData;
class QWidget;

// Imports files the user drops on the window (or hands to a second launch) with the same
// importer as `perpscope import`. Runs on a data thread of its own, so a live source keeps
// streaming meanwhile; SQLite serialises the two writers.
class ImportController : public QObject
{
    Q_OBJECT
public:
    ImportController(const StoreLocator &store, QWidget *dialogParent, QObject *parent = nullptr);
    ~ImportController() override;

    // Local files in a drag, or an empty list when nothing in it can be imported.
    static QStringList localFiles(const QMimeData *mime);

    void import(const QStringList &paths);
    // File → Import…: asks for files (in the folder used last) and imports them.
    void chooseFiles();
    bool isBusy() const { return m_busy; }

signals:
    void appended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);
    void progress(qint64 done, qint64 total, const QString &what);
    void message(const QString &text);           // one line for the status bar
    void finished(const QString &summary, bool ok); // the whole report
    // After an import that stored rows: the instrument it brought the most candles for (or
    // anything, when no candles) and the span they cover, so the window can show them.
    void dataImported(const Instrument &instrument, TimeRange span);

private:
    void startNext();

    StoreLocator m_store;
    QWidget *m_dialogParent;
    DataThread *m_thread = nullptr;
    QList<QStringList> m_queue;
    struct Arrived
    {
        TimeRange span;
        qint64 candleMinutes = 0;
    };
    QMap<QString, std::pair<Instrument, Arrived>> m_arrived; // by instrument key, this import

    bool m_busy = false;
    bool m_showDialogs = true;
};
