/**
 * The recorded pass of a small net term by term, for the panel's pass animation: each node's
 * wij·ai and bj summed into zj, each hidden node's wij·δj[k+1] summed into ∂E/∂ai with its slope
 * g'(z) and δ, each output's ∂E/∂a, and per weight δ × a beside the engine's ∂E/∂w. Every number is
 * read from the records or is one product of two recorded numbers, formed as the engine's own loops
 * form it (so the terms add up to the recorded z and Σ). The lines each step of the animation
 * shows are written here too, as text and number parts: the views only draw them.
 */
import type { Network } from '../engine/network';
import { activationGradOf, backpropSum } from '../engine/passes';
import { names } from '../engine/notation';
import {
  encodeNumber as num,
  type NodeTrace,
  type PassTrace,
  type TraceTerm,
} from '../protocol/results';
import { activationLabel, rowIndex, type Records } from './present';
import { withNumbers } from '../protocol/text';

/**
 * Nets with more weights than this get no trace: the drawing names every edge only up to 64
 * (views/layout.ts EDGE_LABEL_LIMIT), and a pass over more edges is not one to watch edge by edge.
 */
export const TRACE_MAX_WEIGHTS = 64;

/** node j (1-based) of layer k as the drawing labels it, `2[1]` */
export const nodeLabel = (j: number, k: number) => `${j}[${k}]`;

/** One term before its lines: the weight (or bias), the node beyond it, its edge, its value. */
interface Term {
  param: string;
  node?: string;
  edge?: [string, string];
  value: number;
}

/**
 * The terms of the sum `left`, each with its own line (`w21[1]·x2 = 0.02`) and the sum so far
 * through it, by name then by value (`z1[2] = w11[1]·x1 + w21[1]·x2 = 0.0075 + 0.02`; a negative
 * term after the first is written − |t|).
 */
function withLines(left: string, terms: Term[]): TraceTerm[] {
  const name = (t: Term) => (t.node ? `${t.param}·${t.node}` : t.param);
  return terms.map((t, m) => {
    const so = terms.slice(0, m + 1);
    return {
      param: t.param,
      ...(t.node ? { node: t.node } : {}),
      ...(t.edge ? { edge: t.edge } : {}),
      value: num(t.value),
      says: withNumbers([`${name(t)} = `, t.value]),
      sum: withNumbers([
        `${left} = ${so.map(name).join(' + ')} = `,
        ...so.flatMap((x, i) =>
          i === 0 ? [x.value] : [x.value < 0 ? ' − ' : ' + ', Math.abs(x.value)],
        ),
      ]),
    };
  });
}

/** Row s's (0-based) value of node j (0-based) of layer k, in a record of every row. */
const rowValue = (net: Network, s: number) => (values: Float64Array[], k: number, j: number) =>
  values[k][s * net.sizes[k - 1] + j];

/**
 * The trace of row `row` (1-based, held to the rows there were) of the last recorded pass
 * (undefined without a forward, or for a bigger net).
 */
