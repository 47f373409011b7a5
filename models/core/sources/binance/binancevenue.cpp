#include "binancevenue.h"

#include "binanceadapter.h"
#include "sources/exchange/exchangeclient.h"
#include "sources/exchange/exchangeoptions.h"

DataSource *BinanceVenue::create(const SourceOptions &o, QString *error)
{
    BinanceAdapter::Urls defaults;
    ExchangeOptions::Urls urls{defaults.rest, defaults.stream};
    ExchangeClient::Settings s;
    if (!ExchangeOptions::parse(o, QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT"), &urls, &s, error))
        return nullptr;
    return new ExchangeClient(std::make_unique<BinanceAdapter>(BinanceAdapter::Urls{urls.rest, urls.stream}), s);
}
