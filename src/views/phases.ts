/**
 * Phase stepping for one sample: forward layer by layer → error → output deltas → hidden deltas
 * → gradients → update. Each phase names the nodes and edges it touches and the numbers it
 * produced, read from a snapshot's recorded values. Pure.
 */
import { NetworkSnapshot, Num } from '../protocol/results';
import { shownNumber } from '../protocol/text';
import { biasName, nodeName, one, weightName } from './names';
import { pushAll } from '../protocol/extent';

export interface Phase {
  /** which part of the pass: the animation (passSteps.ts) finds this phase's moments by it */
  stage: 'inputs' | 'forward' | 'error' | 'output' | 'hidden' | 'gradients' | 'update';
  /** the layer a forward or hidden-delta phase computes */
  layer?: number;
  title: string;
  /** what happens in this phase, in the seed's notation */
  rule: string;
  nodes: string[];
  params: string[];
  /** [name, value] pairs this phase produced (capped for big layers) */
  numbers: [string, string][];
  /** how many numbers the phase produced in all */
  total: number;
}

const CAP = 24;

function capped(pairs: [string, Num | undefined][]): {
  numbers: [string, string][];
  total: number;
} {
  const present = pairs.filter((p): p is [string, Num] => p[1] !== undefined);
  return {
    numbers: present.slice(0, CAP).map(([n, v]) => [n, shownNumber(v)]),
    total: present.length,
  };
}

const layerNodes = (s: NetworkSnapshot, k: number) =>
  Array.from({ length: s.sizes[k - 1] }, (_, j) => nodeName(j + 1, k));

function gapParams(s: NetworkSnapshot, k: number, limit = 4000): string[] {
  const out: string[] = [];
  for (let i = 1; i <= s.sizes[k - 1] && out.length < limit; i++)
    for (let j = 1; j <= s.sizes[k] && out.length < limit; j++) out.push(weightName(i, j, k));
  return out;
}

export function phases(s: NetworkSnapshot): Phase[] {
  const n = s.sizes.length;
  const out: Phase[] = [];
  if (!s.a) return out;
  out.push({
    stage: 'inputs',
    title: 'Inputs',
    rule: 'aj[1] = xj',
    nodes: layerNodes(s, 1),
    params: [],
    ...capped(layerNodes(s, 1).map((_, j) => [one('x', j + 1), s.a?.[0]?.[j]])),
  });
  for (let k = 2; k <= n; k++) {
    const pairs: [string, Num | undefined][] = [];
    for (let j = 1; j <= s.sizes[k - 1]; j++) {
      pairs.push([`${one('z', j)}[${k}]`, s.z?.[k - 1]?.[j - 1]]);
      pairs.push([`${one('a', j)}[${k}]`, s.a?.[k - 1]?.[j - 1]]);
    }
    out.push({
      stage: 'forward',
      layer: k,
      title: `Forward: layer L${k}`,
      rule:
        `zj[${k}] = Σi wij[${k - 1}]·ai[${k - 1}] + bj[${k}],  aj[${k}] = g(zj[${k}]) with g ` +
        `= ${s.activations[k - 2]}`,
      nodes: layerNodes(s, k),
      params: gapParams(s, k - 1),
      ...capped(pairs),
    });
  }
  if (s.loss !== undefined)
    out.push({
      stage: 'error',
      title: 'Error',
      // the runtime's label says what E is (`E = ½·Σ(a − t)², mean over 4 rows`)
      rule: s.lossLabel ?? `E of the outputs aj[${n}] against the targets tj`,
      nodes: layerNodes(s, n),
      params: [],
      numbers: [['E', shownNumber(s.loss)]],
      total: 1,
    });
  if (!s.delta) return out;
  out.push({
    stage: 'output',
    layer: n,
    title: 'Output deltas',
    rule: `δj[${n}] = ∂E/∂aj[${n}] · g'(zj[${n}])`,
    nodes: layerNodes(s, n),
    params: [],
    ...capped(layerNodes(s, n).map((_, j) => [`${one('δ', j + 1)}[${n}]`, s.delta?.[n - 1]?.[j]])),
  });
  for (let k = n - 1; k >= 2; k--) {
    out.push({
      stage: 'hidden',
      layer: k,
      title: `Hidden deltas: layer L${k}`,
      rule: `δi[${k}] = g'(zi[${k}]) · Σj wij[${k}]·δj[${k + 1}]  (weights before the update)`,
      nodes: layerNodes(s, k),
      params: gapParams(s, k),
      ...capped(
        layerNodes(s, k).map((_, j) => [`${one('δ', j + 1)}[${k}]`, s.delta?.[k - 1]?.[j]]),
      ),
    });
  }
  if (s.weightGrad) {
    const pairs: [string, Num | undefined][] = [];
    const params: string[] = [];
    for (let k = 1; k < n; k++) {
      pushAll(params, gapParams(s, k));
      for (let i = 1; i <= s.sizes[k - 1] && pairs.length < 10 * CAP; i++)
        for (let j = 1; j <= s.sizes[k]; j++)
          pairs.push([`∂E/∂${weightName(i, j, k)}`, s.weightGrad[k - 1]?.[i - 1]?.[j - 1]]);
    }
    s.biasGrad?.forEach((layer, idx) =>
      layer.forEach((g, j) => pairs.push([`∂E/∂${biasName(j + 1, idx + 2)}`, g])),
    );
    const total =
      s.weightGrad.reduce((sum, m) => sum + m.length * (m[0]?.length ?? 0), 0) +
      (s.biasGrad?.reduce((sum, l) => sum + l.length, 0) ?? 0);
    out.push({
      stage: 'gradients',
      title: 'Gradients',
      rule: '∂E/∂wij[k] = δj[k+1] · ai[k],  ∂E/∂bj[k] = δj[k]',
      nodes: [],
      params,
      numbers: capped(pairs).numbers,
      total,
    });
    if (s.lr !== undefined)
      out.push({
        stage: 'update',
        title: 'Update',
        rule: `wij[k] ← wij[k] − η · ∂E/∂wij[k] with η = ${shownNumber(s.lr)}`,
        nodes: [],
        params,
        numbers: [['η', shownNumber(s.lr)]],
        total: 1,
      });
  }
  return out;
}
