/**
 * The facts about a cell that the VS Code glue and the CLI need come from the AST and the
 * runtime, not from regexes over the text: which networks a cell shows (stale marking),
 * where the first backward pass is (the code lens), where each failed expectation is written.
 */
import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { RUNNERS, firstPass } from '../../../src/runtime/statements';
import { Session } from '../../../src/runtime/session';
import type { RunHost } from '../../../src/runtime/types';

const host = (): RunHost => ({ isCancelled: () => false, yieldNow: async () => {}, now: () => 0 });

describe('cell facts from the AST', () => {
  it(
    'the runners that rebuild (network, bias, loss) are exactly the statements that replace the ' +
      'network object',
    async () => {
      const s = new Session();
      const cells = [
        'network a 2 -> 3 sigmoid -> 1 sigmoid',
        'input x = [1, 2]\ntarget t = [1]\nforward\nbackward',
        'w11[1] = 0.5\ninit xavier seed 3\nweights [2] = [[1], [2], [3]]',
        // the controller's regex (/^\s*network\b/m) missed these two: the runtime rebuilds on both
        'bias off',
        'loss mse',
        'freeze w11[1]',
        'train epochs 2 lr 0.1',
        '# network in a comment\nshow weights',
        'x = 2\ny = x * x\nbackward y',
      ];
      for (const text of cells) {
        const before = s.inspect()?.net;
        const run = await s.runCell(text, host());
        assert.equal(run.ok, true, `${text}: ${JSON.stringify(run.problems)}`);
        const rebuilds = parse(text).program.statements.some((st) => RUNNERS[st.kind].rebuilds);
        assert.equal(s.inspect()?.net !== before, rebuilds, `${text}: the network object changed`);
      }
    },
  );

  it(
    'a cell is stale when a later cell rebuilt or redefined a network it shows, not when another ' +
      'network is defined or used',
    async () => {
      const s = new Session();
      const shows: Record<string, number[]> = {};
      const cell = async (name: string, text: string) => {
        const run = await s.runCell(text, host());
        assert.equal(run.ok, true, `${text}: ${JSON.stringify(run.problems)}`);
        shows[name] = run.shows;
      };
      const stale = () => Object.keys(shows).filter((k) => shows[k].some((n) => s.rebuiltSince(n)));
      await cell(
        'a',
        'network a 2 -> 3 sigmoid -> 1 sigmoid\ninput x = [1, 2]\ntarget t = [1]\nforward',
      );
      await cell('b', 'network b 2 -> 1 sigmoid\ninput x = [1, 2]\nforward');
      // b is defined and current: a's numbers still hold (the controller used to mark a stale)
      assert.deepEqual(stale(), []);
      await cell('graph', 'x = 2\ny = x * x\nbackward y');
      assert.deepEqual(shows.graph, [], 'a cell of graphs only shows no network');
      await cell('use a', 'use a\nshow w11[1]');
      assert.deepEqual(stale(), []);
      await cell('bias', 'bias off');
      assert.deepEqual(stale(), ['a', 'use a']);
      await cell('train a', 'train epochs 1 lr 0.1');
      assert.deepEqual(stale(), ['a', 'use a'], 'training changes the weights, not the network');
      await cell('b again', 'network b 2 -> 2 sigmoid');
      assert.deepEqual(stale(), ['a', 'b', 'use a']);
      assert.equal(shows['b again'].length, 1);
    },
  );

  it('a cell that fails validation shows no network', async () => {
    const run = await new Session().runCell('network 2 -> 3 sigmoid -> 1 sigmoid\nforwrd', host());
    assert.equal(run.ok, false);
    assert.deepEqual(run.shows, []);
  });

  it(
    'firstPass finds the first backward, step or train statement, not a graph ' + '`backward NAME`',
    () => {
      const at = (text: string) => {
        const s = firstPass(parse(text).program);
        return s && { kind: s.kind, text: text.slice(s.span.start, s.span.end) };
      };
      // the code lens's regex (/^\s*(backward|train|step)\b/) matched `backward y` here
      assert.equal(at('x = 2\ny = x * x\nbackward y'), undefined);
      assert.deepEqual(at('# backward first\nforward\n  backward\ntrain epochs 2'), {
        kind: 'backward',
        text: 'backward',
      });
      assert.deepEqual(at('dataset xor\ntrain epochs 5 lr 0.5'), {
        kind: 'train',
        text: 'train epochs 5 lr 0.5',
      });
      assert.deepEqual(at('step lr 0.1'), { kind: 'step', text: 'step lr 0.1' });
      assert.equal(at('forward\nshow deltas'), undefined);
    },
  );

  it(
    'failed expectations carry the span of the statement that made them, graph ' + 'ones included',
    async () => {
      const s = new Session();
      const text = [
        'network 2 -> 1 sigmoid',
        'bias off',
        'weights [1] = [[0], [0]]',
        'input x = [1, 1]',
        'target t = [1]',
        'u = 2',
        'expect u = 3', // a computation-graph expect that fails
        'forward',
        'expect a1[2] = 0.5', // holds: σ(0) = 0.5
        'expect E < 0', // fails
      ].join('\n');
      const run = await s.runCell(text, host());
      assert.equal(run.expectations.total, 3);
      assert.equal(run.expectations.failed, 2);
      // matching expect items to `expect` statements by order (the CLI's old way) put the graph
      // expect's failure on line 9 and the E < 0 failure at the start of the cell
      assert.deepEqual(
        run.failedExpectations.map((f) => [f.item.quantity, text.slice(f.span.start, f.span.end)]),
        [
          ['u', 'expect u = 3'],
          ['E', 'expect E < 0'],
        ],
      );
    },
  );
});

describe('values recorded as each statement left them (inlay hints, hovers)', () => {
  it('a quantity written twice in a cell has the value of its own line', async () => {
    const s = new Session();
    const text = [
      'network 1 -> 1 identity',
      'bias off',
      'loss half-squared',
      'w11[1] = 2',
      'input x = [3]',
      'target t = [0]',
      'forward',
      'show a1[2]',
      'backward',
      'show dE/dw11[1]',
      'w11[1] = 5',
      'forward',
      'show a1[2]',
      'show E',
    ].join('\n');
    const run = await s.runCell(text, host());
    assert.equal(run.ok, true, JSON.stringify(run.problems));
    const at = (line: number) => {
      const start = text.split('\n').slice(0, line).join('\n').length + 1 + 'show '.length;
      return run.values.find((v) => v.start === start)?.value;
    };
    // by hand: a = w·x; E = ½(a − t)²; ∂E/∂w = (a − t)·x
    assert.equal(at(7), 6, 'a1[2] = 2·3 before the second assignment');
    assert.equal(at(9), 18, 'dE/dw11[1] = (6 − 0)·3');
    assert.equal(at(12), 15, 'a1[2] = 5·3 after it');
    assert.equal(at(13), 112.5, 'E = ½·15²');
    assert.equal(run.values.find((v) => v.start === text.indexOf('w11[1] = 5'))?.value, 5);
  });

  it('a statement that failed, and those after it, record nothing', async () => {
    const s = new Session();
    const text = 'network 1 -> 1 identity\nw11[1] = 2\nforward\nshow w11[1]'; // no input: BPNB301
    const run = await s.runCell(text, host());
    assert.equal(run.ok, false);
    assert.deepEqual(
      run.values.map((v) => [v.start, v.value]),
      [[text.indexOf('w11[1]'), 2]],
    );
  });
});
