#pragma once

#include "domain/numbers.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
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

// A value as an error message shows it: "\"0.005\"", 0.5, null, missing, or not a number.
inline QString shown(const QJsonValue &v)
{
    if (v.isString())
        return QStringLiteral("\"%1\"").arg(v.toString().left(40));
    if (v.isDouble())
        return QString::number(v.toDouble());
    return v.isNull() ? QStringLiteral("null") : v.isUndefined() ? QStringLiteral("missing") : QStringLiteral("not a number");
}

// A required finite number field of a list's row. On failure `*error` names the row and the
// field, what it held and what was expected: "<what> row 3: field mmr is \"x\", expected a
// number (a decimal string such as \"0.004\")".
inline bool required(const QJsonObject &o, const char *name, const QString &what, int row, const char *example, double *out,
                     QString *error)
{
    const QJsonValue v = o.value(QLatin1String(name));
    const auto n = number(v);
    if (!n || !std::isfinite(*n)) {
        *error = QStringLiteral("%1 row %2: field %3 is %4, expected a number (a decimal string such as \"%5\")")
                     .arg(what)
                     .arg(row)
                     .arg(QLatin1String(name), shown(v), QLatin1String(example));
        return false;
    }
    *out = *n;
    return true;
}

} // namespace JsonNumbers
