/**
 * Property test: value and gradient of 3,000 random expressions against
 * PyTorch float64 autograd (scripts/examples/expressions_torch.py, one Python
 * process for the whole batch). Needs Debian's python3-torch (.ci/run
 * installs it); without it the test fails saying so. The same expressions
 * through the compiled tape must give the graph's bits.
 */
import { strict as assert } from 'assert';
import { resolve } from 'path';
import { compileTape, mulberry32, type ExprTree } from '../../../src/engine';
import { ExpressionScope } from '../../../src/runtime/expressions';
import { runTorchOracle } from '../torchOracle';

const ORACLE = resolve(__dirname, '../../../../scripts/examples/expressions_torch.py');
const NAMES = ['x', 'y', 'z'];
const UNARY = ['exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'abs', 'step', 'sign'];

function randomTree(rand: () => number, depth: number): ExprTree {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  if (depth === 0 || rand() < 0.25) {
    if (rand() < 0.7) return { kind: 'name', name: pick(NAMES) };
    return { kind: 'number', value: Math.round((rand() * 6 - 3) * 100) / 100 };
  }
  const r = rand();
  const sub = (): ExprTree => randomTree(rand, depth - 1);
  if (r < 0.45)
    return { kind: 'binary', op: pick(['+', '-', '*', '/'] as const), left: sub(), right: sub() };
  if (r < 0.55) {
    const exponent: ExprTree =
      rand() < 0.6 ? { kind: 'number', value: pick([2, 3, 0.5, -1, 1.5]) } : sub();
    return { kind: 'binary', op: '^', left: sub(), right: exponent };
  }
  if (r < 0.62) return { kind: 'negate', operand: sub() };
  if (r < 0.7)
    return {
      kind: 'call',
      fn: pick(['max', 'min']),
      args: [sub(), rand() < 0.2 ? { kind: 'name', name: 'x' } : sub()],
    };
  return { kind: 'call', fn: pick(UNARY), args: [sub()] };
}

interface OracleResult {
  value: number | string;
  grad: Record<string, number | string | null>;
}
const decode = (v: number | string | null): number | null =>
  v === null
    ? null
    : v === 'nan'
      ? NaN
      : v === 'inf'
        ? Infinity
        : v === '-inf'
          ? -Infinity
          : (v as number);

function agree(ours: number, theirs: number): boolean {
  if (Number.isNaN(theirs) || Number.isNaN(ours)) return Number.isNaN(theirs) && Number.isNaN(ours);
  if (!Number.isFinite(theirs) || !Number.isFinite(ours)) return ours === theirs;
  return Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
}

interface Case {
  tree: ExprTree;
  values: Record<string, number>;
}

/** 3,000 random expressions over x, y, z and a point for each, from a fixed seed. */
function randomCases(): Case[] {
  const rand = mulberry32(15);
  return Array.from({ length: 3000 }, () => ({
    tree: randomTree(rand, 1 + Math.floor(rand() * 5)),
    values: Object.fromEntries(NAMES.map((n) => [n, Math.round((rand() * 6 - 3) * 1000) / 1000])),
  }));
}

/** f = c.tree in a scope holding x, y, z: its graph's value and gradient (null: no path). */
function graphOf(c: Case): { value: number; grad: (number | null)[] } {
  const scope = new ExpressionScope();
  for (const n of NAMES) scope.assign(n, { kind: 'number', value: c.values[n] }, '');
  const assigned = scope.assign('f', c.tree, '');
  assert.ok(assigned.ok);
  const g = scope.backward('f')!;
  const grad = NAMES.map((n) => {
    const at = g.index.get(scope.get(n)!.id);
    return at === undefined ? null : g.grad[at];
  });
  return { value: scope.get('f')!.value, grad };
}

describe('expression gradients against PyTorch float64 autograd (property test)', function () {
  this.timeout(120_000);

  it('3,000 random expressions over x, y, z: values and ∂/∂x, ∂/∂y, ∂/∂z agree', () => {
    const cases = randomCases();
    const oracle = runTorchOracle<OracleResult[]>([ORACLE], JSON.stringify(cases));
    assert.equal(oracle.length, cases.length);
    const failures: string[] = [];
    let finite = 0;
    cases.forEach((c, i) => {
      const { value, grad } = graphOf(c);
      const want = oracle[i];
      if (!agree(value, decode(want.value) as number))
        failures.push(`#${i} value ${value} vs ${String(want.value)}: ${JSON.stringify(c)}`);
      if (Number.isFinite(value)) finite++;
      NAMES.forEach((n, k) => {
        const ours = grad[k];
        const theirs = decode(want.grad[n]);
        // torch leaves .grad None where no path reaches; ours is then 0 or absent
        if (theirs === null) {
          if (ours !== null && ours !== 0) failures.push(`#${i} ∂/∂${n} ${ours} vs none`);
        } else if (!agree(ours ?? 0, theirs))
          failures.push(`#${i} ∂/∂${n} ${ours} vs ${theirs}: ${JSON.stringify(c)}`);
      });
    });
    assert.ok(
      finite > 2000,
      `only ${finite} of 3000 expressions have a finite value: the test would prove little`,
    );
    assert.deepEqual(failures.slice(0, 10), []);
  });

  it(
    'the same 3,000 through the compiled tape (what user activations and losses run): the ' +
      "graph's bits, value and every ∂",
    () => {
      const failures: string[] = [];
      const grad = new Float64Array(NAMES.length);
      randomCases().forEach((c, i) => {
        const compiled = compileTape(c.tree, NAMES);
        assert.ok(compiled.ok);
        const graph = graphOf(c);
        const args = NAMES.map((n) => c.values[n]);
        const value = compiled.tape.value(args);
        const recorded = compiled.tape.gradient(args, grad);
        if (!Object.is(value, graph.value) || !Object.is(recorded, graph.value))
          failures.push(`#${i} value ${value}, ${recorded} vs ${graph.value}`);
        NAMES.forEach((n, k) => {
          // no path from f to n: the graph has no ∂/∂n, the tape 0
          if (!Object.is(grad[k], graph.grad[k] ?? 0))
            failures.push(`#${i} ∂/∂${n} ${grad[k]} vs ${graph.grad[k]}: ${JSON.stringify(c)}`);
        });
      });
      assert.deepEqual(failures.slice(0, 10), []);
    },
  );
});
