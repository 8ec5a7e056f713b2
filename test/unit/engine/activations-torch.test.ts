/**
 * The new activations against independent references, in one Python process: PyTorch float64
 * (torch.nn.functional gelu (exact, erf), silu, softplus, elu and their autograd derivatives) and
 * C's libm (math.erf, math.erfc) for the engine's erf. Needs Debian's python3-torch (.ci/run
 * installs it); fails saying so when it is missing.
 */
import * as assert from 'node:assert/strict';
import { ACTIVATIONS, erf, erfc, type ElementwiseActivation } from '../../../src/engine';
import { runTorchOracle } from '../torchOracle';

const SCRIPT = `
import json, math, sys
import torch
import torch.nn.functional as F
zs = json.loads(sys.argv[1])
out = {'erf': [math.erf(z) for z in zs], 'erfc': [math.erfc(z) for z in zs]}
fns = {
  'gelu': lambda z: F.gelu(z),  # approximate='none': z·Φ(z) with erf
  'silu': F.silu,
  'softplus': lambda z: F.softplus(z, beta=1, threshold=1e300),  # no linear cut-off
  'elu': lambda z: F.elu(z, alpha=1.0),
  'elu(0.5)': lambda z: F.elu(z, alpha=0.5),
}
for name, f in fns.items():
  z = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
  a = f(z)
  a.sum().backward()
  out[name] = {'value': a.tolist(), 'slope': z.grad.tolist()}
print(json.dumps(out))
`;

// z on a grid from −12 to 12 (including 0 and the erf/erfc switches), and some awkward points
const zs = [
  ...Array.from({ length: 481 }, (_, i) => -12 + i * 0.05),
  1e-300,
  -1e-300,
  1e-8,
  -1e-8,
  0.7071067811865476,
  -1.4142135623730951,
  30,
  -30,
].map((z) => Number(z.toPrecision(15)));

function reference(): Record<string, { value: number[]; slope: number[] } | number[]> {
  return runTorchOracle(['-c', SCRIPT, JSON.stringify(zs)]);
}

/** the worst |ours − ref| / max(1, |ref|) over the grid, with where it is */
function worst(ours: (z: number) => number, ref: number[]): { error: number; at: number } {
  let error = 0,
    at = NaN;
  zs.forEach((z, i) => {
    const e = Math.abs(ours(z) - ref[i]) / Math.max(1, Math.abs(ref[i]));
    if (e > error || Number.isNaN(e)) [error, at] = [Number.isNaN(e) ? Infinity : e, z];
  });
  return { error, at };
}

describe('engine: gelu, silu, softplus, elu and erf against PyTorch float64 and libm', function () {
  this.timeout(120_000);
  let ref: ReturnType<typeof reference>;
  before(() => {
    ref = reference();
  });

  it('erf and erfc agree with libm to 1e-15 (relative, erfc in its tails too)', () => {
    const e = worst(erf, ref.erf as number[]);
    assert.ok(e.error <= 1e-15, `erf off by ${e.error} at ${e.at}`);
    const erfcRef = ref.erfc as number[];
    zs.forEach((z, i) => {
      const rel = Math.abs(erfc(z) - erfcRef[i]) / erfcRef[i];
      if (erfcRef[i] > 1e-300) assert.ok(rel <= 5e-15, `erfc(${z}): ${erfc(z)} vs ${erfcRef[i]}`);
    });
  });

  const cases: [string, keyof typeof ACTIVATIONS, number][] = [
    ['gelu', 'gelu', 0],
    ['silu', 'silu', 0],
    ['softplus', 'softplus', 0],
    ['elu', 'elu', 1],
    ['elu(0.5)', 'elu', 0.5],
  ];
  for (const [name, kind, alpha] of cases) {
    it(`${name}: g(z) and g'(z) agree with PyTorch to 2e-15 (of max(1, |value|))`, () => {
      const g = ACTIVATIONS[kind] as ElementwiseActivation;
      const r = ref[name] as { value: number[]; slope: number[] };
      const value = worst((z) => g.value(z, alpha), r.value);
      assert.ok(value.error <= 2e-15, `g off by ${value.error} at z = ${value.at}`);
      const slope = worst((z) => g.slope(z, g.value(z, alpha), alpha), r.slope);
      assert.ok(slope.error <= 2e-15, `g' off by ${slope.error} at z = ${slope.at}`);
    });
  }
});
