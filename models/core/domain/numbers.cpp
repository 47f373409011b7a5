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

QByteArray formatClean(double value)
{
    if (value == 0 || !std::isfinite(value))
        return format(value);
    // 12 significant digits leave the noise of ~10^4 roundings behind and keep every digit a
    // venue sends (prices and sizes have at most 8 decimals and well under 12 digits).
    char buf[64];
    for (int digits = 1; digits <= 12; ++digits) {
        const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific, digits - 1);
        double back = 0;
        std::from_chars(buf, res.ptr, back);
        if (std::abs(back - value) <= std::abs(value) * 5e-13)
            return format(back);
    }
    return format(value);
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
