#!/usr/bin/env bash
# npm run bench:product: the product measurements (bench/product.ts), bundled with esbuild into .bench/.
# Options pass through: --no-browser (skip Chromium), --quick.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$repo/.bench"
esb="$repo/node_modules/.bin/esbuild"
common=(--bundle --platform=node --format=cjs --target=node20 --log-level=warning)
"$esb" "$repo/bench/vscode-stub.ts" "${common[@]}" --outfile="$repo/.bench/vscode-stub.js"
"$esb" "$repo/bench/product.ts" "${common[@]}" --alias:vscode="$repo/bench/vscode-stub.ts" --external:playwright-core --outfile="$repo/.bench/product.js"
exec node "$repo/.bench/product.js" "$@"
