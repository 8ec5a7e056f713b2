/**
 * Dense-layer loops for the fast (non-recording) path. Buffers are sample-major rows;
 * weights are row-major [n_to][n_from] (see Network). Nothing here allocates.
 * Loops are unrolled into small blocks so that each value loaded feeds several multiply-adds.
 * Every sum is accumulated left to right in the same order as the recording passes (passes.ts:
 * from 0, over samples for gradients, over j for δ), so the results are bit-identical to them;
 * terms skipped because a δ is exactly 0 add ±0, which changes no sum (for finite a and w).
 */

/** out[r][j] = b[j] + Σi W[j][i]·input[r][i] for r < rows. Blocks of 4 samples × 2 outputs. */
export function denseForward(
  input: Float64Array,
  rows: number,
  nFrom: number,
  W: Float64Array,
  b: Float64Array,
  nTo: number,
  out: Float64Array,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * nFrom,
      x1 = x0 + nFrom,
      x2 = x1 + nFrom,
      x3 = x2 + nFrom;
    const o0 = r * nTo,
      o1 = o0 + nTo,
      o2 = o1 + nTo,
      o3 = o2 + nTo;
    let j = 0;
    for (; j + 2 <= nTo; j += 2) {
      const wa = j * nFrom,
        wb = wa + nFrom;
      let s0a = b[j],
        s0b = b[j + 1],
        s1a = s0a,
        s1b = s0b,
        s2a = s0a,
        s2b = s0b,
        s3a = s0a,
        s3b = s0b;
      for (let i = 0; i < nFrom; i++) {
        const va = W[wa + i],
          vb = W[wb + i];
        const u0 = input[x0 + i],
          u1 = input[x1 + i],
          u2 = input[x2 + i],
          u3 = input[x3 + i];
        s0a += va * u0;
        s0b += vb * u0;
        s1a += va * u1;
        s1b += vb * u1;
        s2a += va * u2;
        s2b += vb * u2;
        s3a += va * u3;
        s3b += vb * u3;
      }
      out[o0 + j] = s0a;
      out[o0 + j + 1] = s0b;
      out[o1 + j] = s1a;
      out[o1 + j + 1] = s1b;
      out[o2 + j] = s2a;
      out[o2 + j + 1] = s2b;
      out[o3 + j] = s3a;
      out[o3 + j + 1] = s3b;
    }
    for (; j < nTo; j++) {
      const wa = j * nFrom;
      let s0 = b[j],
        s1 = s0,
        s2 = s0,
        s3 = s0;
      for (let i = 0; i < nFrom; i++) {
        const v = W[wa + i];
        s0 += v * input[x0 + i];
        s1 += v * input[x1 + i];
        s2 += v * input[x2 + i];
        s3 += v * input[x3 + i];
      }
      out[o0 + j] = s0;
      out[o1 + j] = s1;
      out[o2 + j] = s2;
      out[o3 + j] = s3;
    }
  }
  for (; r < rows; r++) {
    const x0 = r * nFrom,
      o0 = r * nTo;
    for (let j = 0; j < nTo; j++) {
      const wa = j * nFrom;
      let s = b[j];
      for (let i = 0; i < nFrom; i++) s += W[wa + i] * input[x0 + i];
      out[o0 + j] = s;
    }
  }
}

/**
 * P[r][i] = Σj D[r][j]·W[j][i]: δ sent back through the weights. Blocks of 2 samples × 4 outputs;
 * the first block over j starts each sum from 0 itself (no separate pass clearing P). With
 * `sigmoid` (the outputs a of P's layer, a sigmoid layer), each completed sum is then multiplied by
 * g'(z) = a·(1 − a) in the same pass; without it, P holds the sums (before g').
 */
