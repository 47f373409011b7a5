#include "sourcecontroller.h"

#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/storeerror.h"

SourceController::SourceController(const StoreLocator &store, QObject *parent)
    : QObject(parent)
    , m_thread(new DataThread(store, this))
{
}

SourceController::~SourceController()
{
    m_thread->stopSource();
}

QList<SourceController::Choice> SourceController::choices()
{
    QList<Choice> out;
    for (const QString &name : SourceFactory::names())
        out.push_back({name, SourceFactory::label(name)});
    out.push_back({none(), tr("None (browse the database)")});
    return out;
}

SourceOptions SourceController::options(const QString &name) const
{
    if (m_overrides.contains(name))
        return m_overrides.value(name);
    SourceOptions o;
    o.source = name;
    o.live = true; // the GUI backfills, then keeps streaming
    o.days = 30;
    o.store = m_thread->store(); // the simulator continues what it holds
    if (!m_instrumentHint.isEmpty())
        o.instrument = Instrument::parse(m_instrumentHint, SourceFactory::defaultExchange(name));
    return o;
}

void SourceController::setOptions(const SourceOptions &options)
{
    m_overrides.insert(options.source, options);
}

bool SourceController::start(const QString &name)
{
    if (name == none()) {
        // Browse what is stored; nothing is fetched or simulated.
        m_thread->stopSource();
        m_name = none();
        m_displayName = tr("No source: browsing the database");
        m_simulated = false;
        m_instruments.clear();
        emit changed();
        return true;
    }
    QString chosen = name.isEmpty() ? QStringLiteral("sim") : name;
    if (!SourceFactory::names().contains(chosen))
        chosen = SourceFactory::names().value(0);
    return start(options(chosen));
}

bool SourceController::start(const SourceOptions &options)
{
    QString error;
    DataSource *source = SourceFactory::create(options, &error);
    if (!source) {
        emit startFailed(error);
        return false;
    }
    m_name = options.source;
    m_displayName = source->displayName();
    m_simulated = source->isSimulated();
    m_instruments = source->instruments();
    m_thread->setSource(source);
    if (options.replaceHistory) {
        // Replaced once, as asked; from now on this market is the stored one and a later
        // start (switching back, a restart) continues it.
        SourceOptions kept = options;
        kept.replaceHistory = false;
        setOptions(kept);
    }
    emit changed();
    return true;
}

bool SourceController::startNewSimulation(const QString &preset, quint64 seed)
{
    SourceOptions o = options(QStringLiteral("sim"));
    o.preset = preset;
    o.seed = seed;
    o.replaceHistory = true;
    return start(o);
}

std::optional<SimHistory> SourceController::storedSimulation() const
{
    SourceOptions o = options(QStringLiteral("sim"));
    Instrument i = o.instrument.isValid() ? o.instrument : Instrument{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    i.exchange = QStringLiteral("SIM"); // the simulator's venue, whatever symbol was asked for
    try {
        return SimHistory::read(m_thread->store(), i);
    } catch (const StoreError &) {
        return std::nullopt; // an unreadable store: the start itself says why
    }
}

bool SourceController::restart()
{
    return start(m_name);
}
