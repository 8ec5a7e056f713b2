/**
 * One line describing a node or an edge, for aria-labels, tooltips and the canvas's live region:
 * every digit of each number.
 */
import { NetworkSnapshot } from '../protocol/results';
import { exactNumber } from '../protocol/text';
import type { EdgeRef } from './layout';
import { nodeName, weightName } from './names';

const at = <T>(rows: T[][] | undefined, k: number, j: number): T | undefined =>
  rows?.[k - 1]?.[j - 1];

/** One line describing a node, for aria-labels and tooltips. */
export function nodeDescription(s: NetworkSnapshot, k: number, j: number): string {
  const parts = [`node ${nodeName(j, k)}`];
  const z = at(s.z, k, j);
  const a = at(s.a, k, j);
  const d = at(s.delta, k, j);
  if (z !== undefined && k > 1) parts.push(`z = ${exactNumber(z)}`);
  if (a !== undefined) parts.push(`a = ${exactNumber(a)}`);
  if (d !== undefined) parts.push(`δ = ${exactNumber(d)}`);
  const g = at(s.activationGrad, k, j);
  if (g !== undefined) parts.push(`${k === 1 ? '∂E/∂x' : '∂E/∂a'} = ${exactNumber(g)}`);
  const flag = at(s.flags, k, j);
  if (flag) parts.push(flag);
  return parts.join(', ');
}

export function edgeDescription(s: NetworkSnapshot, e: EdgeRef): string {
  const g = s.weightGrad?.[e.k - 1]?.[e.i - 1]?.[e.j - 1];
  const sign = e.weight < 0 ? 'negative' : 'positive';
  return (
    `${weightName(e.i, e.j, e.k)} = ${exactNumber(e.weight)} (${sign})` +
    `${g !== undefined ? `, ∂E/∂w = ${exactNumber(g)}` : ''}`
  );
}
