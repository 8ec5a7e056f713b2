/**
 * The recorded pass of a small net term by term, for the panel's pass animation: each node's
 * wij·ai and bj summed into zj, each hidden node's wij·δj[k+1] summed into ∂E/∂ai with its slope
 * g'(z) and δ, each output's ∂E/∂a, and per weight δ × a beside the engine's ∂E/∂w. Every number is
 * read from the records or is one product of two recorded numbers, formed as the engine's own loops
 * form it (so the terms add up to the recorded z and Σ); the views only draw them.
 */
import type { Network } from '../engine/network';
import { activationGradOf, backpropSum } from '../engine/passes';
import { names } from '../engine/notation';
import { encodeNumber as num, type NodeTrace, type PassTrace } from '../protocol/results';
import type { Records } from './present';

/**
 * Nets with more weights than this get no trace: the drawing names every edge only up to 64
 * (views/layout.ts EDGE_LABEL_LIMIT), and a pass over more edges is not one to watch edge by edge.
 */
export const TRACE_MAX_WEIGHTS = 64;

/** node j (1-based) of layer k as the drawing labels it, `2[1]` */
const nodeLabel = (j: number, k: number) => `${j}[${k}]`;

/**
 * The trace of the first row of the last recorded pass (undefined without a forward, or for a
 * bigger net).
 */
export function passTrace(net: Network, rec: Records): PassTrace | undefined {
  const { fwd, back } = rec;
  if (!fwd || net.weights.reduce((n, w) => n + w.length, 0) > TRACE_MAX_WEIGHTS) return undefined;
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
      const node: NodeTrace = { node: nodeLabel(j + 1, k), forward: [], a: num(fwd.a[k][j]) };
      if (k > 1) {
        const nFrom = net.sizes[k - 2];
        for (let i = 0; i < nFrom; i++)
          node.forward.push({
            param: names.w(k - 1, i + 1, j + 1),
            node: names.a(k - 1, i + 1),
            edge: [nodeLabel(i + 1, k - 1), nodeLabel(j + 1, k)],
            value: num(weights[k - 2][j * nFrom + i] * fwd.a[k - 1][i]),
          });
        if (net.hasBias(k))
          node.forward.push({ param: names.b(k, j + 1), value: num(biases[k - 2][j]) });
        node.z = num(fwd.z[k][j]);
      }
      if (back && k > 1) backwardOf(net, rec, k, j, node);
      layer.push(node);
    }
    nodes.push(layer);
  }
  const trace: PassTrace = { nodes, rows: fwd.batchSize, row: 1 };
  if (back) {
    trace.reduction = back.reduction;
    trace.gradients = [];
    for (let k = n - 1; k >= 1; k--) {
      const nFrom = net.sizes[k - 1],
        nTo = net.sizes[k];
      for (let j = 0; j < nTo; j++)
        for (let i = 0; i < nFrom; i++) {
          const delta = back.delta[k + 1][j],
            a = fwd.a[k][i];
          trace.gradients.push({
            param: names.w(k, i + 1, j + 1),
            edge: [nodeLabel(i + 1, k), nodeLabel(j + 1, k + 1)],
            deltaName: names.delta(k + 1, j + 1),
            aName: names.a(k, i + 1),
            delta: num(delta),
            a: num(a),
            product: num(delta * a),
            value: num(back.weightGrad[k - 1][j * nFrom + i]),
          });
        }
    }
  }
  return trace;
}

/**
 * Node j (0-based) of layer k: the output's ∂E/∂a, or a hidden node's terms wij[k]·δj[k+1] and Σ;
 * g'(z) and δ.
 */
function backwardOf(net: Network, rec: Records, k: number, j: number, node: NodeTrace): void {
  const fwd = rec.fwd!,
    back = rec.back!;
  const n = net.layerCount;
  const z = fwd.z[k][j],
    a = fwd.a[k][j];
  const g = net.activationDefs[k - 2];
  if (k === n) node.dEda = num(activationGradOf(net, fwd, back, k, j, 0));
  else {
    const nk = net.sizes[k - 1],
      nNext = net.sizes[k];
    const w = back.weightsUsed[k - 1];
    node.backward = Array.from({ length: nNext }, (_, q) => ({
      param: names.w(k, j + 1, q + 1),
      node: names.delta(k + 1, q + 1),
      edge: [nodeLabel(j + 1, k), nodeLabel(q + 1, k + 1)],
      value: num(w[q * nk + j] * back.delta[k + 1][q]),
    }));
    node.sum = num(backpropSum(w, back.delta[k + 1], nk, nNext, 0, j));
  }
  // softmax couples the outputs: its δ is no one node's slope times ∂E/∂a
  if (g.shape === 'element') node.slope = num(g.slope(z, a, net.alphas[k - 2]));
  node.delta = num(back.delta[k][j]);
}
