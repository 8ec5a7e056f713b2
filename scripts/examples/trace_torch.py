"""PyTorch float64 oracle for the panel's pass trace: one row's sums term by term.

Reads a JSON list of cases on stdin, each {"weights", "biases", "activations", "loss", "reduction",
"x", "t", "row"}: weights[k] is the matrix into layer k+2, one row per to-node; biases[k] its biases
or null; an activation is sigmoid, tanh, relu or identity; loss is half-squared or mse, reduced over
the rows by mean or sum; row (1-based, default 1) the row of x and t traced. Writes, per case:
  forward[k][j]: the terms W[j,i]*a[i] of the row's z_j of layer k+2 (then b_j), z[k], a[k];
  dEda: the row's own dE_r/da of the outputs; hidden[k][i]: the terms W[j,i]*delta_j of layer k+3,
  their sum dE_r/da_i of layer k+2 (autograd), the slope g'(z) (autograd of g alone) and delta_i
  = dE_r/dz_i (autograd); grads[k]: the batch loss's dE/dW of matrix k (rows: to-nodes).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expressions_torch import ACTIVATIONS  # noqa: E402

T = torch.float64


def net(case, x):
    hs, zs = [x], []
    for w, b, act in zip(case['weights'], case['biases'], case['activations']):
        z = hs[-1] @ torch.tensor(w, dtype=T).T
        if b is not None:
            z = z + torch.tensor(b, dtype=T)
        z.retain_grad()
        h = ACTIVATIONS[act](z)
        h.retain_grad()
        zs.append(z)
        hs.append(h)
    return hs, zs


def losses(case, a, t):
    sq = ((a - t) ** 2).sum(dim=1)
    return 0.5 * sq if case['loss'] == 'half-squared' else sq / a.shape[1]


def run(case):
    x = torch.tensor(case['x'], dtype=T)
    t = torch.tensor(case['t'], dtype=T)
    ws = [torch.tensor(w, dtype=T) for w in case['weights']]
    # the row's own loss: its z, a, dE/da and delta
    r = case.get('row', 1) - 1
    hs, zs = net(case, x[r:r + 1].clone().requires_grad_())
    losses(case, hs[-1], t[r:r + 1]).sum().backward()
    out = {'forward': [], 'z': [], 'a': [], 'hidden': []}
    for k, (w, b) in enumerate(zip(ws, case['biases'])):
        prev = hs[k][0].detach()
        out['forward'].append(
            [[(w[j, i] * prev[i]).item() for i in range(w.shape[1])] + ([b[j]] if b is not None else [])
             for j in range(w.shape[0])])
        out['z'].append(zs[k][0].tolist())
        out['a'].append(hs[k + 1][0].tolist())
    out['dEda'] = hs[-1].grad[0].tolist()
    for k in range(len(ws) - 1):
        w_next, delta_next = ws[k + 1], zs[k + 1].grad[0]
        z = zs[k][0].detach().clone().requires_grad_()
        ACTIVATIONS[case['activations'][k]](z).sum().backward()
        out['hidden'].append([
            {
                'terms': [(w_next[j, i] * delta_next[j]).item() for j in range(w_next.shape[0])],
                'sum': hs[k + 1].grad[0, i].item(),
                'slope': z.grad[i].item(),
                'delta': zs[k].grad[0, i].item(),
            }
            for i in range(ws[k].shape[0])
        ])
    # the batch loss, reduced over the rows: dE/dW
    params = [w.clone().requires_grad_() for w in ws]
    h = x
    for w, b, act in zip(params, case['biases'], case['activations']):
        z = h @ w.T
        if b is not None:
            z = z + torch.tensor(b, dtype=T)
        h = ACTIVATIONS[act](z)
    rows = losses(case, h, t)
    (rows.mean() if case['reduction'] == 'mean' else rows.sum()).backward()
    out['grads'] = [p.grad.tolist() for p in params]
    return out


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
