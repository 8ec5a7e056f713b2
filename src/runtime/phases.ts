/**
 * Phase stepping for the recorded pass (its row `row`): forward layer by layer → error → output
 * deltas → hidden deltas → gradients → update. Each phase says what it computes in the seed's
 * notation, with the activation's g and g' from its record and the loss's label, names the nodes
 * and edges it touches and the numbers it produced, read from the snapshot. The panel only draws
 * them.
 */
import { activationDef } from '../engine/activations';
import type { Network } from '../engine/network';
import { outputSample } from '../engine/passes';
import type { QuantityRef } from '../language/ast';
import { quantityLabel as q } from '../language/quantity';
import type { NetworkSnapshot, Num, PassPhase } from '../protocol/results';
import { pushAll } from '../protocol/extent';
import { plain as text } from '../protocol/text';
import type { Records } from './present';
import { nodeLabel } from './trace';

/** Numbers a phase lists (a big layer's: the first of them, with how many in all). */
export const PHASE_NUMBERS = 24;
/** Edges a phase names for the highlight, per layer gap. */
export const PHASE_EDGES = 4000;

type Pair = [string, Num | undefined];

function capped(pairs: Pair[]): { numbers: [string, Num][]; total: number } {
  const present = pairs.filter((p): p is [string, Num] => p[1] !== undefined);
  return { numbers: present.slice(0, PHASE_NUMBERS), total: present.length };
}

const layerNodes = (net: Network, k: number) =>
  Array.from({ length: net.sizes[k - 1] }, (_, j) => nodeLabel(j + 1, k));

/** the value of one node's quantity in layer k, from a per-layer list of the snapshot */
const perNode = (net: Network, k: number, kind: QuantityRef['kind'], values?: Num[][]): Pair[] =>
  Array.from({ length: net.sizes[k - 1] }, (_, j) => [
    q({ kind, node: j + 1, layer: k } as QuantityRef),
    values?.[k - 1]?.[j],
  ]);

/** the weights wij[k] from layer k to k+1 (the first PHASE_EDGES) */
function gapParams(net: Network, k: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= net.sizes[k - 1] && out.length < PHASE_EDGES; i++)
    for (let j = 1; j <= net.sizes[k] && out.length < PHASE_EDGES; j++)
      out.push(q({ kind: 'weight', from: i, to: j, layer: k }));
  return out;
}

/**
 * `, g(z) = 1/(1 + e^−z)` or `, g'(z) = a·(1 − a)` from layer k's activation record: a built-in's
 * formula; of the user's own activation (whose formulas are in its parameter's name), g' written
 * in z as derivations write it, and no g (its label names it); no g' for softmax.
 */
function formulaOf(net: Network, k: number, which: 'g' | 'slope'): string {
  const g = net.activationDefs[k - 2];
  if (which === 'slope' && g.shape !== 'element') return '';
  if (activationDef(g.kind) === g)
    return `, ${which === 'g' ? 'g' : "g'"}(z) = ${g.formula[which]}`;
  return which === 'slope' && g.shape === 'element'
    ? `, g'(z) = ${g.slopeText('a', 'z', net.alphas[k - 2])}`
    : '';
}

/**
 * δj of an output node: ∂E/∂aj from the loss's record (in aj and tj, as explain writes it) times g'
 * from the activation's, or the softmax's coupling
 */
function outputRule(net: Network, rec: Records, s: NetworkSnapshot, n: number): string {
  if (net.activationDefs[n - 2].shape !== 'element')
    return `δj[${n}] = ∂E/∂zj[${n}]: softmax couples the outputs (explain shows how)`;
  const def = net.lossDef;
  const dEda =
    def.ofNode || !rec.fwd || !rec.back
      ? ''
      : `, ∂E/∂aj[${n}] = ` +
        def.slopeText(
          `aj[${n}]`,
          'tj',
          net.sizes[n - 1],
          0,
          outputSample(net, rec.fwd, rec.back.targets, (s.row ?? 1) - 1),
        );
  return `δj[${n}] = ∂E/∂aj[${n}] · g'(zj[${n}])${dEda}${formulaOf(net, n, 'slope')}`;
}

