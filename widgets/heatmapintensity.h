#pragma once

#include <QList>
#include <cmath>
#include <QString>

// How bright the predicted heatmap is drawn: the colour scale tops out at the clip
// percentile of the cells near price (higher = only the very hottest cells saturate), and
// cells below `threshold` of that top stay transparent (0 = every predicted cell shows).
// A view setting, kept in QSettings by the heatmap controls; the model is unaffected.
struct HeatmapIntensity
{
    double clipPercentile = 0.99;
    double threshold = 0.0;

    bool operator==(const HeatmapIntensity &) const = default;

    // The choices the controls offer (CoinGlass's slider as a short list of stops).
    static QList<double> clipChoices() { return {0.90, 0.95, 0.99, 0.999}; }
    static QList<double> thresholdChoices() { return {0.0, 0.05, 0.15, 0.30}; }
    // "99", "99.9": a clip percentile as the menu and the legend write it.
    static QString percentileText(double clipPercentile)
    {
        return QString::number(clipPercentile * 100, 'f', clipPercentile > 0.99 ? 1 : 0);
    }
    static double nearestOf(const QList<double> &choices, double v)
    {
        double best = choices.first();
        for (double c : choices)
            if (std::abs(c - v) < std::abs(best - v))
                best = c;
        return best;
    }
};
