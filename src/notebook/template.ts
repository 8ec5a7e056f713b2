/** The cells of a new notebook: the seed's 2-3-1 network, one pass, and where to look next. */
export const STARTER_CELLS: { kind: 'markdown' | 'code'; source: string }[] = [
  {
    kind: 'markdown',
    source:
      '# Backpropagation, number by number\n\nThe network of the classic hand derivation: two ' +
      'inputs (L1), three hidden sigmoid nodes (L2), one sigmoid output (L3), no biases, and ' +
      'the error $E = \\tfrac{1}{2}\\bigl(a_1^{[3]} - t_1\\bigr)^2$.',
  },
  {
    kind: 'code',
    source: [
      'network 2 -> 3 sigmoid -> 1 sigmoid',
      'bias off',
      'loss half-squared',
      'weights [1] = [[0.15, 0.25, 0.35], [0.20, 0.30, 0.40]]',
      'weights [2] = [[0.40], [0.45], [0.50]]',
      'input x = [0.05, 0.10]',
      'target t = [0.01]',
    ].join('\n'),
  },
  { kind: 'code', source: 'forward\nbackward\nshow deltas\nshow gradients' },
  { kind: 'code', source: 'explain dE/dw11[1]' },
  { kind: 'code', source: 'update lr 0.5\nshow weights' },
];
