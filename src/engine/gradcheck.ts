import type { Network } from './network';
import { names } from './notation';
import { backward, forward, type Inputs } from './passes';

export interface GradcheckOptions {
  /** step of the central difference (default 1e-6) */
  eps?: number;
  /** relative tolerance (default 1e-6) */
  rtol?: number;
  /** absolute tolerance, for gradients near zero (default 1e-9) */
  atol?: number;
}

export interface ParamCheck {
  /** e.g. 'w11[1]' or 'b2[3]' */
  name: string;
  /** ∂E/∂(this parameter) from the backward pass */
  analytic: number;
  /** (E(p+ε) − E(p−ε)) / 2ε */
  numeric: number;
  /** |analytic − numeric| / max(|analytic|, |numeric|) (0 when both are 0) */
  relError: number;
  /** |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|) */
  pass: boolean;
}

export interface GradcheckResult {
  params: ParamCheck[];
  maxRelError: number;
  pass: boolean;
}

/** Compares every analytic gradient with central finite differences of the loss (parameters restored after). */
export function gradcheck(
  net: Network,
  x: Inputs,
  t: Inputs,
  opts: GradcheckOptions = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-6,
    rtol = opts.rtol ?? 1e-6,
    atol = opts.atol ?? 1e-9;
  const back = backward(net, forward(net, x), t);
  const loss = () => backward(net, forward(net, x), t).loss;
  const params: ParamCheck[] = [];
  const check = (values: Float64Array, p: number, analytic: number, name: string) => {
    const original = values[p];
    values[p] = original + eps;
    const plus = loss();
    values[p] = original - eps;
    const minus = loss();
    values[p] = original;
    const numeric = (plus - minus) / (2 * eps);
    const diff = Math.abs(analytic - numeric),
      scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    params.push({
      name,
      analytic,
      numeric,
      relError: scale === 0 ? 0 : diff / scale,
      pass: diff <= atol + rtol * scale,
    });
  };
  for (let m = 0; m < net.weights.length; m++) {
    const k = m + 1,
      nFrom = net.sizes[m],
      nTo = net.sizes[m + 1];
    for (let j = 0; j < nTo; j++)
      for (let i = 0; i < nFrom; i++)
        check(
          net.weights[m],
          j * nFrom + i,
          back.weightGrad[m][j * nFrom + i],
          names.w(k, i + 1, j + 1),
        );
    if (net.hasBias(k + 1))
      for (let j = 0; j < nTo; j++)
        check(net.biases[m], j, back.biasGrad[m][j], names.b(k + 1, j + 1));
  }
  let maxRelError = 0;
  for (const p of params) maxRelError = Math.max(maxRelError, p.relError);
  return { params, maxRelError, pass: params.every((p) => p.pass) };
}
