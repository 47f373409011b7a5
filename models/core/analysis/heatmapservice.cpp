#include "heatmapservice.h"

#include "heatmapfeed.h"
#include "storage/storereader.h"

#include <algorithm>
#include <future>
#include <cmath>
#include <stdexcept>

namespace {

constexpr qint64 hourMs = 3'600'000;
constexpr qint64 dayMs = 24 * hourMs;
constexpr qint64 chunkMs = 7 * dayMs;       // bars read per store query while building
constexpr qint64 maxSnapshots = 4096;       // zoomed-out views read these
constexpr qint64 maxCheckpoints = 32;       // zoomed-in views step from these
constexpr double hotBand = 0.15;            // cells within ±15 % of price decide "hot"
constexpr double hotQuantile = 0.9;         // top decile
constexpr int zoneGapBins = 2;              // ±0.2 % at the default bin width

qint64 roundUp(qint64 v, qint64 unit)
{
    return std::max<qint64>(unit, (v + unit - 1) / unit * unit);
}

// Spreads model bins over the grid's rows by overlap.
class Raster
{
public:
    Raster(HeatmapGrid &grid, double binStep)
        : m_grid(grid)
        , m_logGrid(binStep)
        , m_binLow(m_logGrid.binOf(grid.priceLow))
        , m_binHigh(m_logGrid.binOf(grid.priceHigh))
    {
        for (int b = m_binLow; b <= m_binHigh + 1; ++b)
            m_edges.push_back(position(m_logGrid.lowerEdge(b)));
        m_long.resize(m_binHigh - m_binLow + 1);
        m_short.resize(m_binHigh - m_binLow + 1);
    }

    int binLow() const { return m_binLow; }
    int binHigh() const { return m_binHigh; }

    void add(int column, int bin, double longUsd, double shortUsd)
    {
        if (bin < m_binLow || bin > m_binHigh)
            return;
        const double ra = m_edges[bin - m_binLow], rh = m_edges[bin - m_binLow + 1];
        const double a = std::max(ra, 0.0), h = std::min(rh, double(m_grid.rows));
        if (!(h > a))
            return;
        const double width = rh - ra;
        const int r0 = int(a), r1 = std::min(m_grid.rows - 1, int(std::ceil(h)) - 1);
        float *longs = m_grid.longUsd.data() + m_grid.index(column, 0);
        float *shorts = m_grid.shortUsd.data() + m_grid.index(column, 0);
        for (int r = r0; r <= r1; ++r) {
            const double share = (std::min(h, r + 1.0) - std::max(a, double(r))) / width;
            longs[r] += float(longUsd * share);
            shorts[r] += float(shortUsd * share);
        }
    }

    void addEngine(int column, const HeatmapEngine &engine)
    {
        m_long.fill(0);
        m_short.fill(0);
        engine.book(Liquidation::Side::Long).addBins(m_binLow, m_binHigh, m_long.data());
        engine.book(Liquidation::Side::Short).addBins(m_binLow, m_binHigh, m_short.data());
        for (int b = m_binLow; b <= m_binHigh; ++b)
            if (m_long[b - m_binLow] > 0 || m_short[b - m_binLow] > 0)
                add(column, b, m_long[b - m_binLow], m_short[b - m_binLow]);
    }

    void addSnapshot(int column, const HeatmapHistory &history, const HeatmapHistory::Snapshot &s)
    {
        const HeatmapHistory::Cell *begin = history.cells(s), *end = begin + s.cellCount;
        const auto *it = std::lower_bound(begin, end, m_binLow, [](const HeatmapHistory::Cell &c, int b) { return c.bin < b; });
        for (; it != end && it->bin <= m_binHigh; ++it)
            add(column, it->bin, it->longUsd, it->shortUsd);
    }

private:
    double position(double price) const
    {
        if (m_grid.rowScale == HeatmapGrid::RowScale::Log)
            return std::log(price / m_grid.priceLow) / std::log(m_grid.priceHigh / m_grid.priceLow) * m_grid.rows;
        return (price - m_grid.priceLow) / (m_grid.priceHigh - m_grid.priceLow) * m_grid.rows;
    }

