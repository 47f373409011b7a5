#!/bin/sh
# Runs every fuzz target for SECONDS each (default 600: ten minutes), one after the other,
# from a sanitizer build with fuzzing (the second command of README.md builds one):
#   sh tests/fuzz/run-fuzzers.sh [SECONDS] [BUILD_DIR]
# Each target starts from its seeds in tests/data/fuzz/<target>/ and grows a corpus in
# BUILD_DIR/fuzz-corpus/<target>/. A crash or broken invariant leaves its input in
# BUILD_DIR/fuzz-crashes/<target>/; copy it to tests/data/fuzz/<target>/regress-<what>
# (with the fix) so tst_fuzzinputs replays it on every run. Exits non-zero if any target
# found something.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-600}
build=${2:-build-asan}
fuzz="$build/tests/perpscope_fuzz"
[ -x "$fuzz" ] || { echo "run-fuzzers: $fuzz not built (configure with -DENABLE_FUZZING=ON)" >&2; exit 2; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
failed=0
for target in $("$fuzz" -list_targets); do
  corpus="$build/fuzz-corpus/$target"
  crashes="$build/fuzz-crashes/$target"
  mkdir -p "$corpus" "$crashes"
  echo "== $target: $seconds s" >&2
  if ! "$fuzz" -target="$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" "tests/data/fuzz/$target" 2>"$build/fuzz-$target.log"; then
    echo "== $target FOUND A PROBLEM: see $build/fuzz-$target.log and $crashes/" >&2
    failed=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz-$target.log" | sed "s/^/   $target /" >&2
done
exit $failed
