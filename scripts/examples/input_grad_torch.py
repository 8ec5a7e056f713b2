"""PyTorch float64 oracle for the gradients of E with respect to inputs and activations.

Reads a JSON list of cases on stdin, each {"weights", "biases", "activations", "loss", "node",
"x", "t"}: weights[k] is the matrix into layer k+2, one row per to-node (row-major, as the
notebook's engine stores it), biases[k] its biases or null; an activation is sigmoid, tanh, relu,
identity or softmax; loss is half-squared, mse, cross-entropy, binary-cross-entropy or output
(E_s = a_node of the output layer). The inputs require a gradient and every activation retains
its own; autograd of the sum of the rows' losses gives each row's own dE_s/dx and dE_s/da (rows do
not mix). Writes, per case, {"dx": rows, "da": [rows per layer 2..n]}.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expressions_torch import ACTIVATIONS  # noqa: E402

T = torch.float64


def run(case):
    x = torch.tensor(case['x'], dtype=T, requires_grad=True)
    t = torch.tensor(case['t'], dtype=T)
    h, acts = x, []
    for w, b, act in zip(case['weights'], case['biases'], case['activations']):
        z = h @ torch.tensor(w, dtype=T).T
        if b is not None:
            z = z + torch.tensor(b, dtype=T)
        h = ACTIVATIONS[act](z)
        h.retain_grad()
        acts.append(h)
    a, n = h, h.shape[1]
    loss = case['loss']
    # each written from a, so that a.grad is dE/da (the engine computes E itself from z)
    if loss == 'half-squared':
        rows = 0.5 * ((a - t) ** 2).sum(dim=1)
    elif loss == 'mse':
        rows = ((a - t) ** 2).sum(dim=1) / n
    elif loss == 'cross-entropy':
        rows = -(t * torch.log(a)).sum(dim=1)
    elif loss == 'binary-cross-entropy':
        rows = -(t * torch.log(a) + (1 - t) * torch.log(1 - a)).sum(dim=1)
    else:
        rows = a[:, case['node'] - 1]
    rows.sum().backward()
    return {'dx': x.grad.tolist(), 'da': [h.grad.tolist() for h in acts]}


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
