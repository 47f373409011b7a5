#include "venuebreakdown.h"

#include "storage/aggregatereader.h"
#include "storage/storereader.h"

#include <QJsonArray>

namespace {

QJsonValue number(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

} // namespace

QJsonObject RangeAnalysis::Venue::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("instrument")] = instrument.key();
    o[QStringLiteral("price_reference")] = priceReference;
    o[QStringLiteral("error")] = error.isEmpty() ? QJsonValue() : QJsonValue(error);
    o[QStringLiteral("price_change_pct")] = number(priceChangePct);
    o[QStringLiteral("volume_usd")] = number(volumeUsd);
    o[QStringLiteral("oi_start_usd")] = number(oiStartUsd);
    o[QStringLiteral("oi_end_usd")] = number(oiEndUsd);
    o[QStringLiteral("oi_change_usd")] = number(oiChangeUsd);
    o[QStringLiteral("oi_change_usd_pct")] = number(oiChangeUsdPct);
    o[QStringLiteral("funding_interval_h")] = intervalHours;
    o[QStringLiteral("funding_mean_8h")] = number(fundingMean8h);
    o[QStringLiteral("funding_end_8h")] = number(fundingEnd8h);
    o[QStringLiteral("funding_paid_usd")] = number(fundingPaidUsd);
    o[QStringLiteral("long_liq_usd")] = number(longLiqUsd);
    o[QStringLiteral("short_liq_usd")] = number(shortLiqUsd);
    QJsonObject cov;
    cov[QStringLiteral("candles")] = candles.toJson();
    cov[QStringLiteral("oi")] = openInterest.toJson();
    cov[QStringLiteral("funding")] = funding.toJson();
    cov[QStringLiteral("liquidations")] = liquidations.toJson();
    o[QStringLiteral("coverage")] = cov;
    o[QStringLiteral("missing")] = QJsonArray::fromStringList(missing);
    return o;
}

QVector<RangeAnalysis::Venue> VenueBreakdown::measure(StoreReader &reader, const Instrument &aggregate, TimeRange range)
{
    QVector<RangeAnalysis::Venue> out;
    const AggregateReader::Members members = reader.aggregates().members(aggregate);
    RangeAnalysis analysis(reader);
    analysis.setTrailingThresholds(false);
    for (const Instrument &m : members.instruments) {
        RangeAnalysis::Venue v;
        v.instrument = m;
        v.priceReference = m == members.reference();
        v.intervalHours = reader.aggregates().intervalHours(m, range.to - 1);
        try {
            const RangeAnalysis::Result r = analysis.analyze(m, range);
            v.priceChangePct = r.priceChangePct;
            v.oiStartUsd = r.oiStartUsd;
            v.oiEndUsd = r.oiEndUsd;
            v.oiChangeUsd = r.oiChangeUsd;
            v.oiChangeUsdPct = r.oiChangeUsdPct;
            if (r.fundingMean)
                v.fundingMean8h = *r.fundingMean * 8.0 / std::max(1, v.intervalHours);
            v.fundingEnd8h = r.fundingEnd; // already per 8 h
            v.fundingPaidUsd = r.fundingPaidUsd;
            v.longLiqUsd = r.longLiqUsd;
            v.shortLiqUsd = r.shortLiqUsd;
            v.candles = r.coverage.candles;
            v.openInterest = r.coverage.openInterest;
            v.funding = r.coverage.funding;
            v.liquidations = r.coverage.liquidations;
        } catch (const RangeAnalysis::Error &e) {
            v.error = QString::fromStdString(e.what());
            v.candles.share = 0;
        }
        if (v.candles.isKnown()) {
            // The coarsest tier whose bars tile the range exactly.
            Timeframe tf = Timeframe::M1;
            for (const Timeframe t : Timeframes::all)
                if (Timeframes::floor(t, range.from) == range.from && Timeframes::floor(t, range.to) == range.to)
                    tf = t;
            double usd = 0;
            for (const Candle &c : reader.candles(m, tf, range))
                usd += c.quoteVolume;
            v.volumeUsd = usd;
        }
        const auto check = [&](const RangeAnalysis::KindCoverage &c, DataKind k) {
            if (!c.isKnown())
                v.missing << DataKinds::name(k);
        };
        check(v.candles, DataKind::Candles);
        check(v.openInterest, DataKind::OpenInterest);
        check(v.funding, DataKind::Funding);
        check(v.liquidations, DataKind::Liquidations);
        out.push_back(std::move(v));
    }
    return out;
}

QStringList VenueBreakdown::partialReasons(const QVector<RangeAnalysis::Venue> &venues)
{
    QStringList out;
    for (const RangeAnalysis::Venue &v : venues)
        if (!v.missing.isEmpty())
            out << QStringLiteral("partial: %1 has no %2 over part of the range, so the aggregate's %2 is unknown there")
                       .arg(v.instrument.key(), v.missing.join(QStringLiteral(", ")));
    return out;
}
