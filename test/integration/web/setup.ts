/**
 * Loads mocha's browser build and sets it up (TDD), before index.ts imports the suites that call
 * `suite()`.
 */
import 'mocha/mocha.js';

declare const mocha: { setup(options: Record<string, unknown>): void; grep(pattern: string): void };
/** BPNB_TEST_GREP, put in by the launcher's bundler (the web host has no environment). */
declare const BPNB_TEST_GREP: string;

mocha.setup({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000 });
if (BPNB_TEST_GREP) mocha.grep(BPNB_TEST_GREP);
