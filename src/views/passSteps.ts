/**
 * The pass as a sequence of moments, for the panel's animation: each phase of phases.ts opens into
 * the moments of the runtime's trace (NetworkSnapshot.trace). Forward, each term wij·ai travels
 * along its edge into zj, then z and a = g(z); backward, the output's δ = ∂E/∂a · g'(z), then each
 * δj[k+1]·wij travels back along its edge into a hidden node's Σ, then δ = g'(z) · Σ; last, each
 * edge's ∂E/∂w = δ × a. Every number is the trace's, formatted; nothing is computed here. Pure.
 */
import type { NetworkSnapshot, NodeTrace, PassTrace, TraceTerm } from '../protocol/results';
import { shownNumber as f } from '../protocol/text';
import { one } from './names';
import type { Phase } from './phases';

/** One moment of the animation: what moves (an edge, from a node to a node) and what it adds. */
export interface Moment {
  /** the edge that carries the number, `w11[1]` */
  edge?: string;
  /** the edge is travelled from this node to that one (`1[1]` → `1[2]` forward, back backward) */
  from?: string;
  to?: string;
  /** the node whose number is being built */
  node: string;
  /** the sum so far, term by term: `z1[2] = 0.0075 + 0.02` */
  building: string;
  /** what this moment adds, in words a screen reader says: `w21[1]·x2 = 0.02` */
  says: string;
  /** the number to write beside the edge (the term), when there is an edge */
  term?: string;
}

/** One step of phase stepping: a phase, and one of its moments when the trace has them. */
export interface PassStep {
  phase: number;
  moment?: Moment;
  /** this moment's place among its phase's moments (1-based) and how many there are */
  of?: [number, number];
}

const sub = (name: string, j: number, k: number) => `${one(name, j)}[${k}]`;

const termText = (t: TraceTerm) => (t.node ? `${t.param}·${t.node}` : t.param);

/**
 * `z = w11[1]·x1 + w21[1]·x2 = 0.0075 + 0.02`: the terms so far by name, then by value (a negative
 * one written − |t|).
 */
function partialSum(left: string, terms: TraceTerm[], named: (t: TraceTerm) => string): string {
  const values = terms
    .map((t, i) => {
      const v = f(t.value);
      return i === 0 ? v : v.startsWith('−') ? `− ${v.slice(1)}` : `+ ${v}`;
    })
    .join(' ');
  return `${left} = ${terms.map(named).join(' + ')} = ${values}`;
}

function forwardMoments(nt: NodeTrace, k: number, j: number, g: string): Moment[] {
  const z = sub('z', j, k);
  const out: Moment[] = nt.forward.map((t, m) => ({
    ...(t.edge ? { edge: t.param, from: t.edge[0], to: t.edge[1] } : {}),
    node: nt.node,
    building: partialSum(z, nt.forward.slice(0, m + 1), termText),
    says: `${termText(t)} = ${f(t.value)}`,
    term: f(t.value),
  }));
  if (nt.z !== undefined)
    out.push({
      node: nt.node,
      building: `${z} = ${f(nt.z)},  ${sub('a', j, k)} = ${g}(${z}) = ${f(nt.a)}`,
      says: `${z} = ${f(nt.z)}, ${sub('a', j, k)} = ${g}(${z}) = ${f(nt.a)}`,
    });
  return out;
}

function outputMoment(nt: NodeTrace, k: number, j: number): Moment | undefined {
  if (nt.delta === undefined) return undefined;
  const d = sub('δ', j, k);
  const text =
    nt.dEda !== undefined && nt.slope !== undefined
      ? `${d} = ∂E/∂${sub('a', j, k)} · g'(${sub('z', j, k)}) = ${f(nt.dEda)} · ${f(nt.slope)} = ` +
        `${f(nt.delta)}`
      : `${d} = ${f(nt.delta)} (softmax couples the outputs: explain shows how)`;
  return { node: nt.node, building: text, says: text };
}