export function denseBackprop(
  D: Float64Array,
  rows: number,
  nTo: number,
  W: Float64Array,
  nFrom: number,
  P: Float64Array,
  sigmoid: Float64Array | null = null,
): void {
  const slope = sigmoid !== null,
    S = sigmoid ?? P;
  let r = 0;
  for (; r + 2 <= rows; r += 2) {
    const p0 = r * nFrom,
      p1 = p0 + nFrom,
      d0 = r * nTo,
      d1 = d0 + nTo;
    let j = 0;
    for (; j + 4 <= nTo; j += 4) {
      const e0 = D[d0 + j],
        e1 = D[d0 + j + 1],
        e2 = D[d0 + j + 2],
        e3 = D[d0 + j + 3];
      const f0 = D[d1 + j],
        f1 = D[d1 + j + 1],
        f2 = D[d1 + j + 2],
        f3 = D[d1 + j + 3];
      const w0 = j * nFrom,
        w1 = w0 + nFrom,
        w2 = w1 + nFrom,
        w3 = w2 + nFrom,
        first = j === 0,
        last = slope && j + 4 === nTo;
      for (let i = 0; i < nFrom; i++) {
        const v0 = W[w0 + i],
          v1 = W[w1 + i],
          v2 = W[w2 + i],
          v3 = W[w3 + i];
        // left to right, as the recording path sums over j: ((((P + e0·v0) + e1·v1) + e2·v2) +
        // e3·v3), P = 0 at first; the last block multiplies the complete sum by g' (sum first, then
        // ×, as applySlope)
        const s0 = (first ? 0 : P[p0 + i]) + e0 * v0 + e1 * v1 + e2 * v2 + e3 * v3;
        const s1 = (first ? 0 : P[p1 + i]) + f0 * v0 + f1 * v1 + f2 * v2 + f3 * v3;
        if (last) {
          const y0 = S[p0 + i],
            y1 = S[p1 + i];
          P[p0 + i] = s0 * (y0 * (1 - y0));
          P[p1 + i] = s1 * (y1 * (1 - y1));
        } else {
          P[p0 + i] = s0;
          P[p1 + i] = s1;
        }
      }
    }
    for (; j < nTo; j++) {
      const e0 = D[d0 + j],
        f0 = D[d1 + j],
        w0 = j * nFrom,
        first = j === 0,
        last = slope && j + 1 === nTo;
      for (let i = 0; i < nFrom; i++) {
        const v = W[w0 + i];
        const s0 = (first ? 0 : P[p0 + i]) + e0 * v,
          s1 = (first ? 0 : P[p1 + i]) + f0 * v;
        if (last) {
          const y0 = S[p0 + i],
            y1 = S[p1 + i];
          P[p0 + i] = s0 * (y0 * (1 - y0));
          P[p1 + i] = s1 * (y1 * (1 - y1));
        } else {
          P[p0 + i] = s0;
          P[p1 + i] = s1;
        }
      }
    }
  }
  for (; r < rows; r++) {
    const p0 = r * nFrom,
      d0 = r * nTo;
    for (let i = 0; i < nFrom; i++) P[p0 + i] = 0;
    for (let j = 0; j < nTo; j++) {
      const e = D[d0 + j],
        w0 = j * nFrom;
      if (e === 0) continue;
      for (let i = 0; i < nFrom; i++) P[p0 + i] += e * W[w0 + i];
    }
    if (slope)
      for (let i = 0; i < nFrom; i++) {
        const y = S[p0 + i];
        P[p0 + i] *= y * (1 - y);
      }
  }
}

/**
 * G[j][i] = Σr D[r][j]·A[r][i] and gB[j] = Σr D[r][j]: weight and bias gradients from the deltas.
 * Samples whose δj is exactly 0 (dead relu units) add nothing and are skipped: for each output j
 * the contributing samples are gathered into `live`, then summed 4 at a time.
 */
export function denseWeightGrad(
  D: Float64Array,
  rows: number,
  nTo: number,
  A: Float64Array,
  nFrom: number,
  G: Float64Array,
  gB: Float64Array,
  live: Int32Array,
): void {
  if (rows === 1) {
    for (let j = 0; j < nTo; j++) {
      const e = D[j],
        g0 = j * nFrom;
      gB[j] = 0 + e;
      for (let i = 0; i < nFrom; i++) G[g0 + i] = 0 + e * A[i];
    }
    return;
  }
  for (let j = 0; j < nTo; j++) {
    let count = 0,
      biasSum = 0;
    for (let r = 0; r < rows; r++) {
      const e = D[r * nTo + j];
      if (e !== 0) {
        live[count++] = r;
        biasSum += e;
      }
    }
    gB[j] = biasSum;
    const g0 = j * nFrom;
    let c = 0;
    if (count >= 4) {
      const r0 = live[0],
        r1 = live[1],
        r2 = live[2],
        r3 = live[3];
      const e0 = D[r0 * nTo + j],
        e1 = D[r1 * nTo + j],
        e2 = D[r2 * nTo + j],
        e3 = D[r3 * nTo + j];
      const a0 = r0 * nFrom,
        a1 = r1 * nFrom,
        a2 = r2 * nFrom,
        a3 = r3 * nFrom;
      for (let i = 0; i < nFrom; i++)
        G[g0 + i] = 0 + e0 * A[a0 + i] + e1 * A[a1 + i] + e2 * A[a2 + i] + e3 * A[a3 + i];
      c = 4;
    } else {
      for (let i = 0; i < nFrom; i++) G[g0 + i] = 0;
    }
    for (; c + 4 <= count; c += 4) {
      const r0 = live[c],
        r1 = live[c + 1],
        r2 = live[c + 2],
        r3 = live[c + 3];
      const e0 = D[r0 * nTo + j],
        e1 = D[r1 * nTo + j],
        e2 = D[r2 * nTo + j],
        e3 = D[r3 * nTo + j];
      const a0 = r0 * nFrom,
        a1 = r1 * nFrom,
        a2 = r2 * nFrom,
        a3 = r3 * nFrom;
      for (let i = 0; i < nFrom; i++)
        G[g0 + i] = G[g0 + i] + e0 * A[a0 + i] + e1 * A[a1 + i] + e2 * A[a2 + i] + e3 * A[a3 + i];
    }
    for (; c < count; c++) {
      const r0 = live[c];
      const e0 = D[r0 * nTo + j],
        a0 = r0 * nFrom;
      for (let i = 0; i < nFrom; i++) G[g0 + i] += e0 * A[a0 + i];
    }
  }
}

