#!/usr/bin/env node
// The headless runner; the code is bundled into dist/cli.js by `npm run build` (see docs/cli.md).
require('../dist/cli.js');
