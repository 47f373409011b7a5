#pragma once

#include <QMetaType>
#include <QtGlobal>

// A sampled series (open interest, predicted funding) reduced to one bucket of a timeframe
// tier: first, highest, lowest and last sample. Unlike sums, these compose exactly, so a
// coarse bar equals the one computed from raw samples.
struct LineBar
{
    qint64 ts = 0;
    double open = 0;
    double high = 0;
    double low = 0;
    double close = 0;

    friend bool operator==(const LineBar &, const LineBar &) = default;
};

// Which sampled series a LineBar belongs to.
enum class LineSeries : int { OpenInterest = 1, OpenInterestUsd = 2, PredictedFunding = 3 };

Q_DECLARE_METATYPE(LineBar)