function hiddenMoments(nt: NodeTrace, k: number, j: number): Moment[] {
  if (!nt.backward || nt.sum === undefined || nt.delta === undefined) return [];
  const sum = `Σ = Σq w${j}q[${k}]·δq[${k + 1}]`;
  const out: Moment[] = nt.backward.map((t, m) => {
    return {
      edge: t.param,
      // δ travels backward: from the node it belongs to into this one
      ...(t.edge ? { from: t.edge[1], to: t.edge[0] } : {}),
      node: nt.node,
      building: partialSum('Σ', nt.backward!.slice(0, m + 1), (x) => `${x.param}·${x.node}`),
      says: `${t.node}·${t.param} = ${f(t.value)}`,
      term: f(t.value),
    };
  });
  const d = sub('δ', j, k);
  out.push({
    node: nt.node,
    building: `${sum} = ${f(nt.sum)}`,
    says: `the sum for ${nt.node}: ${f(nt.sum)}`,
  });
  if (nt.slope !== undefined) {
    const text =
      `${d} = g'(${sub('z', j, k)}) · Σ = ${f(nt.slope)} · ${f(nt.sum)} = ` + `${f(nt.delta)}`;
    out.push({ node: nt.node, building: text, says: text });
  }
  return out;
}

function gradientMoments(s: NetworkSnapshot): Moment[] {
  const trace = s.trace!;
  const rows = trace.rows;
  return (trace.gradients ?? []).map((g) => {
    const own =
      `∂E/∂${g.param} = ${g.deltaName} · ${g.aName} = ${f(g.delta)} · ${f(g.a)} = ` +
      `${f(g.product)}`;
    const text =
      rows > 1
        ? `${own} in row ${trace.row}; over the ${rows} rows (${trace.reduction ?? 'mean'}) ` +
          `∂E/∂${g.param} = ${f(g.value)}`
        : own;
    return {
      edge: g.param,
      from: g.edge[1],
      to: g.edge[0],
      node: g.edge[1],
      building: text,
      says: text,
      term: f(rows > 1 ? g.value : g.product),
    };
  });
}

/**
 * For a batch, which of its rows the animation follows (the trace's own row), said in the panel
 * beside the steps; nothing for a single row.
 */
export function traceRowNote(trace: PassTrace | undefined): string | undefined {
  if (!trace || trace.rows < 2) return undefined;
  return (
    `The animation follows row ${trace.row} of the ${trace.rows} rows of the batch` +
    `${trace.reduction ? `; ∂E/∂w is the ${trace.reduction} over all ${trace.rows}` : ''}.`
  );
}

/**
 * The moments of one phase (none when the snapshot has no trace, or the phase is not one it opens).
 */
export function momentsOf(s: NetworkSnapshot, p: Phase): Moment[] {
  const trace = s.trace;
  if (!trace) return [];
  const layer = p.layer !== undefined ? trace.nodes[p.layer - 1] : undefined;
  const k = p.layer ?? 0;
  switch (p.stage) {
    case 'forward':
      return (layer ?? []).flatMap((nt, j) =>
        forwardMoments(nt, k, j + 1, s.activations[k - 2] ?? 'g'),
      );
    case 'output':
      return (layer ?? []).flatMap((nt, j) => outputMoment(nt, k, j + 1) ?? []);
    case 'hidden':
      return (layer ?? []).flatMap((nt, j) => hiddenMoments(nt, k, j + 1));
    case 'gradients':
      return gradientMoments(s);
    default:
      return [];
  }
}

/** Every step of phase stepping: each phase once, or each of its moments. */
export function passSteps(s: NetworkSnapshot, phases: Phase[]): PassStep[] {
  return phases.flatMap((p, phase) => {
    const moments = momentsOf(s, p);
    if (moments.length === 0) return [{ phase }];
    return moments.map((moment, m) => ({ phase, moment, of: [m + 1, moments.length] }));
  });
}
