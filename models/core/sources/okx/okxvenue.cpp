#include "okxvenue.h"

#include "okxadapter.h"
#include "sources/exchange/exchangeclient.h"
#include "sources/exchange/exchangeoptions.h"

DataSource *OkxVenue::create(const SourceOptions &o, QString *error)
{
    OkxAdapter::Urls defaults;
    ExchangeOptions::Urls urls{defaults.rest, defaults.stream};
    ExchangeClient::Settings s;
    // The text ping goes every 20 s and OKX cuts a socket after 30 s without traffic: a
    // socket that has not even answered a pong for 30 s is dead (research/data-formats-2.md §A.9).
    s.stream.silenceMs = 30'000;
    // OKX documents no 24 h cut; a day-old socket is still replaced, overlapping.
    s.stream.maxAgeMs = 24 * 3'600'000LL;
    if (!ExchangeOptions::parse(o, QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP"), &urls, &s, error))
        return nullptr;
    // ws_url is the base both sockets hang off (…/ws/v5/business, …/ws/v5/public).
    return new ExchangeClient(std::make_unique<OkxAdapter>(OkxAdapter::Urls{urls.rest, urls.stream}), s);
}
