#pragma once

#include <QMetaType>
#include <QtGlobal>

// A funding rate: settled at ts, or (in the predicted series) the rate the current interval
// would settle at if it ended at ts. rate is a fraction per interval (0.0001 = 0.01 %).
struct FundingSample
{
    qint64 ts = 0;
    double rate = 0;
    int intervalHours = 8;

    double annualized() const { return rate * (24.0 / intervalHours) * 365.0; }

    friend bool operator==(const FundingSample &, const FundingSample &) = default;
};

Q_DECLARE_METATYPE(FundingSample)
