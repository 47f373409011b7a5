#pragma once

#include "exchangeclient.h"
#include "sources/sourceoptions.h"

#include <QStringList>
#include <QUrl>

// The settings every exchange source takes from SourceOptions (the command line's
// --source-option KEY=VALUE, the GUI's settings): base URLs, timings, limits, TLS. A venue's
// create function (in its folder) asks for these and adds what is its own; keys nobody
// knows are refused, so a misspelt option is an error rather than silently ignored.
class ExchangeOptions
{
public:
    struct Urls
    {
        QUrl rest;
        QUrl stream;
    };

    // The keys parse() reads, for --help and the man page.
    static QStringList keys();
    // exchange: the venue key the instrument must have ("BYBIT"); defaultSymbol when none.
    // urls: the venue's defaults, replaced by rest_url / ws_url. False with *error naming the
    // option when one is unusable.
    static bool parse(const SourceOptions &options, const QString &exchange, const QString &defaultSymbol, Urls *urls,
                      ExchangeClient::Settings *settings, QString *error);
};
