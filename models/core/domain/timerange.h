#pragma once

#include <QMetaType>
#include <QtGlobal>
#include <algorithm>

// Half-open interval [from, to) in epoch milliseconds UTC.
struct TimeRange
{
    qint64 from = 0;
    qint64 to = 0;

    bool isValid() const { return to > from; }
    qint64 span() const { return to - from; }
    bool contains(qint64 t) const { return t >= from && t < to; }
    bool intersects(const TimeRange &o) const { return from < o.to && o.from < to; }
    TimeRange united(const TimeRange &o) const
    {
        if (!isValid())
            return o;
        if (!o.isValid())
            return *this;
        return {std::min(from, o.from), std::max(to, o.to)};
    }
    TimeRange padded(double fraction) const
    {
        const auto pad = static_cast<qint64>(span() * fraction);
        return {from - pad, to + pad};
    }
    friend bool operator==(const TimeRange &a, const TimeRange &b)
    {
        return a.from == b.from && a.to == b.to;
    }
    friend bool operator!=(const TimeRange &a, const TimeRange &b) { return !(a == b); }
};

Q_DECLARE_METATYPE(TimeRange)
