#include "valueaxisticker.h"

#include <cmath>

namespace {

const QLocale &grouped()
{
    static const QLocale locale = [] {
        QLocale l = QLocale::c();
        l.setNumberOptions(QLocale::DefaultNumberOptions); // keep group separators
        return l;
    }();
    return locale;
}

// Decimals that show a step of `step` (0.5 -> 1, 0.25 -> 2, 2000 -> 0).
int decimalsFor(double step)
{
    if (!(step > 0) || !std::isfinite(step))
        return 0;
    const int d = int(std::ceil(-std::log10(step) - 1e-9));
    // A step like 0.25 needs two decimals, not one.
    const double scaled = step * std::pow(10.0, std::max(0, d));
    const int extra = std::abs(scaled - std::round(scaled)) > 1e-6 ? 1 : 0;
    return std::clamp(d + extra, 0, 10);
}

} // namespace

ValueAxisTicker::ValueAxisTicker(Kind kind)
    : m_kind(kind)
{
    setTickCount(5);
}

double ValueAxisTicker::getTickStep(const QCPRange &range)
{
    m_step = QCPAxisTicker::getTickStep(range);
    // A short pane asks for two ticks; rounding the step up to a readable one (8,034 wide ->
    // 5,000) can then leave a single labelled tick inside the range, and one label gives no
    // scale. Step down through the readable steps until two ticks fit.
    const auto ticksInside = [&](double step) {
        return std::floor(range.upper / step) - std::ceil(range.lower / step) + 1;
    };
    if (m_step > 0 && range.size() > 0 && ticksInside(m_step) < 2) {
        const double decade = std::pow(10.0, std::floor(std::log10(m_step)));
        for (const double mantissa : {5.0, 2.5, 2.0, 1.0, 0.5, 0.25, 0.2, 0.1}) {
            const double step = mantissa * decade;
            if (step < m_step && ticksInside(step) >= 2) {
                m_step = step;
                break;
            }
        }
    }
    m_magnitude = std::max(std::abs(range.lower), std::abs(range.upper));
    return m_step;
}

void ValueAxisTicker::setKeepClear(std::optional<double> value, double halfPixels, QCPAxis *axis)
{
    m_clear = value;
    m_clearPixels = halfPixels;
    m_axis = axis;
}

QString ValueAxisTicker::getTickLabel(double tick, const QLocale &, QChar, int)
{
    if (m_clear && m_axis && std::abs(m_axis->coordToPixel(tick) - m_axis->coordToPixel(*m_clear)) <= m_clearPixels)
        return QString();
    if (std::abs(tick) < m_step * 1e-6)
        tick = 0; // -0.0000 from floating round-off
    return label(m_kind, tick, m_step, m_magnitude);
}

QString ValueAxisTicker::label(Kind kind, double value, double step, double magnitude)
{
    switch (kind) {
    case Kind::Price:
    case Kind::Quantity:
        return grouped().toString(value, 'f', decimalsFor(step));
    case Kind::Usd: {
        // One unit for the whole axis, chosen by its largest value.
        const double unit = magnitude >= 1e9 ? 1e9 : magnitude >= 1e6 ? 1e6 : magnitude >= 1e3 ? 1e3 : 1;
        const QString suffix = unit == 1e9 ? QStringLiteral("B") : unit == 1e6 ? QStringLiteral("M") : unit == 1e3 ? QStringLiteral("K") : QString();
        const QString digits = grouped().toString(std::abs(value) / unit, 'f', decimalsFor(step / unit));
        return (value < 0 ? QStringLiteral("-$") : QStringLiteral("$")) + digits + suffix;
    }
    case Kind::Percent:
        return grouped().toString(value * 100.0, 'f', decimalsFor(step * 100.0)) + QStringLiteral("%");
    }
    return QString::number(value);
}
