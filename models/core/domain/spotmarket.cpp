#include "spotmarket.h"

bool SpotMarket::isSpot(const Instrument &instrument)
{
    return instrument.exchange == QLatin1String("BINANCE_SPOT") || instrument.exchange == QLatin1String("COINBASE");
}

bool SpotMarket::applies(const Instrument &instrument, DataKind kind)
{
    if (!isSpot(instrument))
        return true;
    switch (kind) {
    case DataKind::Candles:
    case DataKind::TakerBuy:
    case DataKind::GroundTruth: return true;
    case DataKind::MarkCandles:
    case DataKind::Funding:
    case DataKind::PredictedFunding:
    case DataKind::OpenInterest:
    case DataKind::Liquidations: return false;
    }
    return true;
}

QString SpotMarket::notApplicable()
{
    return QStringLiteral("not applicable for spot");
}
