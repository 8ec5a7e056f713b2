#!/usr/bin/env bash
# npm run bench:reliability: bench/reliability.ts bundled with esbuild into .bench/ (vscode aliased
# to the stub, for the serializer), then run; it rewrites the generated section of docs/reliability.md.
# Options pass through: --quick, --no-docs.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$repo/.bench"
"$repo/node_modules/.bin/esbuild" "$repo/bench/reliability.ts" --bundle --platform=node --format=cjs --target=node20 --log-level=warning --alias:vscode="$repo/bench/vscode-stub.ts" --outfile="$repo/.bench/reliability.js"
exec node "$repo/.bench/reliability.js" "$@"
