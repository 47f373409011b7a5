#pragma once

#include "domain/instrument.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"

// One market window to read: an instrument's series over a range at one tier, tagged with
// the generation of the request so late replies can be recognised.
struct WindowRequest
{
    quint64 generation = 0;
    Instrument instrument;
    TimeRange range;
    Timeframe timeframe = Timeframe::M1;
    int tapeRows = 2000;
};
