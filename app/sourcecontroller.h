#pragma once

#include "domain/instrument.h"
#include "sources/sim/simhistory.h"
#include "sources/sourceoptions.h"

#include <QList>
#include <QMap>
#include <QObject>

class DataThread;

// Which source feeds the workspace, and its start-up and switching: the options the GUI
// starts each source with (live, a month of history, the instrument asked for on the
// command line, plus whatever a settings dialog set), the DataThread it runs in, and what
// the status bar says about it. "none" browses the database without a source.
class SourceController : public QObject
{
    Q_OBJECT
public:
    struct Choice
    {
        QString name;  // "sim", "binance", ... or "none"
        QString label; // what the source picker shows
    };

    explicit SourceController(const StoreLocator &store, QObject *parent = nullptr);
    ~SourceController() override; // stops the source

    static QString none() { return QStringLiteral("none"); }
    // The picker's entries: every source the factory builds, then "none".
    static QList<Choice> choices();

    DataThread *dataThread() const { return m_thread; }
    // The running source ("none" while browsing; empty before the first start).
    const QString &name() const { return m_name; }
    const QString &displayName() const { return m_displayName; }
    bool isSimulated() const { return m_simulated; }
    bool isRunning() const { return !m_name.isEmpty() && m_name != none(); }
    // Instruments the running source produces (empty while browsing).
    const QList<Instrument> &instruments() const { return m_instruments; }

    // The instrument the command line asked for ("BTCUSDT", "BINANCE:BTCUSDT"); sources
    // that can produce it are started on it.
    void setInstrumentHint(const QString &instrument) { m_instrumentHint = instrument; }
    // What start(name) uses: the GUI defaults for the source, then the options last set for it.
    SourceOptions options(const QString &name) const;
    // Remembers options for their source (a settings dialog); start() or restart() applies them.
    void setOptions(const SourceOptions &options);
    // What the store holds of the simulator's instrument (nullopt: nothing).
    std::optional<SimHistory> storedSimulation() const;

public slots:
    // Starts the named source (empty = the simulator; unknown names fall back to the first
    // source); "none" stops. Returns false, and emits startFailed, when the source cannot be
    // built from its options; the running source then keeps running.
    bool start(const QString &name);
    bool start(const SourceOptions &options);
    // The running source again, with its current options (after a settings change).
    bool restart();
    // A new simulated market in place of the stored one (the user confirmed it); later
    // starts continue the new one.
    bool startNewSimulation(const QString &preset, quint64 seed);
    void stop() { start(none()); }

signals:
    // A source started or stopped: name, display name, simulated flag and instruments changed.
    void changed();
    // The options could not build a source (a sentence naming the bad option).
    void startFailed(const QString &reason);

private:
    DataThread *m_thread;
    QString m_name;
    QString m_displayName;
    bool m_simulated = false;
    QList<Instrument> m_instruments;
    QString m_instrumentHint;
    QMap<QString, SourceOptions> m_overrides;
};
