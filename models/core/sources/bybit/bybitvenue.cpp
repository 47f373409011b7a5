#include "bybitvenue.h"

#include "bybitadapter.h"
#include "sources/exchange/exchangeclient.h"
#include "sources/exchange/exchangeoptions.h"

DataSource *BybitVenue::create(const SourceOptions &o, QString *error)
{
    BybitAdapter::Urls defaults;
    ExchangeOptions::Urls urls{defaults.rest, defaults.stream};
    ExchangeClient::Settings s;
    // The socket pings every 20 s and tickers push every 100 ms: 30 s of silence is a dead socket.
    s.stream.silenceMs = 30'000;
    // Bybit documents no 24 h cut; a day-old socket is still replaced, overlapping.
    s.stream.maxAgeMs = 24 * 3'600'000LL;
    if (!ExchangeOptions::parse(o, QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT"), &urls, &s, error))
        return nullptr;
    return new ExchangeClient(std::make_unique<BybitAdapter>(BybitAdapter::Urls{urls.rest, urls.stream}), s);
}
