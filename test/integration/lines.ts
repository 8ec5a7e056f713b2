/**
 * The lines the suites print for the launcher (scripts/vscode-test/run.ts) to read: a measurement
 * (helpers.report), and the web host's pass/fail counts (it has no file system to write them to).
 */
/** `[bpnb-report] NAME {json}`: the launcher writes the JSON to test-results/[HOST/]NAME.json. */
export const REPORT_PREFIX = '[bpnb-report] ';
/** `[bpnb-results] {"passed":N,"failed":N}`, printed by the web suite index when mocha ends. */
export const RESULTS_PREFIX = '[bpnb-results] ';
