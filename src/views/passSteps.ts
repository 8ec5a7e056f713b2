/**
 * The pass as a sequence of moments, for the panel's animation: each of the runtime's phases
 * (NetworkSnapshot.phases) opens into the moments of its trace (NetworkSnapshot.trace). Forward,
 * each term wij·ai travels along its edge into zj, then z and a = g(z); backward, the output's
 * δ = ∂E/∂a · g'(z), then each δj[k+1]·wij travels back along its edge into a hidden node's Σ,
 * then δ = g'(z) · Σ; last, each edge's ∂E/∂w = δ × a. Each moment's line is the trace's, written
 * by the runtime; the views only draw it (and say it, its numbers as shownNumber writes them).
 * Pure.
 */
import type {
  NetworkSnapshot,
  NodeTrace,
  PassPhase,
  PassTrace,
  TextPart,
} from '../protocol/results';
import { partsText, shownNumber as f } from '../protocol/text';

/** One moment of the animation: what moves (an edge, from a node to a node) and what it adds. */
export interface Moment {
  /** the edge that carries the number, `w11[1]` */
  edge?: string;
  /** the edge is travelled from this node to that one (`1[1]` → `1[2]` forward, back backward) */
  from?: string;
  to?: string;
  /** the node whose number is being built */
  node: string;
  /** the line this moment shows, the runtime's: the sum so far, term by term, or z and a, Σ, δ */
  building: TextPart[];
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

const said = (parts: TextPart[]) => partsText(parts, f);

function forwardMoments(nt: NodeTrace): Moment[] {
  const out: Moment[] = nt.forward.map((t) => ({
    ...(t.edge ? { edge: t.param, from: t.edge[0], to: t.edge[1] } : {}),
    node: nt.node,
    building: t.sum,
    says: said(t.says),
    term: f(t.value),
  }));
  const za = nt.lines?.za;
  if (za) out.push({ node: nt.node, building: za, says: said(za) });
  return out;
}

function outputMoment(nt: NodeTrace): Moment | undefined {
  const d = nt.lines?.delta;
  return d && { node: nt.node, building: d, says: said(d) };
}

function hiddenMoments(nt: NodeTrace): Moment[] {
  if (!nt.backward || !nt.lines?.sum) return [];
  const out: Moment[] = nt.backward.map((t) => ({
    edge: t.param,
    // δ travels backward: from the node it belongs to into this one
    ...(t.edge ? { from: t.edge[1], to: t.edge[0] } : {}),
    node: nt.node,
    building: t.sum,
    says: said(t.says),
    term: f(t.value),
  }));
  for (const l of [nt.lines.sum, nt.lines.delta])
    if (l) out.push({ node: nt.node, building: l, says: said(l) });
  return out;
}

function gradientMoments(trace: PassTrace): Moment[] {
  return (trace.gradients ?? []).map((g) => ({
    edge: g.param,
    from: g.edge[1],
    to: g.edge[0],
    node: g.edge[1],
    building: g.line,
    says: said(g.line),
    term: f(trace.rows > 1 ? g.value : g.product),
  }));
}

/**
 * The moments of one phase (none when the snapshot has no trace, or the phase is not one it opens).
 */
export function momentsOf(s: NetworkSnapshot, p: PassPhase): Moment[] {
  const trace = s.trace;
  if (!trace) return [];
  const layer = p.layer !== undefined ? trace.nodes[p.layer - 1] : undefined;
  switch (p.stage) {
    case 'forward':
      return (layer ?? []).flatMap(forwardMoments);
    case 'output':
      return (layer ?? []).flatMap((nt) => outputMoment(nt) ?? []);
    case 'hidden':
      return (layer ?? []).flatMap(hiddenMoments);
    case 'gradients':
      return gradientMoments(trace);
    default:
      return [];
  }
}

/** Every step of phase stepping: each phase once, or each of its moments. */
export function passSteps(s: NetworkSnapshot, phases: PassPhase[]): PassStep[] {
  return phases.flatMap((p, phase) => {
    const moments = momentsOf(s, p);
    if (moments.length === 0) return [{ phase }];
    return moments.map((moment, m) => ({ phase, moment, of: [m + 1, moments.length] }));
  });
}
