#include "numbers.h"

#include <charconv>
#include <cmath>

namespace Numbers {

QByteArray format(double value)
{
    // Plain decimals read best ("0.0001", not "1e-04"); exponents only where they would be long.
    char buf[400];
    const double mag = std::abs(value);
    const bool plain = value == 0 || (mag >= 1e-10 && mag < 1e17);
    const auto res = plain ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed)
                           : std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    return QByteArray(buf, int(res.ptr - buf));
}

std::optional<double> parse(QByteArrayView text)
{
    const char *b = text.data();
    const char *e = b + text.size();
    while (b < e && (*b == ' ' || *b == '\t'))
        ++b;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        --e;
    if (b < e && *b == '+')
        ++b;
    if (b == e)
        return std::nullopt;
    double v = 0;
    const auto res = std::from_chars(b, e, v, std::chars_format::general);
    if (res.ec != std::errc() || res.ptr != e || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<qint64> parseInt(QByteArrayView text)
{
    const char *b = text.data();
    const char *e = b + text.size();
    while (b < e && (*b == ' ' || *b == '\t'))
        ++b;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        --e;
    if (b == e)
        return std::nullopt;
    qint64 v = 0;
    const auto res = std::from_chars(b, e, v);
    if (res.ec != std::errc() || res.ptr != e)
        return std::nullopt;
    return v;
}

} // namespace Numbers