/** The phases of the snapshot's recorded pass (none without a forward pass). */
export function passPhases(net: Network, rec: Records, s: NetworkSnapshot): PassPhase[] {
  const n = net.layerCount;
  const out: PassPhase[] = [];
  if (!s.a) return out;
  out.push({
    stage: 'inputs',
    title: 'Inputs',
    rule: text('aj[1] = xj'),
    nodes: layerNodes(net, 1),
    params: [],
    ...capped(
      Array.from({ length: net.sizes[0] }, (_, j) => [
        q({ kind: 'input', node: j + 1 }),
        s.a?.[0]?.[j],
      ]),
    ),
  });
  for (let k = 2; k <= n; k++) {
    const z = perNode(net, k, 'preActivation', s.z),
      a = perNode(net, k, 'activation', s.a);
    out.push({
      stage: 'forward',
      layer: k,
      title: `Forward: layer L${k}`,
      rule: text(
        `zj[${k}] = Σi wij[${k - 1}]·ai[${k - 1}]${net.hasBias(k) ? ` + bj[${k}]` : ''},  ` +
          `aj[${k}] = g(zj[${k}]) with g = ${s.activations[k - 2]}${formulaOf(net, k, 'g')}`,
      ),
      nodes: layerNodes(net, k),
      params: gapParams(net, k - 1),
      ...capped(z.flatMap((p, j) => [p, a[j]])),
    });
  }
  if (s.loss !== undefined)
    out.push({
      stage: 'error',
      title: 'Error',
      // the loss's label says what E is (`E = ½·Σ(a − t)², mean over 4 rows`)
      rule: text(s.lossLabel ?? `E of the outputs aj[${n}] against the targets tj`),
      nodes: layerNodes(net, n),
      params: [],
      numbers: [['E', s.loss]],
      total: 1,
    });
  if (!s.delta) return out;
  out.push({
    stage: 'output',
    layer: n,
    title: 'Output deltas',
    rule: text(outputRule(net, rec, s, n)),
    nodes: layerNodes(net, n),
    params: [],
    ...capped(perNode(net, n, 'delta', s.delta)),
  });
  for (let k = n - 1; k >= 2; k--)
    out.push({
      stage: 'hidden',
      layer: k,
      title: `Hidden deltas: layer L${k}`,
      rule: text(
        `δi[${k}] = g'(zi[${k}]) · Σj wij[${k}]·δj[${k + 1}]${formulaOf(net, k, 'slope')}  ` +
          '(weights before the update)',
      ),
      nodes: layerNodes(net, k),
      params: gapParams(net, k),
      ...capped(perNode(net, k, 'delta', s.delta)),
    });
  if (!s.weightGrad) return out;
  const pairs: Pair[] = [];
  const params: string[] = [];
  let total = 0;
  for (let k = 1; k < n; k++) {
    pushAll(params, gapParams(net, k));
    total += net.sizes[k - 1] * net.sizes[k];
    for (let i = 1; i <= net.sizes[k - 1] && pairs.length < PHASE_NUMBERS; i++)
      for (let j = 1; j <= net.sizes[k]; j++)
        pairs.push([
          q({ kind: 'weightGrad', from: i, to: j, layer: k }),
          s.weightGrad[k - 1]?.[i - 1]?.[j - 1],
        ]);
  }
  const biased = net.sizes.slice(1).some((_, m) => net.hasBias(m + 2));
  s.biasGrad?.forEach((layer, m) => {
    total += layer.length;
    layer.forEach((g, j) => pairs.push([q({ kind: 'biasGrad', node: j + 1, layer: m + 2 }), g]));
  });
  const rows = s.rows ?? 1;
  out.push({
    stage: 'gradients',
    title: 'Gradients',
    rule: text(
      `∂E/∂wij[k] = δj[k+1] · ai[k]${biased ? ',  ∂E/∂bj[k] = δj[k]' : ''}` +
        (rows > 1 ? `, the ${net.reduction} over the ${rows} rows` : ''),
    ),
    nodes: [],
    params,
    numbers: capped(pairs).numbers,
    total,
  });
  if (s.lr !== undefined)
    out.push({
      stage: 'update',
      title: 'Update',
      rule: [{ text: 'wij[k] ← wij[k] − η · ∂E/∂wij[k] with η = ' }, { num: s.lr }],
      nodes: [],
      params,
      numbers: [['η', s.lr]],
      total: 1,
    });
  return out;
}