/**
 * denseWeightGrad without the dead-unit gathering, for layers whose δ are rarely exactly 0
 * (sigmoid, tanh, outputs): blocks of 2 outputs (then 1) × 4 samples, the same left-to-right sums;
 * the first block of samples starts each sum from 0 itself.
 */
export function denseWeightGradAll(
  D: Float64Array,
  rows: number,
  nTo: number,
  A: Float64Array,
  nFrom: number,
  G: Float64Array,
  gB: Float64Array,
): void {
  let j = 0;
  for (; j + 2 <= nTo; j += 2) {
    const g0 = j * nFrom,
      g1 = g0 + nFrom;
    let b0 = 0,
      b1 = 0,
      r = 0;
    for (; r + 4 <= rows; r += 4) {
      const d0 = r * nTo + j,
        d1 = d0 + nTo,
        d2 = d1 + nTo,
        d3 = d2 + nTo,
        first = r === 0;
      const e0 = D[d0],
        e1 = D[d1],
        e2 = D[d2],
        e3 = D[d3];
      const f0 = D[d0 + 1],
        f1 = D[d1 + 1],
        f2 = D[d2 + 1],
        f3 = D[d3 + 1];
      b0 = b0 + e0 + e1 + e2 + e3;
      b1 = b1 + f0 + f1 + f2 + f3;
      const a0 = r * nFrom,
        a1 = a0 + nFrom,
        a2 = a1 + nFrom,
        a3 = a2 + nFrom;
      for (let i = 0; i < nFrom; i++) {
        const x0 = A[a0 + i],
          x1 = A[a1 + i],
          x2 = A[a2 + i],
          x3 = A[a3 + i];
        G[g0 + i] = (first ? 0 : G[g0 + i]) + e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3;
        G[g1 + i] = (first ? 0 : G[g1 + i]) + f0 * x0 + f1 * x1 + f2 * x2 + f3 * x3;
      }
    }
    if (r === 0)
      for (let i = 0; i < nFrom; i++) {
        G[g0 + i] = 0;
        G[g1 + i] = 0;
      }
    for (; r < rows; r++) {
      const e0 = D[r * nTo + j],
        f0 = D[r * nTo + j + 1],
        a0 = r * nFrom;
      b0 += e0;
      b1 += f0;
      for (let i = 0; i < nFrom; i++) {
        const x = A[a0 + i];
        G[g0 + i] += e0 * x;
        G[g1 + i] += f0 * x;
      }
    }
    gB[j] = b0;
    gB[j + 1] = b1;
  }
  for (; j < nTo; j++) {
    const g0 = j * nFrom;
    let b0 = 0,
      r = 0;
    for (; r + 4 <= rows; r += 4) {
      const d0 = r * nTo + j,
        d1 = d0 + nTo,
        d2 = d1 + nTo,
        d3 = d2 + nTo,
        first = r === 0;
      const e0 = D[d0],
        e1 = D[d1],
        e2 = D[d2],
        e3 = D[d3];
      b0 = b0 + e0 + e1 + e2 + e3;
      const a0 = r * nFrom,
        a1 = a0 + nFrom,
        a2 = a1 + nFrom,
        a3 = a2 + nFrom;
      for (let i = 0; i < nFrom; i++)
        G[g0 + i] =
          (first ? 0 : G[g0 + i]) +
          e0 * A[a0 + i] +
          e1 * A[a1 + i] +
          e2 * A[a2 + i] +
          e3 * A[a3 + i];
    }
    if (r === 0) for (let i = 0; i < nFrom; i++) G[g0 + i] = 0;
    for (; r < rows; r++) {
      const e0 = D[r * nTo + j],
        a0 = r * nFrom;
      b0 += e0;
      for (let i = 0; i < nFrom; i++) G[g0 + i] += e0 * A[a0 + i];
    }
    gB[j] = b0;
  }
}
