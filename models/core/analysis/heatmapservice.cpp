#include "heatmapservice.h"

#include "domain/aggregates.h"
#include "heatmapaggregate.h"
#include "heatmapfeed.h"
#include "heatmapraster.h"
#include "storage/aggregatereader.h"
#include "storage/storereader.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>
#include <stdexcept>

namespace {

constexpr qint64 hourMs = 3'600'000;
constexpr qint64 dayMs = 24 * hourMs;
constexpr qint64 chunkMs = 7 * dayMs;       // bars read per store query while building
constexpr qint64 maxSnapshots = 4096;       // zoomed-out views read these
constexpr qint64 maxCheckpoints = 32;       // zoomed-in views step from these
constexpr qint64 noRewind = std::numeric_limits<qint64>::max();
constexpr double hotBand = 0.15;            // cells within ±15 % of price decide "hot"
constexpr double hotQuantile = 0.9;         // top decile
constexpr int zoneGapBins = 2;              // ±0.2 % at the default bin width

qint64 roundUp(qint64 v, qint64 unit)
{
    return std::max<qint64>(unit, (v + unit - 1) / unit * unit);
}

qint64 floorTo(qint64 v, qint64 unit)
{
    return v / unit * unit - ((v % unit != 0 && v < 0) ? unit : 0);
}

double quantile(QVector<double> values, double q)
{
    if (values.isEmpty())
        return 0;
    const auto k = qsizetype(std::floor(q * double(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return values[k];
}

} // namespace

struct HeatmapService::Entry
{
    std::mutex mutex; // guards history
    std::unique_ptr<HeatmapHistory> history;
    std::atomic<qint64> rewindTo{noRewind}; // earliest pending invalidation (data time)
    std::atomic<qsizetype> bytes{0};
    // Guarded by the service's table mutex:
    quint64 lastUsed = 0;
    int users = 0;
};

// A query's hold on an entry: while any exists the budget never drops that history.
class HeatmapService::Use
{
public:
    Use(HeatmapService *service, std::shared_ptr<Entry> e)
        : m_service(service)
        , m_entry(std::move(e))
    {
    }
    Use(Use &&o) noexcept
        : m_service(o.m_service)
        , m_entry(std::move(o.m_entry))
    {
    }
    Use(const Use &) = delete;
    Use &operator=(const Use &) = delete;
    ~Use()
    {
        if (m_entry) {
            std::lock_guard lock(m_service->m_mutex);
            --m_entry->users;
        }
    }
    Entry &operator*() const { return *m_entry; }
    Entry *operator->() const { return m_entry.get(); }

private:
    HeatmapService *m_service;
    std::shared_ptr<Entry> m_entry;
};

HeatmapService::HeatmapService(const StoreLocator &store, qsizetype memoryBudget)
    : m_store(MarketStore::attach(store, MarketStore::Access::ReadOnly))
    , m_budget(memoryBudget)
{
}

HeatmapService::~HeatmapService() = default;

void HeatmapService::setMemoryBudget(qsizetype bytes)
{
    m_budget = bytes;
    enforceBudget(nullptr);
}

HeatmapService::Use HeatmapService::entry(const Instrument &instrument, const HeatmapParams &params)
{
    if (const QString problem = params.validate(); !problem.isEmpty())
        throw std::invalid_argument(("heatmap parameters: " + problem).toStdString());
    std::lock_guard lock(m_mutex);
    auto &e = m_entries[{instrument.key(), params.toJson()}];
    if (!e)
        e = std::make_shared<Entry>();
    e->lastUsed = ++m_clock;
    ++e->users;
    return Use(this, e);
}

void HeatmapService::applyPendingRewind(Entry &e)
{
    const qint64 t = e.rewindTo.exchange(noRewind);
    if (t == noRewind || !e.history)
        return;
    // An OI sample stamped t closes the bar before t: that bar must be re-stepped too. Data
    // from the tentative bar on is re-read by the next extend anyway.
    const qint64 from = t - e.history->barMs();
    if (from < e.history->resumeFrom())
        e.history->rewind(from);
}

void HeatmapService::noteMemory(Entry &e)
{
    e.bytes = e.history ? e.history->memoryBytes() : 0;
}

void HeatmapService::enforceBudget(const Entry *keep)
{
    std::vector<std::unique_ptr<HeatmapHistory>> dropped; // freed after the table lock
    {
        std::lock_guard lock(m_mutex);
        qsizetype total = 0;
        for (const auto &[key, e] : m_entries)
            total += e->bytes;
        if (total <= m_budget)
            return;
        std::vector<decltype(m_entries)::iterator> order;
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
            order.push_back(it);
        std::sort(order.begin(), order.end(), [](auto a, auto b) { return a->second->lastUsed < b->second->lastUsed; });
        for (auto it : order) {
            if (total <= m_budget)
                break;
            Entry &e = *it->second;
            if (&e == keep || e.users > 0)
                continue;
            std::unique_lock entryLock(e.mutex, std::try_to_lock);
            if (!entryLock.owns_lock())
                continue;
            total -= e.bytes;
            dropped.push_back(std::move(e.history));
            entryLock.unlock();
            m_entries.erase(it);
        }
    }
}

bool HeatmapService::updateLocked(Entry &e, StoreReader &reader, const Instrument &instrument, const HeatmapParams &params, const Job &job)
{
    // A job cancelled while it waited for the entry (another query was building it) stops
    // here instead of answering a request nobody wants any more.
    if (job.cancelled())
        return false;
    applyPendingRewind(e);
    HeatmapFeed feed(reader, instrument);
    const TimeRange extent = feed.extent();
    if (!extent.isValid()) {
        e.history.reset();
        noteMemory(e);
        return true;
    }
    // Bars more than one look-back before the first OI sample cannot reach the map.
    qint64 start = extent.from;
    if (feed.hasOpenInterest())
        start = std::max(start, floorTo(feed.openInterestExtent().from - qint64(params.lookbackHours * hourMs), feed.barMs()));
    // The venue's stored maintenance-margin tiers (else Binance's default): tiers fetched
    // again with other values move every level, so the history is rebuilt with them.
    const MarginTierChoice tiers = MarginTierChoice::forInstrument(reader, instrument);
    if (!e.history || e.history->startMs() != start || e.history->barMs() != feed.barMs() || !(e.history->tiers() == tiers)) {
        // History was added before the start (or the OI granularity or the tiers changed): rebuild.
        const qint64 span = extent.to - start;
        e.history = std::make_unique<HeatmapHistory>(params, start, feed.barMs(), roundUp(span / maxSnapshots, hourMs),
                                                     roundUp(span / maxCheckpoints, dayMs), tiers);
    }
    HeatmapHistory &h = *e.history;
    h.setDataEnd(extent.to);
    const qint64 total = std::max<qint64>(1, extent.to - h.startMs());
    qint64 from = h.resumeFrom();
    if (from >= extent.to)
        return true;
    // A long build reads the next week from the store (its own connection) while the model
    // steps through this one: SQLite decoding and the model overlap.
    const auto load = [store = m_store, instrument](TimeRange range) {
        const auto own = store.reader();
        return HeatmapFeed(*own, instrument).bars(range);
    };
    QVector<HeatmapBar> current = feed.bars({from, std::min(extent.to, from + chunkMs)});
    for (;;) {
        const qint64 to = std::min(extent.to, from + chunkMs);
        std::future<QVector<HeatmapBar>> next;
        if (to < extent.to)
            next = std::async(std::launch::async, load, TimeRange{to, std::min(extent.to, to + chunkMs)});
        if (job.cancelled()) {
            if (next.valid())
                next.wait();
            noteMemory(e);
            return false;
        }
        if (e.rewindTo.load() != noRewind) {
            // Data already built on changed meanwhile: go back and continue from there.
            if (next.valid())
                next.wait();
            applyPendingRewind(e);
            from = h.resumeFrom();
            current = feed.bars({from, std::min(extent.to, from + chunkMs)});
            continue;
        }
        h.extend(current);
        noteMemory(e);
        enforceBudget(&e);
        if (job.progress)
            job.progress(double(to - h.startMs()) / double(total), QStringLiteral("heatmap %1").arg(params.name));
        if (!next.valid())
            return true;
        current = next.get();
        from = to;
    }
}

bool HeatmapService::update(const Instrument &instrument, const HeatmapParams &params, const Job &job)
{
    if (Aggregates::isAggregate(instrument)) {
        for (const Instrument &m : aggregateMembers(instrument))
            if (!update(m, params, job))
                return false;
        return true;
    }
    Use e = entry(instrument, params);
    const auto readerOwner = m_store.reader();
    StoreReader &reader = *readerOwner;
    std::unique_lock lock(e->mutex);
    const bool done = updateLocked(*e, reader, instrument, params, job);
    lock.unlock();
    enforceBudget(&*e);
    return done;
}

std::optional<HeatmapEngine> HeatmapService::stateAt(Entry &e, StoreReader &reader, const Instrument &instrument, qint64 t, const Job &job)
{
    std::unique_lock lock(e.mutex);
    if (!e.history)
        return std::nullopt;
    const HeatmapHistory &h = *e.history;
    if (t >= h.time())
        return h.engine();
    HeatmapEngine engine = h.checkpointAtOrBefore(t);
    const qint64 from = h.checkpointTime(engine);
    lock.unlock();
    HeatmapFeed feed(reader, instrument);
    for (qint64 chunk = from; chunk < t; chunk += chunkMs) {
        if (job.cancelled())
            return std::nullopt;
        for (const HeatmapBar &bar : feed.bars({chunk, std::min(t, chunk + chunkMs)}))
            if (bar.end() <= t)
                engine.step(bar);
    }
    return engine;
}

std::optional<HeatmapGrid> HeatmapService::grid(const Instrument &instrument, TimeRange range, int columns, double priceLow,
                                                double priceHigh, int rows, const HeatmapParams &params, HeatmapGrid::RowScale scale,
                                                const Job &job)
{
    if (!range.isValid())
        throw std::invalid_argument("heatmap grid: the time range is empty");
    if (columns < 1 || rows < 1 || qint64(columns) * rows > 50'000'000)
        throw std::invalid_argument("heatmap grid: columns and rows must be positive (at most 50 million cells)");
    if (!(priceLow > 0) || !(priceHigh > priceLow))
        throw std::invalid_argument("heatmap grid: need 0 < priceLow < priceHigh");
    if (Aggregates::isAggregate(instrument)) {
        // Each member with its own OI changes and its venue's tiers, summed (HeatmapAggregate).
        QVector<HeatmapGrid> grids;
        QStringList names;
        for (const Instrument &m : aggregateMembers(instrument)) {
            auto g = grid(m, range, columns, priceLow, priceHigh, rows, params, scale, job);
            if (!g)
                return std::nullopt;
            grids << std::move(*g);
            names << m.key();
        }
        return HeatmapAggregate::sum(grids, names);
    }
    Use e = entry(instrument, params);
    const auto readerOwner = m_store.reader();
    StoreReader &reader = *readerOwner;

    HeatmapGrid g;
    g.range = range;
    g.columns = columns;
    g.rows = rows;
    g.priceLow = priceLow;
    g.priceHigh = priceHigh;
    g.rowScale = scale;
    g.binStep = params.binStep;
    g.longUsd.fill(0, qsizetype(columns) * rows);
    g.shortUsd.fill(0, qsizetype(columns) * rows);
    g.columnPrice.fill(0, columns);
    for (int c = 0; c < columns; ++c)
        g.columnTimes.push_back(range.from + range.span() / columns * c + range.span() % columns * c / columns);
    HeatmapRaster raster(g, params.binStep);

    std::unique_lock lock(e->mutex);
    if (!updateLocked(*e, reader, instrument, params, job))
        return std::nullopt;
    if (!e->history)
        return g; // nothing stored yet
    const HeatmapHistory &h = *e->history;
    g.marginTiers = h.tiers().describe();
    g.predicted = h.consumed(range);
    g.hasOpenInterest = h.engine().firstOpenInterestTime() != 0;
    if (g.hasOpenInterest)
        g.openInterestFrom = h.engine().firstOpenInterestTime();
    g.warmUntil = h.engine().warmUntil();
    // Before the first OI sample the book holds only the prior (in units of traded volume):
    // nobody's positions, so those columns - all of them without any OI - stay empty.
    const auto held = [&g](int c) { return g.columnTimes[c] >= g.openInterestFrom; };
    const qint64 columnMs = range.span() / columns;

    if (columnMs >= h.snapshotEveryMs()) {
        // Zoomed out: one stored snapshot per column (or the current state past the end).
        for (int c = 0; c < columns; ++c) {
            const qint64 t = g.columnTimes[c];
            if (!held(c))
                continue;
            if (t >= h.time()) {
                raster.addEngine(c, h.engine());
            } else if (const qsizetype i = h.snapshotAtOrBefore(t); i >= 0) {
                raster.addSnapshot(c, h, h.snapshots()[i]);
            }
        }
        lock.unlock();
        enforceBudget(&*e);
        return g;
    }

    // Zoomed in: step the exact state from the checkpoint before the range.
    HeatmapEngine engine = h.checkpointAtOrBefore(range.from);
    const qint64 from = h.checkpointTime(engine);
    const qint64 dataEnd = h.time();
    lock.unlock();
    enforceBudget(&*e);
    HeatmapFeed feed(reader, instrument);
    int c = 0;
    for (qint64 chunk = from; chunk < std::min(range.to, dataEnd) && c < columns; chunk += chunkMs) {
        if (job.cancelled())
            return std::nullopt;
        for (const HeatmapBar &bar : feed.bars({chunk, std::min(range.to, chunk + chunkMs)})) {
            for (; c < columns && g.columnTimes[c] < bar.end(); ++c)
                if (held(c))
                    raster.addEngine(c, engine);
            engine.step(bar);
        }
    }
    for (; c < columns; ++c)
        if (held(c))
            raster.addEngine(c, engine);
    return g;
}

std::optional<LiquidationMap> HeatmapService::liquidationMap(const Instrument &instrument, qint64 t, const HeatmapParams &params,
                                                             const Job &job)
{
    if (Aggregates::isAggregate(instrument)) {
        QVector<LiquidationMap> maps;
        for (const Instrument &m : aggregateMembers(instrument)) {
            auto map = liquidationMap(m, t, params, job);
            if (!map)
                return std::nullopt;
            maps << std::move(*map);
        }
        LiquidationMap out = HeatmapAggregate::sum(maps);
        out.time = t;
        return out;
    }
    Use e = entry(instrument, params);
    const auto readerOwner = m_store.reader();
    StoreReader &reader = *readerOwner;
    {
        std::lock_guard lock(e->mutex);
        if (!updateLocked(*e, reader, instrument, params, job))
            return std::nullopt;
    }
    enforceBudget(&*e);
    LiquidationMap map;
    map.time = t;
    const auto engine = stateAt(*e, reader, instrument, t, job);
    if (!engine)
        return job.cancelled() ? std::nullopt : std::optional(map);
    map.price = engine->price();
    map.hasOpenInterest = engine->firstOpenInterestTime() != 0;
    map.warmingUp = engine->isWarmingUp(t);
    if (!map.hasOpenInterest)
        return map; // the prior alone (traded volume) is nobody's liquidation level
    const LogPriceGrid grid(params.binStep);
    const auto levels = [&grid](const HeatmapBook &book, bool descending) {
        QVector<LiquidationMap::Level> out;
        const auto [low, high] = book.binRange();
        book.forEachBin(low, high, [&](int bin, double usd) { out.push_back({grid.lowerEdge(bin), grid.upperEdge(bin), usd, 0}); });
        if (descending)
            std::reverse(out.begin(), out.end());
        double sum = 0;
        for (auto &l : out)
            l.cumulativeUsd = sum += l.usd;
        return out;
    };
    map.longs = levels(engine->book(Liquidation::Side::Long), true);
    map.shorts = levels(engine->book(Liquidation::Side::Short), false);
    return map;
}

std::optional<HeatmapConsumption> HeatmapService::consumption(const Instrument &instrument, TimeRange range, const HeatmapParams &params,
                                                              const Job &job)
{
    if (!range.isValid())
        throw std::invalid_argument("heatmap consumption: the time range is empty");
    if (Aggregates::isAggregate(instrument)) {
        // Counted where every member counts: from the last member's warm-up end.
        QVector<HeatmapConsumption> parts;
        TimeRange counted = range;
        for (int pass = 0; pass < 2; ++pass) {
            parts.clear();
            for (const Instrument &m : aggregateMembers(instrument)) {
                auto c = consumption(m, counted, params, job);
                if (!c)
                    return std::nullopt;
                parts << std::move(*c);
            }
            HeatmapConsumption sum = HeatmapAggregate::sum(parts, range);
            if (sum.isKnown() || !sum.hasOpenInterest || sum.warmUntil >= range.to || pass == 1)
                return sum;
            counted = {std::max(range.from, sum.warmUntil), range.to};
        }
    }
    Use e = entry(instrument, params);
    const auto readerOwner = m_store.reader();
    StoreReader &reader = *readerOwner;
    HeatmapConsumption result;
    result.range = range;
    QVector<HeatmapHistory::ConsumedCell> consumed;
    {
        std::lock_guard lock(e->mutex);
        if (!updateLocked(*e, reader, instrument, params, job))
            return std::nullopt;
        if (!e->history)
            return result;
        result.hasOpenInterest = e->history->engine().firstOpenInterestTime() != 0;
        result.warmUntil = e->history->engine().warmUntil();
        if (result.hasOpenInterest && result.warmUntil < range.to) {
            result.counted = {std::max(range.from, result.warmUntil), range.to};
            consumed = e->history->consumed(result.counted);
        }
    }
    enforceBudget(&*e);
    if (!result.isKnown())
        return result;
    for (const auto &c : std::as_const(consumed)) {
        result.longUsd += c.longUsd;
        result.shortUsd += c.shortUsd;
    }
    const auto start = stateAt(*e, reader, instrument, result.counted.from, job);
    if (!start)
        return std::nullopt;

    // "Hot" = at least the top-decile cell of the map near price at the start of the range.
    QVector<double> cells;
    const double price = start->price();
    const LogPriceGrid grid(params.binStep);
    if (price > 0) {
        const int lo = grid.binOf(price * (1 - hotBand)), hi = grid.binOf(price * (1 + hotBand));
        for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short})
            start->book(side).forEachBin(lo, hi, [&cells](int, double usd) {
                if (usd > 0)
                    cells.push_back(usd);
            });
    }
    std::map<std::pair<int, int>, HeatmapZone> perBin; // (side, bin)
    for (const auto &c : std::as_const(consumed))
        for (int side = 0; side < 2; ++side) {
            const double usd = side == 0 ? c.longUsd : c.shortUsd;
            if (!(usd > 0))
                continue;
            auto [it, fresh] = perBin.try_emplace({side, c.bin});
            HeatmapZone &z = it->second;
            if (fresh) {
                z.side = Liquidation::Side(side);
                z.priceLow = grid.lowerEdge(c.bin);
                z.priceHigh = grid.upperEdge(c.bin);
                z.firstTs = c.ts;
            }
            z.notionalUsd += usd;
            z.firstTs = std::min(z.firstTs, c.ts);
            z.lastTs = std::max(z.lastTs, c.ts);
        }
    if (cells.isEmpty())
        for (const auto &[key, z] : perBin)
            cells.push_back(z.notionalUsd);
    const double threshold = quantile(cells, hotQuantile);

    int lastSide = -1, lastBin = 0;
    for (const auto &[key, z] : perBin) {
        if (z.notionalUsd < threshold || !(z.notionalUsd > 0))
            continue;
        if (key.first == lastSide && key.second - lastBin <= zoneGapBins + 1) {
            HeatmapZone &cur = result.zones.back();
            cur.priceHigh = z.priceHigh;
            cur.notionalUsd += z.notionalUsd;
            cur.firstTs = std::min(cur.firstTs, z.firstTs);
            cur.lastTs = std::max(cur.lastTs, z.lastTs);
        } else {
            result.zones.push_back(z);
        }
        lastSide = key.first;
        lastBin = key.second;
    }
    std::sort(result.zones.begin(), result.zones.end(), [](const HeatmapZone &a, const HeatmapZone &b) { return a.notionalUsd > b.notionalUsd; });
    return result;
}

void HeatmapService::invalidate(const Instrument &instrument, qint64 fromMs)
{
    std::lock_guard lock(m_mutex);
    for (const auto &[key, e] : m_entries) {
        if (key.first != instrument.key())
            continue;
        qint64 seen = e->rewindTo.load();
        while (fromMs < seen && !e->rewindTo.compare_exchange_weak(seen, fromMs)) {
        }
    }
}

void HeatmapService::clear()
{
    decltype(m_entries) gone;
    {
        std::lock_guard lock(m_mutex);
        gone.swap(m_entries); // entries in use by a running query stay alive through their Use
    }
}

qsizetype HeatmapService::memoryBytes()
{
    std::lock_guard lock(m_mutex);
    qsizetype bytes = 0;
    for (const auto &[key, e] : m_entries)
        bytes += e->bytes;
    return bytes;
}

bool HeatmapService::holds(const Instrument &instrument, const HeatmapParams &params)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find({instrument.key(), params.toJson()});
    return it != m_entries.end() && it->second->bytes > 0;
}

int HeatmapService::historyCount()
{
    std::lock_guard lock(m_mutex);
    return int(std::count_if(m_entries.begin(), m_entries.end(), [](const auto &kv) { return kv.second->bytes > 0; }));
}

QList<Instrument> HeatmapService::aggregateMembers(const Instrument &aggregate)
{
    return m_store.reader()->aggregates().members(aggregate).instruments;
}
