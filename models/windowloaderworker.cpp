#include "windowloaderworker.h"

#include "domain/aggregates.h"
#include "domain/underlying.h"
#include "storage/aggregatereader.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "windowqueue.h"

WindowLoaderWorker::WindowLoaderWorker(StoreLocator store, WindowQueue *queue)
    : m_store(std::move(store))
    , m_queue(queue)
{
}

WindowLoaderWorker::~WindowLoaderWorker() = default;

StoreReader &WindowLoaderWorker::reader()
{
    if (!m_reader)
        m_reader = MarketStore::attach(m_store, MarketStore::Access::ReadOnly).reader();
    return *m_reader;
}

MarketWindow WindowLoaderWorker::read(StoreReader &r, const WindowRequest &request)
{
    MarketWindow w;
    w.generation = request.generation;
    w.instrument = request.instrument;
    w.range = request.range;
    w.timeframe = request.timeframe;
    const Instrument &i = request.instrument;
    const Timeframe tf = request.timeframe;
    // Bars that start before the range but reach into it belong to the window too.
    const TimeRange bars{Timeframes::floor(tf, request.range.from), request.range.to};
    w.candles = r.candles(i, tf, bars);
    w.markCandles = r.markCandles(i, tf, bars);
    w.openInterest = r.lineBars(i, LineSeries::OpenInterest, tf, bars);
    w.openInterestUsd = r.lineBars(i, LineSeries::OpenInterestUsd, tf, bars);
    w.predictedFunding = r.lineBars(i, LineSeries::PredictedFunding, tf, bars);
    w.liquidations = r.liquidationBars(i, tf, bars);
    // Settlements: one before the range too, so the step line starts at the left edge.
    if (const auto before = r.fundingAt(i, request.range.from - 1))
        w.funding.push_back(*before);
    w.funding += r.funding(i, request.range);
    w.tape = r.latestLiquidations(i, request.range.to, request.tapeRows);
    w.extent = r.extent(i, DataKind::Candles);
    w.liquidationFeed = r.liquidationFeed(i);
    w.liquidationFeedNote = r.meta(QStringLiteral("liquidation_feed_note.") + i.key());
    w.liquidationCoverage = r.coverageSummary(i, DataKind::Liquidations, bars);
    w.takerBuy = {r.coverageSummary(i, DataKind::Candles, bars), r.coverageSummary(i, DataKind::TakerBuy, bars)};
    readVenues(r, request, w);
    return w;
}

void WindowLoaderWorker::readVenues(StoreReader &r, const WindowRequest &request, MarketWindow &w)
{
    const Instrument &i = request.instrument;
    const Timeframe tf = request.timeframe;
    const TimeRange bars{Timeframes::floor(tf, request.range.from), request.range.to};
    AggregateReader &agg = r.aggregates();
    const bool aggregate = Aggregates::isAggregate(i);
    const Instrument group = aggregate ? i : Aggregates::of(Underlying::of(i));
    if (!aggregate && (!Aggregates::isPerpetual(i) || group.symbol.isEmpty()))
        return;
    const QList<Instrument> members = agg.members(group).instruments;
    if (!aggregate && (members.size() < 2 || !members.contains(i)))
        return; // no other venue to compare with
    for (const Instrument &m : members) {
        VenueSeries v;
        v.instrument = m;
        if (const auto before = r.fundingAt(m, request.range.from - 1))
            v.funding.push_back(*before);
        v.funding += r.funding(m, request.range);
        v.predictedFunding = r.lineBars(m, LineSeries::PredictedFunding, tf, bars);
        v.openInterestUsd = r.lineBars(m, LineSeries::OpenInterestUsd, tf, bars);
        v.intervalHours = agg.intervalHours(m, request.range.to);
        w.venues.push_back(std::move(v));
    }
    if (aggregate) {
        w.venueMeanFunding = w.funding;
    } else {
        if (const auto before = r.fundingAt(group, request.range.from - 1))
            w.venueMeanFunding.push_back(*before);
        w.venueMeanFunding += r.funding(group, request.range);
    }
    if (!aggregate)
        return;
    w.priceReference = members.isEmpty() ? Instrument{} : members.front();
    for (const AggregateReader::TapeRow &row : agg.latestTape(i, request.range.to, request.tapeRows))
        w.tapeVenue.push_back(row.member);
    // What makes a sum partial: a member without data where the window shows some.
    const TimeRange shown{std::max(bars.from, w.extent.from), std::min(bars.to, w.extent.to)};
    if (!shown.isValid())
        return;
    for (const Instrument &m : members) {
        QStringList kinds;
        for (const DataKind k : {DataKind::Candles, DataKind::OpenInterest, DataKind::Funding, DataKind::Liquidations})
            if (r.coverageSummary(m, k, shown).isNone() || !r.coverageSummary(m, k, shown).holes.isEmpty())
                kinds << DataKinds::name(k);
        if (!kinds.isEmpty())
            w.missing << m.key() + QStringLiteral(": ") + kinds.join(QStringLiteral(", "));
    }
}

void WindowLoaderWorker::loadNext()
{
    const auto next = m_queue->takeNext();
    if (!next)
        return;
    try {
        const MarketWindow w = readOnce(next->request);
        if (next->prefetch)
            emit prefetched(w);
        else
            emit loaded(w);
    } catch (const StoreError &e) {
        if (!next->prefetch)
            emit failed(e.message());
    }
}

MarketWindow WindowLoaderWorker::readOnce(const WindowRequest &request)
{
    try {
        return read(reader(), request);
    } catch (const StoreError &e) {
        // A shared store's server dropped the connection (a restart, an administrator): the
        // first statement after it fails. A new connection, once, before giving up.
        if (!e.isRetryable())
            throw;
        m_reader.reset();
        return read(reader(), request);
    }
}

void WindowLoaderWorker::loadInstruments()
{
    try {
        // The aggregates the store offers (ALL:BTC over its venues) follow the venues' own.
        emit instrumentsLoaded(reader().instruments() + reader().aggregates().aggregates());
    } catch (const StoreError &e) {
        emit failed(e.message());
    }
}