    HeatmapGrid &m_grid;
    LogPriceGrid m_logGrid;
    int m_binLow;
    int m_binHigh;
    QVector<double> m_edges;
    QVector<double> m_long, m_short; // one column's bins
};

double quantile(QVector<double> values, double q)
{
    if (values.isEmpty())
        return 0;
    const auto k = qsizetype(std::floor(q * double(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return values[k];
}

} // namespace

HeatmapService::HeatmapService(const QString &dbPath)
    : m_path(dbPath)
{
}

HeatmapService::~HeatmapService() = default;

std::shared_ptr<HeatmapService::Entry> HeatmapService::entry(const Instrument &instrument, const HeatmapParams &params)
{
    if (const QString problem = params.validate(); !problem.isEmpty())
        throw std::invalid_argument(("heatmap parameters: " + problem).toStdString());
    std::lock_guard lock(m_mutex);
    auto &e = m_entries[{instrument.key(), params.toJson()}];
    if (!e)
        e = std::make_shared<Entry>();
    return e;
}

bool HeatmapService::updateLocked(Entry &e, StoreReader &reader, const Instrument &instrument, const HeatmapParams &params, const Job &job)
{
    HeatmapFeed feed(reader, instrument);
    const TimeRange extent = feed.extent();
    if (!extent.isValid()) {
        e.history.reset();
        return true;
    }
    if (!e.history || e.history->startMs() > extent.from || e.history->barMs() != feed.barMs()) {
        // History was added before the start (or the OI granularity changed): rebuild.
        const qint64 span = extent.span();
        e.history = std::make_unique<HeatmapHistory>(params, extent.from, feed.barMs(), roundUp(span / maxSnapshots, hourMs),
                                                     roundUp(span / maxCheckpoints, dayMs));
    }
    HeatmapHistory &h = *e.history;
    h.setDataEnd(extent.to);
    const qint64 total = std::max<qint64>(1, extent.to - h.startMs());
    qint64 from = h.resumeFrom();
    if (from >= extent.to)
        return true;
    // A long build reads the next week from the store (its own connection) while the model
    // steps through this one: SQLite decoding and the model overlap.
    const auto load = [path = m_path, instrument](TimeRange range) {
        StoreReader own(path);
        return HeatmapFeed(own, instrument).bars(range);
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
            return false;
        }
        h.extend(current);
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
    auto e = entry(instrument, params);
    StoreReader reader(m_path);
    std::lock_guard lock(e->mutex);
    return updateLocked(*e, reader, instrument, params, job);
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
    auto e = entry(instrument, params);
    StoreReader reader(m_path);

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
    for (int c = 0; c < columns; ++c)
        g.columnTimes.push_back(range.from + range.span() / columns * c + range.span() % columns * c / columns);
    Raster raster(g, params.binStep);

    std::unique_lock lock(e->mutex);
    if (!updateLocked(*e, reader, instrument, params, job))
        return std::nullopt;
    if (!e->history)
        return g; // nothing stored yet
    const HeatmapHistory &h = *e->history;
    g.predicted = h.consumed(range);
    const qint64 columnMs = range.span() / columns;

    if (columnMs >= h.snapshotEveryMs()) {
        // Zoomed out: one stored snapshot per column (or the current state past the end).
        for (int c = 0; c < columns; ++c) {
            const qint64 t = g.columnTimes[c];
            if (t >= h.time()) {
                raster.addEngine(c, h.engine());
            } else if (const qsizetype i = h.snapshotAtOrBefore(t); i >= 0) {
                raster.addSnapshot(c, h, h.snapshots()[i]);
            }
        }
        return g;
    }

    // Zoomed in: step the exact state from the checkpoint before the range.
    HeatmapEngine engine = h.checkpointAtOrBefore(range.from);
    const qint64 from = h.checkpointTime(engine);
    const qint64 dataEnd = h.time();
    lock.unlock();
    HeatmapFeed feed(reader, instrument);
    int c = 0;
    for (qint64 chunk = from; chunk < std::min(range.to, dataEnd) && c < columns; chunk += chunkMs) {
        if (job.cancelled())
            return std::nullopt;
        for (const HeatmapBar &bar : feed.bars({chunk, std::min(range.to, chunk + chunkMs)})) {
            while (c < columns && g.columnTimes[c] < bar.end())
                raster.addEngine(c++, engine);
            engine.step(bar);
        }
    }
    while (c < columns)
        raster.addEngine(c++, engine);
    return g;
}

std::optional<LiquidationMap> HeatmapService::liquidationMap(const Instrument &instrument, qint64 t, const HeatmapParams &params,
                                                             const Job &job)
{
    auto e = entry(instrument, params);
    StoreReader reader(m_path);
    {
        std::lock_guard lock(e->mutex);
        if (!updateLocked(*e, reader, instrument, params, job))
            return std::nullopt;
    }
    LiquidationMap map;
    map.time = t;
    const auto engine = stateAt(*e, reader, instrument, t, job);
    if (!engine)
        return job.cancelled() ? std::nullopt : std::optional(map);
    map.price = engine->price();
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

std::optional<QVector<HeatmapZone>> HeatmapService::zonesConsumed(const Instrument &instrument, TimeRange range,
                                                                  const HeatmapParams &params, const Job &job)
{
    if (!range.isValid())
        throw std::invalid_argument("heatmap zones: the time range is empty");
    auto e = entry(instrument, params);
    StoreReader reader(m_path);
    QVector<HeatmapHistory::ConsumedCell> consumed;
    {
        std::lock_guard lock(e->mutex);
        if (!updateLocked(*e, reader, instrument, params, job))
            return std::nullopt;
        if (!e->history)
            return QVector<HeatmapZone>();
        consumed = e->history->consumed(range);
    }
    const auto start = stateAt(*e, reader, instrument, range.from, job);
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

    QVector<HeatmapZone> zones;
    int lastSide = -1, lastBin = 0;
    for (const auto &[key, z] : perBin) {
        if (z.notionalUsd < threshold || !(z.notionalUsd > 0))
            continue;
        if (key.first == lastSide && key.second - lastBin <= zoneGapBins + 1) {
            HeatmapZone &cur = zones.back();
            cur.priceHigh = z.priceHigh;
            cur.notionalUsd += z.notionalUsd;
            cur.firstTs = std::min(cur.firstTs, z.firstTs);
            cur.lastTs = std::max(cur.lastTs, z.lastTs);
        } else {
            zones.push_back(z);
        }
        lastSide = key.first;
        lastBin = key.second;
    }
    std::sort(zones.begin(), zones.end(), [](const HeatmapZone &a, const HeatmapZone &b) { return a.notionalUsd > b.notionalUsd; });
    return zones;
}

void HeatmapService::invalidate(const Instrument &instrument, qint64 fromMs)
{
    std::vector<std::shared_ptr<Entry>> matching;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[key, e] : m_entries)
            if (key.first == instrument.key())
                matching.push_back(e);
    }
    for (const auto &e : matching) {
        std::lock_guard lock(e->mutex);
        // An OI sample stamped t closes the bar before t: that bar must be re-stepped too.
        if (e->history)
            e->history->rewind(fromMs - e->history->barMs());
    }
}

void HeatmapService::clear()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear(); // entries in use by a running query stay alive through their shared_ptr
}

qsizetype HeatmapService::memoryBytes()
{
    std::lock_guard lock(m_mutex);
    qsizetype bytes = 0;
    for (const auto &[key, e] : m_entries) {
        std::lock_guard entryLock(e->mutex);
        if (e->history)
            bytes += e->history->memoryBytes();
    }
    return bytes;
}
