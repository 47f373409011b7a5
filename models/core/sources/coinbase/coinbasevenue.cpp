#include "coinbasevenue.h"

#include "coinbaseadapter.h"
#include "sources/exchange/exchangeclient.h"
#include "sources/exchange/exchangeoptions.h"

DataSource *CoinbaseVenue::create(const SourceOptions &o, QString *error)
{
    CoinbaseAdapter::Urls defaults;
    ExchangeOptions::Urls urls{defaults.rest, defaults.stream};
    ExchangeClient::Settings s;
    if (!ExchangeOptions::parse(o, QStringLiteral("COINBASE"), QStringLiteral("BTC-USD"), &urls, &s, error))
        return nullptr;
    return new ExchangeClient(std::make_unique<CoinbaseAdapter>(CoinbaseAdapter::Urls{urls.rest, urls.stream}), s);
}
