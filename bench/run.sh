#!/usr/bin/env bash
# npm run bench: our engine measured in one run beside its references. The optional yardstick
# (../shared/bench, or BENCH_SOURCE) runs our engine as one more column among its own; it is
# read-only, so it is copied into .bench/harness (kept between runs so its npm ci happens once).
# Knobs pass through to it: ROUNDS, BUDGET_MS, WORKLOADS, IMPLS, SKIP_NUMPY... Without it, the
# in-process pairs (bench/ab.ts: numpy-f64 on W3/W4 through bench/numpy_turns.py), the wasm peak,
# the product measurements and the report still run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${BENCH_SOURCE:-$repo/../shared/bench}"
work="$repo/.bench/harness"
mkdir -p "$repo/.bench"
if [ -f "$shared/run.sh" ]; then
  mkdir -p "$work"
  # copy the harness sources (not node_modules/results), refreshing them every run
  (cd "$shared" && tar --exclude=node_modules --exclude=results --exclude=dist -cf - .) | (cd "$work" && tar -xf -)
  npx --prefix "$repo" esbuild "$repo/bench/adapter.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/adapter.js" --log-level=warning
  export ENGINE="$repo/.bench/adapter.js"
  export BASELINE="${BASELINE:-opt-f64}"
  bash "$work/run.sh" "$@"
  harness="$work"
else
  # the yardstick is optional: without it the report says so, and the rest still runs
  echo "[bench] no yardstick at $shared (set BENCH_SOURCE to one): its columns are skipped"
  rm -rf "$work/results" "$work/dist"
  harness=""
fi
# in-process pairs (CPU time; bench/ab.ts), one process per workload: against opt-f64 on the small
# nets, and the workloads as notebook cells through the Session against the train path
(cd "$repo" && node esbuild.js) # dist/trainWorker.js: the second thread of the two-thread pairs
npx --prefix "$repo" esbuild "$repo/bench/ab.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/ab.js" --log-level=warning
for w in W1 W2 W3 W4; do BPNB_HARNESS="$harness" node "$repo/.bench/ab.js" "$w" "${AB_PAIRS:-60}"; done > "$repo/.bench/ab.jsonl"
cat "$repo/.bench/ab.jsonl" | cut -c1-160
# a user-defined activation equal to a built-in (z·σ(z) against silu) on W2's and W3's nets, the same pairs
for w in U2 U3; do node "$repo/.bench/ab.js" "$w" "${AB_PAIRS:-60}"; done > "$repo/.bench/user-activation.jsonl"
cat "$repo/.bench/user-activation.jsonl" | cut -c1-160
# the peak of the WebAssembly f64x2 mul+add our kernels are made of (bench/peak.ts)
npx --prefix "$repo" esbuild "$repo/bench/peak.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/peak.js" --log-level=warning
node "$repo/.bench/peak.js" | tee "$repo/.bench/peak.json"
# then the product measurements (bundles, activation, notebook size, train cell, panel); SKIP_PRODUCT=1 skips them
[ -n "${SKIP_PRODUCT:-}" ] || bash "$repo/bench/product.sh"
# the measured part of docs/performance.md, from this run's output
npx --prefix "$repo" esbuild "$repo/bench/report.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/report.js" --log-level=warning
node "$repo/.bench/report.js"
