#include "simhistory.h"

#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"


std::optional<SimHistory> SimHistory::read(const StoreLocator &store, const Instrument &instrument)
{
    if (!MarketStore::holdsData(store))
        return std::nullopt;
    auto reader = MarketStore::openExisting(store).reader();
    const TimeRange extent = reader->extent(instrument, DataKind::Candles);
    if (!extent.isValid())
        return std::nullopt;
    SimHistory h;
    h.firstMs = extent.from;
    h.lastBarMs = Timeframes::floor(Timeframe::M1, extent.to - 1); // extent.to: where the last bar ends
    h.rows = reader->count(instrument, DataKind::Candles);
    const QString record = reader->meta(SimRunRecord::metaKey(instrument));
    if (record.isEmpty()) {
        h.problem = QStringLiteral("no record of the simulator run that made it");
        return h;
    }
    QString why;
    h.run = SimRunRecord::fromJson(record, &why);
    if (!h.run)
        h.problem = why;
    else if (h.run->instrument() != instrument) {
        h.problem = QStringLiteral("its run record names %1").arg(h.run->instrument().key());
        h.run.reset();
    }
    return h;
}

QString SimHistory::describeStored() const
{
    const QString span = QStringLiteral("%1 … %2").arg(TimeFormat::display(firstMs), TimeFormat::display(lastBarMs + 60'000));
    return run ? QStringLiteral("the simulated market %1 (%2)").arg(run->describe(), span)
               : QStringLiteral("simulated history (%1)").arg(span);
}
