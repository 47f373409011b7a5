#!/bin/sh
# The heatmap's held-out score table (issue 19): simulator backfills of seeds the model was not
# tuned on (101, 202; tuning used 42, 7, 9) for each preset, scored by `perpscope heatmap-score`.
#   sh tests/bench/score-heldout.sh [PERPSCOPE_BINARY] [WORK_DIR]
# Environment: SEEDS (default "101 202"), PRESETS ("calm treadmill crash"), DAYS (21: one
# week of warm-up, then two scored weeks), PARAMS (a --params JSON for heatmap-score).
# Each backfill takes seconds; the databases stay in WORK_DIR (default /tmp/perpscope-heldout).
set -eu
BIN=${1:-build/app/perpscope}
DIR=${2:-/tmp/perpscope-heldout}
SEEDS=${SEEDS:-101 202}
PRESETS=${PRESETS:-calm treadmill crash}
DAYS=${DAYS:-21}
mkdir -p "$DIR"
for seed in $SEEDS; do
    for preset in $PRESETS; do
        db="$DIR/sim-$preset-$seed-${DAYS}d.db"
        [ -f "$db" ] || nice "$BIN" backfill --db "$db" --source sim --seed "$seed" --preset "$preset" --days "$DAYS" >/dev/null 2>&1
        if [ -n "${PARAMS:-}" ]; then
            nice "$BIN" heatmap-score --db "$db" --json --params "$PARAMS" 2>/dev/null
        else
            nice "$BIN" heatmap-score --db "$db" --json 2>/dev/null
        fi
    done
done | python3 -c '
import json, sys
n = lambda v: "n/a" if v is None else "%.3f" % v
print("| seed | preset | Spearman long (base) | Spearman short (base) | EMD long / base | precision | recall | next-hour corr (proximity) | capture lift (proximity; truth) | 24 h realized corr |")
print("|---|---|---|---|---|---|---|---|---|---|")
for line in sys.stdin:
    j = json.loads(line)
    m, b, r, h = j["model"], j["baseline_scores"], j["ratio"], j["next_hour"]
    print("| %s | %s | %s (%s) | %s (%s) | %s | %s | %s | %s (%s) | %s (%s; %s) | %s |" % (j["sim_seed"], j["sim_preset"],
          n(m["spearman_long"]), n(b["spearman_long"]), n(m["spearman_short"]), n(b["spearman_short"]), n(r["emd_long_pct"]),
          n(m["hot_precision"]), n(m["hot_recall"]), n(h["spearman_mean"]), n(h["proximity_spearman_mean"]),
          n(h["capture_lift"]), n(h["proximity_capture_lift"]), n(h["truth_capture_lift"]), n(m["realized_spearman"])))
'
