#include "sourcecontroller.h"

#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"

SourceController::SourceController(const QString &dbPath, QObject *parent)
    : QObject(parent)
    , m_thread(new DataThread(dbPath, this))
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
    emit changed();
    return true;
}

bool SourceController::restart()
{
    return start(m_name);
}
