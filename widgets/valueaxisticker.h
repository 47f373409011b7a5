#pragma once

#include <functional>
#include <optional>
#include <QPointer>
#include <qcustomplot.h>

// Value-axis labels as the pane's numbers read elsewhere: with thousands separators, and as
// many decimals as the tick step needs, the same for every label on the axis (8.0, 7.5 — not
// 8, 7.5). Kinds: prices, quantities, money in one compact unit for the axis ($90M, $92.5M),
// and fractions in percent (funding). A band of values can be kept clear of labels, where
// a tag (the last price) sits on the axis.
class ValueAxisTicker : public QCPAxisTicker
{
public:
    enum class Kind { Price, Quantity, Usd, Percent };

    explicit ValueAxisTicker(Kind kind);

    void setKind(Kind kind) { m_kind = kind; }
    Kind kind() const { return m_kind; }
    // No label is drawn for ticks within `halfPixels` of `value` on `axis` (nullopt: none
    // kept clear). In pixels, so it holds however the axis is zoomed or resized.
    void setKeepClear(std::optional<double> value, double halfPixels = 0, QCPAxis *axis = nullptr);

    // One label, given the step between ticks and the largest magnitude on the axis.
    static QString label(Kind kind, double value, double step, double magnitude);

protected:
    double getTickStep(const QCPRange &range) override;
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override;

private:
    Kind m_kind;
    double m_step = 1;
    double m_magnitude = 1;
    std::optional<double> m_clear;
    double m_clearPixels = 0;
    QPointer<QCPAxis> m_axis;
};
