#pragma once

#include "domain/numbers.h"

#include <QJsonValue>
#include <cmath>
#include <optional>

// Venue JSON carries decimals as strings ("65114.30") and times as numbers or strings
// (Bybit REST: "1670608800000"): accept both, refuse anything else. An empty string (Bybit's
// unused ticker fields) is no value.
namespace JsonNumbers {

inline std::optional<double> number(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().isEmpty() ? std::nullopt : Numbers::parse(v.toString().toLatin1());
    if (v.isDouble())
        return v.toDouble();
    return std::nullopt;
}

inline std::optional<qint64> integer(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d != std::floor(d) || std::abs(d) > 9e15)
            return std::nullopt;
        return qint64(d);
    }
    if (v.isString())
        return Numbers::parseInt(v.toString().toLatin1());
    return std::nullopt;
}

} // namespace JsonNumbers