export function passTrace(net: Network, rec: Records, row = 1): PassTrace | undefined {
  const { fwd, back } = rec;
  if (!fwd || net.weights.reduce((n, w) => n + w.length, 0) > TRACE_MAX_WEIGHTS) return undefined;
  const s = rowIndex(rec, row);
  const at = rowValue(net, s);
  // the parameters the forward pass used: after an update, the recorded old ones (any other change
  // of a parameter drops the records)
  const weights = rec.upd?.oldWeights ?? net.weights;
  const biases = rec.upd?.oldBiases ?? net.biases;
  const n = net.layerCount;
  const nodes: NodeTrace[][] = [];
  for (let k = 1; k <= n; k++) {
    const nk = net.sizes[k - 1];
    const layer: NodeTrace[] = [];
    for (let j = 0; j < nk; j++) {
      const node: NodeTrace = { node: nodeLabel(j + 1, k), forward: [], a: num(at(fwd.a, k, j)) };
      if (k > 1) {
        const nFrom = net.sizes[k - 2];
        const terms: Term[] = [];
        for (let i = 0; i < nFrom; i++)
          terms.push({
            param: names.w(k - 1, i + 1, j + 1),
            node: names.a(k - 1, i + 1),
            edge: [nodeLabel(i + 1, k - 1), nodeLabel(j + 1, k)],
            value: weights[k - 2][j * nFrom + i] * at(fwd.a, k - 1, i),
          });
        if (net.hasBias(k)) terms.push({ param: names.b(k, j + 1), value: biases[k - 2][j] });
        const z = names.z(k, j + 1),
          a = names.a(k, j + 1);
        node.forward = withLines(z, terms);
        node.z = num(at(fwd.z, k, j));
        const g = activationLabel(net.spec.activations[k - 2]);
        node.lines = {
          za: withNumbers([`${z} = `, at(fwd.z, k, j), `, ${a} = ${g}(${z}) = `, at(fwd.a, k, j)]),
        };
      }
      if (back && k > 1) backwardOf(net, rec, s, k, j, node);
      layer.push(node);
    }
    nodes.push(layer);
  }
  const trace: PassTrace = { nodes, rows: fwd.batchSize, row: s + 1 };
  if (back) {
    trace.reduction = back.reduction;
    const rows = fwd.batchSize;
    if (rows > 1)
      trace.note = withNumbers([
        `The animation follows row ${trace.row} of the ${rows} rows of the batch; ∂E/∂w is the ` +
          `${back.reduction} over all ${rows}.`,
      ]);
    trace.gradients = [];
    for (let k = n - 1; k >= 1; k--) {
      const nFrom = net.sizes[k - 1],
        nTo = net.sizes[k];
      for (let j = 0; j < nTo; j++)
        for (let i = 0; i < nFrom; i++) {
          const delta = at(back.delta, k + 1, j),
            a = at(fwd.a, k, i),
            value = back.weightGrad[k - 1][j * nFrom + i];
          const param = names.w(k, i + 1, j + 1),
            deltaName = names.delta(k + 1, j + 1),
            aName = names.a(k, i + 1);
          const pieces: (string | number)[] = [
            `∂E/∂${param} = ${deltaName} · ${aName} = `,
            delta,
            ' · ',
            a,
            ' = ',
            delta * a,
          ];
          if (rows > 1)
            pieces.push(
              ` in row ${trace.row}; over the ${rows} rows (${back.reduction}) ∂E/∂${param} = `,
              value,
            );
          trace.gradients.push({
            param,
            edge: [nodeLabel(i + 1, k), nodeLabel(j + 1, k + 1)],
            deltaName,
            aName,
            delta: num(delta),
            a: num(a),
            product: num(delta * a),
            value: num(value),
            line: withNumbers(pieces),
          });
        }
    }
  }
  return trace;
}

/**
 * Node j (0-based) of layer k in row s (0-based): the output's ∂E/∂a, or a hidden node's terms
 * wij[k]·δj[k+1] and Σ; g'(z) and δ, with their lines.
 */
function backwardOf(
  net: Network,
  rec: Records,
  s: number,
  k: number,
  j: number,
  node: NodeTrace,
): void {
  const fwd = rec.fwd!,
    back = rec.back!;
  const n = net.layerCount;
  const nk = net.sizes[k - 1],
    nNext = net.sizes[k];
  const at = rowValue(net, s);
  const z = at(fwd.z, k, j),
    a = at(fwd.a, k, j),
    delta = at(back.delta, k, j);
  const g = net.activationDefs[k - 2];
  const zName = names.z(k, j + 1),
    dName = names.delta(k, j + 1);
  // softmax couples the outputs: its δ is no one node's slope times ∂E/∂a
  const slope = g.shape === 'element' ? g.slope(z, a, net.alphas[k - 2]) : undefined;
  if (slope !== undefined) node.slope = num(slope);
  node.delta = num(delta);
  const lines = (node.lines ??= {});
  if (k === n) {
    const dEda = activationGradOf(net, fwd, back, k, j, s);
    node.dEda = num(dEda);
    lines.delta =
      slope !== undefined
        ? withNumbers([
            `${dName} = ∂E/∂${names.a(k, j + 1)} · g'(${zName}) = `,
            dEda,
            ' · ',
            slope,
            ' = ',
            delta,
          ])
        : withNumbers([`${dName} = `, delta, ' (softmax couples the outputs: explain shows how)']);
    return;
  }
  const w = back.weightsUsed[k - 1];
  node.backward = withLines(
    'Σ',
    Array.from({ length: nNext }, (_, q) => ({
      param: names.w(k, j + 1, q + 1),
      node: names.delta(k + 1, q + 1),
      edge: [nodeLabel(j + 1, k), nodeLabel(q + 1, k + 1)] as [string, string],
      value: w[q * nk + j] * at(back.delta, k + 1, q),
    })),
  );
  const sum = backpropSum(w, back.delta[k + 1], nk, nNext, s, j);
  node.sum = num(sum);
  lines.sum = withNumbers([`Σ = Σq w${j + 1}q[${k}]·δq[${k + 1}] = `, sum]);
  if (slope !== undefined)
    lines.delta = withNumbers([`${dName} = g'(${zName}) · Σ = `, slope, ' · ', sum, ' = ', delta]);
}
