#!/usr/bin/env bash
# npm run bench: our engine as one more column of the shared yardstick, measured in one run beside
# the references. ../shared/bench is read-only, so it is copied into .bench/harness (kept between
# runs so its npm ci happens once). Knobs pass through: ROUNDS, BUDGET_MS, WORKLOADS, IMPLS, SKIP_NUMPY...
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${BENCH_SOURCE:-$repo/../shared/bench}"
work="$repo/.bench/harness"
mkdir -p "$work"
# copy the harness sources (not node_modules/results), refreshing them every run
(cd "$shared" && tar --exclude=node_modules --exclude=results --exclude=dist -cf - .) | (cd "$work" && tar -xf -)
npx --prefix "$repo" esbuild "$repo/bench/adapter.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/adapter.js" --log-level=warning
export ENGINE="$repo/.bench/adapter.js"
export BASELINE="${BASELINE:-opt-f64}"
bash "$work/run.sh" "$@"
# in-process A/B pairs against opt-f64 on the small nets (CPU time; bench/ab.ts), one process per workload
npx --prefix "$repo" esbuild "$repo/bench/ab.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/ab.js" --log-level=warning
for w in W1 W2; do BPNB_HARNESS="$work" node "$repo/.bench/ab.js" "$w" "${AB_PAIRS:-60}"; done > "$repo/.bench/ab.jsonl"
cat "$repo/.bench/ab.jsonl" | cut -c1-160
# the peak of the WebAssembly f64x2 mul+add our kernels are made of (bench/peak.ts)
npx --prefix "$repo" esbuild "$repo/bench/peak.ts" --bundle --platform=node --format=cjs --target=node20 --outfile="$repo/.bench/peak.js" --log-level=warning
node "$repo/.bench/peak.js" | tee "$repo/.bench/peak.json"
# then the product measurements (bundles, activation, notebook size, train cell, panel); SKIP_PRODUCT=1 skips them
[ -n "${SKIP_PRODUCT:-}" ] || bash "$repo/bench/product.sh"
