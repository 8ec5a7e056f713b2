#!/usr/bin/env node
// The headless runner; the code is bundled into dist/cli.js by `npm run build` (see docs/cli.md).
try {
  require.resolve('../dist/cli.js');
} catch {
  process.stderr.write('bpnb: dist/cli.js is missing: run `npm run build` in the project first\n');
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../dist/cli.js');
