/**
 * Names in the seed's notation, as the language writes them: `w11[1]`, `w(12,3)[2]`, `δ1[2]`,
 * `b(12)[3]`.
 */

export function one(name: string, i: number): string {
  return i > 9 ? `${name}(${i})` : `${name}${i}`;
}

/** wij[k]: weight from node i of layer k to node j of layer k+1. */
export function weightName(i: number, j: number, k: number): string {
  return `${i > 9 || j > 9 ? `w(${i},${j})` : `w${i}${j}`}[${k}]`;
}

/** bj[k]: bias of node j of layer k. */
export function biasName(j: number, k: number): string {
  return `${one('b', j)}[${k}]`;
}

/** The node label of the seed's drawing: `2[1]` is node 2 of layer 1. */
export function nodeName(j: number, k: number): string {
  return `${j}[${k}]`;
}

export type ParamRef =
  { kind: 'weight'; i: number; j: number; k: number } | { kind: 'bias'; j: number; k: number };

/**
 * Reads `w11[1]`, `w(12,3)[2]`, `b2[3]`, `b(12)[3]` back into indices; undefined for anything else.
 */
export function parseParam(text: string): ParamRef | undefined {
  let m = /^w(?:(\d)(\d)|\((\d{1,6}),(\d{1,6})\))\[(\d{1,4})\]$/.exec(text);
  if (m) {
    const i = Number(m[1] ?? m[3]);
    const j = Number(m[2] ?? m[4]);
    const k = Number(m[5]);
    return i > 0 && j > 0 && k > 0 ? { kind: 'weight', i, j, k } : undefined;
  }
  m = /^b(?:(\d)|\((\d{1,6})\))\[(\d{1,4})\]$/.exec(text);
  if (m) {
    const j = Number(m[1] ?? m[2]);
    const k = Number(m[3]);
    return j > 0 && k > 1 ? { kind: 'bias', j, k } : undefined;
  }
  return undefined;
}
