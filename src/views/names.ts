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
