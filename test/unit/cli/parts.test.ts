/**
 * The runner's small parts, without spawning: arguments, cell → file positions, the progress line.
 */
import * as assert from 'assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, USAGE, UsageError } from '../../../src/cli/args';
import { FileLocator } from '../../../src/cli/locate';
import { ProgressLine } from '../../../src/cli/progress';
import { Session } from '../../../src/runtime/session';
import type { ResultItem } from '../../../src/protocol/results';

describe('cli/args', () => {
  it('reads commands, files and options in any order', () => {
    assert.deepEqual(parseArgs(['run', 'a.bpnb', '--format', 'json', 'b.bpnb', '-w']), {
      command: 'run',
      files: ['a.bpnb', 'b.bpnb'],
      format: 'json',
      write: true,
      quiet: false,
      digits: 6,
    });
    assert.deepEqual(
      [
        parseArgs(['run', '--digits=1', 'a.bpnb']),
        parseArgs(['run', 'a.bpnb', '--digits', '17']),
      ].map((r) => r.command === 'run' && r.digits),
      [1, 17],
    );
    assert.deepEqual(parseArgs(['check', '--', '--odd-name.bpnb']), {
      command: 'check',
      files: ['--odd-name.bpnb'],
      format: 'text',
    });
    assert.deepEqual(parseArgs(['run', '--help']), { command: 'help' });
  });
  const bad: string[][] = [
    [],
    ['run'],
    ['run', '--format'],
    ['check', '--format', 'markdown', 'a'],
    ['run', '-x', 'a'],
    ['go', 'a'],
    ['run', 'a', '--digits'],
    ['run', 'a', '--digits', '0'],
    ['run', 'a', '--digits', '18'],
    ['run', 'a', '--digits', '2.5'],
    ['run', 'a', '--digits', '1e1'],
    ['check', 'a', '--digits', '3'],
  ];
  for (const args of bad)
    it(`refuses ${JSON.stringify(args)}`, () => assert.throws(() => parseArgs(args), UsageError));
  it(
    '--help names every option and exit status of docs/cli.md, and parseArgs takes ' +
      'each option',
    () => {
      const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'cli.md'), 'utf8');
      const rows = (header: string) => doc.split(header)[1].split('\n\n')[0].split('\n').slice(2);
      const options = rows('| option | with | meaning |').flatMap((r) =>
        [...r.split('|')[1].matchAll(/`(-[-\w]+)/g)].map((m) => m[1]),
      );
      const statuses = rows('| status | when |').map((r) => r.split('|')[1].trim());
      assert.ok(options.length >= 6 && statuses.length >= 5, `${options} ${statuses}`);
      for (const option of options)
        assert.match(USAGE, new RegExp(`[\\s,[]${option}(?![\\w-])`), `help has no ${option}`);
      for (const status of statuses)
        assert.match(USAGE, new RegExp(`[:;] ${status} `), `help has no exit status ${status}`);
      for (const option of ['--write', '-w', '--quiet', '-q'])
        assert.equal(parseArgs(['run', option, 'a.bpnb']).command, 'run');
    },
  );
});

describe('cli/locate: a cell offset → the line and column in the .bpnb file', () => {
  const file = [
    '{',
    '  "format": "backprop-notebook", "version": "1.0", "metadata": {},',
    '  "cells": [',
    '    { "kind": "markdown", "source": ["# t"] },',
    '    {',
    '      "kind": "code",',
    '      "source": [',
    '        "input x = [1, 2]",',
    '        "show \\"q\\" \\u00e9 zz"',
    '      ]',
    '    },',
    '    { "kind": "code", "source": "forward\\n  bad" }',
    '  ]',
    '}',
  ].join('\n');
  const cases: [string, number, number, { line: number; column: number }][] = [
    ['first character', 1, 0, { line: 8, column: 10 }],
    ['inside the first line', 1, 6, { line: 8, column: 16 }],
    ['the line break between lines', 1, 16, { line: 8, column: 26 }],
    ['second line start', 1, 17, { line: 9, column: 10 }],
    [
      'after escaped quotes and a \\u escape',
      1,
      17 + 'show "q" é '.length,
      { line: 9, column: 10 + 'show \\"q\\" \\u00e9 '.length },
    ],
    ['a one-string source, second line', 2, 'forward\n  '.length, { line: 12, column: 45 }],
  ];
  for (const [name, cell, offset, want] of cases)
    it(name, () => assert.deepEqual(new FileLocator(file).position(cell, offset), want));
  it('cell start lines', () =>
    assert.deepEqual(
      [0, 1, 2].map((i) => new FileLocator(file).startLine(i)),
      [4, 5, 12],
    ));
  it('a cell that is not there', () =>
    assert.equal(new FileLocator(file).position(7, 0), undefined));
});

describe('cli/progress', () => {
  const progress: ResultItem[] = [
    { kind: 'progress', epoch: 50, epochs: 200, step: 50, loss: 0.25, done: false },
  ];
  const sink = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, columns: 100, write: (t: string) => written.push(t) > 0 } };
  };
  it('draws a bar on a terminal and clears it', () => {
    const { written, stream } = sink(true);
    const line = new ProgressLine(stream);
    line.update('nb cell 2', progress);
    line.clear();
    assert.deepEqual(written, [
      '\r\x1b[Knb cell 2 [######..................] 50/200 loss 0.25  (Ctrl-C stops)',
      '\r\x1b[K',
    ]);
  });
  it('stays quiet when stderr is not a terminal', () => {
    const { written, stream } = sink(false);
    const line = new ProgressLine(stream);
    line.update('nb', progress);
    line.clear();
    assert.deepEqual(written, []);
  });
  it("sizes the bar by the running train's epochs, not the cell's first train", async () => {
    // the CLI used to re-parse the cell and take its first `train`: this bar would have said /3
    const seen: ResultItem[] = [];
    let stop = false;
    const run = await new Session().runCell(
      'network 2 -> 2 sigmoid -> 1 sigmoid\ndataset xor\ntrain epochs 3\ntrain epochs 100000000',
      {
        isCancelled: () => stop,
        yieldNow: () => new Promise((resolve) => setImmediate(resolve)),
        now: () => performance.now(),
        onProgress: (items) => {
          seen.push(...items);
          stop = items.some((i) => i.kind === 'progress' && i.epoch > 3); // the second train runs
        },
      },
    );
    assert.equal(run.cancelled, true);
    const { written, stream } = sink(true);
    new ProgressLine(stream).update('nb cell 1', seen);
    assert.match(written[0], /\] \d+\/100000000 loss/);
  });
});
