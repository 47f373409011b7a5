#include "heatmapexport.h"

#include "domain/numbers.h"
#include "heatmapengine.h"
#include "heatmapfeed.h"
#include "margintierchoice.h"
#include "storage/storereader.h"

#include <QIODevice>
#include <stdexcept>

namespace {

constexpr qint64 chunkMs = 7LL * 24 * 3600 * 1000;

qint64 writeColumn(const HeatmapEngine &e, qint64 ts, QIODevice &out)
{
    QVector<std::pair<int, double>> longs, shorts;
    for (auto [side, list] : {std::pair{Liquidation::Side::Long, &longs}, std::pair{Liquidation::Side::Short, &shorts}}) {
        const auto [low, high] = e.book(side).binRange();
        auto *column = list; // clang 14 cannot capture a structured binding
        e.book(side).forEachBin(low, high, [column](int bin, double usd) { column->push_back({bin, usd}); });
    }
    const LogPriceGrid &grid = e.book(Liquidation::Side::Long).grid();
    const QByteArray time = QByteArray::number(ts) + ',';
    QByteArray text;
    qint64 rows = 0;
    qsizetype i = 0, j = 0;
    while (i < longs.size() || j < shorts.size()) {
        int bin;
        double l = 0, s = 0;
        if (j == shorts.size() || (i < longs.size() && longs[i].first < shorts[j].first)) {
            bin = longs[i].first;
            l = longs[i++].second;
        } else if (i == longs.size() || shorts[j].first < longs[i].first) {
            bin = shorts[j].first;
            s = shorts[j++].second;
        } else {
            bin = longs[i].first;
            l = longs[i++].second;
            s = shorts[j++].second;
        }
        text += time + Numbers::format(grid.lowerEdge(bin)) + ',' + Numbers::format(grid.upperEdge(bin)) + ',' + Numbers::format(l) + ','
            + Numbers::format(s) + '\n';
        ++rows;
    }
    out.write(text);
    return rows;
}

} // namespace

namespace HeatmapExport {

QByteArray header()
{
    return "ts,price_low,price_high,long_usd,short_usd";
}

qint64 write(StoreReader &reader, const Instrument &instrument, TimeRange range, Timeframe timeframe, const HeatmapParams &params,
             QIODevice &out, const HeatmapJob &job)
{
    if (const QString problem = params.validate(); !problem.isEmpty())
        throw std::invalid_argument(("heatmap parameters: " + problem).toStdString());
    HeatmapFeed feed(reader, instrument);
    const TimeRange extent = feed.extent();
    if (extent.isValid() && !feed.hasOpenInterest())
        throw std::runtime_error(QStringLiteral("%1 has candles but no open interest; the heatmap model is driven by open interest changes")
                                     .arg(instrument.key())
                                     .toStdString());
    out.write(header() + '\n');
    if (!extent.isValid() || !range.isValid())
        return 0;

    const qint64 step = Timeframes::ms(timeframe);
    qint64 column = Timeframes::floor(timeframe, range.from);
    if (column < range.from)
        column += step;
    HeatmapEngine engine(params, MarginTierChoice::forInstrument(reader, instrument).brackets); // the venue's tiers where stored
    qint64 rows = 0;
    const qint64 stepUntil = std::min(extent.to, range.to);
    for (qint64 from = extent.from; from < stepUntil && column < range.to; from += chunkMs) {
        if (job.cancelled())
            return -1;
        for (const HeatmapBar &bar : feed.bars({from, std::min(stepUntil, from + chunkMs)})) {
            while (column < range.to && column < bar.end()) {
                rows += writeColumn(engine, column, out);
                column += step;
            }
            engine.step(bar);
        }
        if (job.progress)
            job.progress(double(std::min(stepUntil, from + chunkMs) - extent.from) / double(stepUntil - extent.from), QStringLiteral("heatmap"));
    }
    for (; column < range.to; column += step)
        rows += writeColumn(engine, column, out);
    return rows;
}

} // namespace HeatmapExport
