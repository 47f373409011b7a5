#pragma once

#include <QStringList>

// perpscope heatmap-score --db PATH [--preset NAME] [--instrument I] [--json]
// Scores the predicted heatmap against a simulator database's ground truth and a naive
// baseline (HeatmapScorer); prints a table, or one JSON object with --json.
class HeatmapScoreCommand
{
public:
    static int run(const QStringList &args);
};
