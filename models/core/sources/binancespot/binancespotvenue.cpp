#include "binancespotvenue.h"

#include "binancespotadapter.h"
#include "sources/exchange/exchangeclient.h"
#include "sources/exchange/exchangeoptions.h"

DataSource *BinanceSpotVenue::create(const SourceOptions &o, QString *error)
{
    const BinanceAdapter::Urls defaults = BinanceSpotAdapter().urls();
    ExchangeOptions::Urls urls{defaults.rest, defaults.stream};
    ExchangeClient::Settings s;
    if (!ExchangeOptions::parse(o, QStringLiteral("BINANCE_SPOT"), QStringLiteral("BTCUSDT"), &urls, &s, error))
        return nullptr;
    return new ExchangeClient(std::make_unique<BinanceSpotAdapter>(BinanceAdapter::Urls{urls.rest, urls.stream}), s);
}
