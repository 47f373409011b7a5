#pragma once

#include <QMetaType>
#include <QtGlobal>

// Open interest at ts: in base units (contracts' coins) and in quote currency (USD).
struct OpenInterestSample
{
    qint64 ts = 0;
    double openInterest = 0;
    double openInterestUsd = 0;

    friend bool operator==(const OpenInterestSample &, const OpenInterestSample &) = default;
};

Q_DECLARE_METATYPE(OpenInterestSample)
