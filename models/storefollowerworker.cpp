#include "storefollowerworker.h"

#include "domain/timeframe.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QSocketNotifier>

namespace {
// The series a follower watches (ground truth is the simulator's own; it comes with it).
constexpr DataKind followed[] = {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding,
                                 DataKind::OpenInterest, DataKind::Liquidations};
} // namespace

StoreFollowerWorker::StoreFollowerWorker(const StoreLocator &store)
    : m_store(store)
    , m_poll(new QTimer(this))
    , m_retry(new QTimer(this))
{
    connect(m_poll, &QTimer::timeout, this, [this] { look(false); });
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &StoreFollowerWorker::connectStore);
}

StoreFollowerWorker::~StoreFollowerWorker()
{
    disconnectStore();
}

void StoreFollowerWorker::start()
{
    if (m_running)
        return;
    m_running = true;
    m_retryMs = 1000;
    connectStore();
}

void StoreFollowerWorker::stop()
{
    m_running = false;
    m_retry->stop();
    disconnectStore();
    // The next start takes a new baseline: what a source of our own wrote meanwhile
    // already reached the panes.
    m_haveBaseline = false;
    m_newest.clear();
    m_mark = -1;
}

void StoreFollowerWorker::disconnectStore()
{
    m_poll->stop();
    delete m_notifier;
    m_notifier = nullptr;
    m_reader.reset();
}

void StoreFollowerWorker::connectStore()
{
    if (!m_running)
        return;
    emit stateChanged(tr("connecting"));
    try {
        m_reader = MarketStore::attach(m_store, MarketStore::Access::ReadOnly).reader();
        const int socket = m_reader->listenForWrites();
        if (socket >= 0) {
            m_notifier = new QSocketNotifier(qintptr(socket), QSocketNotifier::Read, this);
            connect(m_notifier, &QSocketNotifier::activated, this, [this] {
                try {
                    if (m_reader && m_reader->takeWriteNotices())
                        look(false);
                } catch (const StoreError &e) {
                    lost(e.message());
                }
            });
        }
        m_poll->start(m_pollMs > 0 ? m_pollMs : socket >= 0 ? safetyPollMs : sqlitePollMs);
        m_retryMs = 1000;
        // The first look after a loss catches up on what was written meanwhile.
        look(true);
        if (m_reader)
            emit stateChanged(tr("following"));
    } catch (const StoreError &e) {
        lost(e.message());
    }
}

void StoreFollowerWorker::lost(const QString &why)
{
    disconnectStore();
    if (!m_running)
        return;
    emit stateChanged(tr("store unreachable (%1); trying again in %2 s").arg(why).arg(m_retryMs / 1000));
    m_retry->start(m_retryMs);
    m_retryMs = std::min(m_retryMs * 2, maxRetryMs);
}

void StoreFollowerWorker::look(bool force)
{
    if (!m_reader)
        return;
    try {
        const qint64 mark = m_reader->writeMark();
        if (!force && m_haveBaseline && mark == m_mark)
            return;
        m_mark = mark;
        const QList<Instrument> instruments = m_reader->instruments();
        const bool baseline = m_haveBaseline;
        for (const Instrument &instrument : instruments)
            for (const DataKind kind : followed) {
                const TimeRange extent = m_reader->extent(instrument, kind);
                if (!extent.isValid())
                    continue;
                const QString key = instrument.key() + QLatin1Char('/') + QString::number(int(kind));
                const auto seen = m_newest.constFind(key);
                const qint64 before = seen == m_newest.cend() ? extent.from : *seen;
                m_newest.insert(key, extent.to);
                if (!baseline)
                    continue;
                // Bars: the newest again, which a live writer rewrites until it closes.
                const qint64 from = DataKinds::isBars(kind) ? std::min(before, extent.to) - Timeframes::minuteMs : before;
                if (extent.to > before || (DataKinds::isBars(kind) && extent.to == before))
                    emit appended(instrument, kind, std::max(extent.from, from), extent.to);
            }
        if (baseline && instruments.size() != m_instrumentCount)
            emit instrumentsChanged();
        m_instrumentCount = int(instruments.size());
        m_haveBaseline = true;
    } catch (const StoreError &e) {
        lost(e.message());
    }
}
