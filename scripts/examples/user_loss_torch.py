"""PyTorch float64 oracle for networks with a user-defined loss (and user-defined activations).

Reads a JSON list of cases on stdin, each {"sizes", "weights", "biases", "bias", "activations",
"loss", "reduction", "x", "t", "lr", "steps"}: weights[k] is the matrix into layer k+2, one row
per to-node (row-major, as the notebook's engine stores it), biases[k] its biases, bias[k] whether
layer k+2 has any; an activation is a built-in name (sigmoid, tanh, relu, identity, softmax) or
{"z": <expression tree>}; loss is {"a", "t", "tree"}: E_s = sum_j loss(a_j, t_j), then the mean
or sum over rows. Expression trees are evaluated by expressions_torch.evaluate (PyTorch's own
operations), and gradients come from autograd. Writes, per case, the loss and dE/dW, dE/db, and
the weights and biases after `steps` plain SGD steps of rate lr on the whole batch.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expressions_torch import ACTIVATIONS, evaluate  # noqa: E402

T = torch.float64


def activate(act, z):
    if isinstance(act, str):
        return ACTIVATIONS[act](z)
    return evaluate(act['tree'], {act['z']: z})


def loss_of(case, W, b, x, t):
    a = x
    for k, act in enumerate(case['activations']):
        z = a @ W[k].T
        if case['bias'][k]:
            z = z + b[k]
        a = activate(act, z)
    L = case['loss']
    per_output = evaluate(L['tree'], {L['a']: a, L['t']: t})
    per_sample = per_output.sum(dim=1)
    return per_sample.mean() if case['reduction'] == 'mean' else per_sample.sum()


def run(case):
    sizes = case['sizes']
    W = [torch.tensor(w, dtype=T).reshape(sizes[k + 1], sizes[k]).requires_grad_() for k, w in enumerate(case['weights'])]
    b = [torch.tensor(v, dtype=T).requires_grad_() for v in case['biases']]
    x = torch.tensor(case['x'], dtype=T)
    t = torch.tensor(case['t'], dtype=T)
    E = loss_of(case, W, b, x, t)
    E.backward()
    out = {
        'loss': E.item(),
        'weightGrad': [w.grad.reshape(-1).tolist() for w in W],
        'biasGrad': [(torch.zeros_like(v) if v.grad is None else v.grad).tolist() for v in b],
    }
    with torch.no_grad():
        W2 = [w.detach().clone() for w in W]
        b2 = [v.detach().clone() for v in b]
    for _ in range(case['steps']):
        for p in W2 + b2:
            p.requires_grad_()
        E = loss_of(case, W2, b2, x, t)
        E.backward()
        with torch.no_grad():
            W2 = [w - case['lr'] * w.grad for w in W2]
            b2 = [v - case['lr'] * v.grad if case['bias'][k] else v.detach() for k, v in enumerate(b2)]
    out['weightsAfter'] = [w.reshape(-1).tolist() for w in W2]
    out['biasesAfter'] = [v.tolist() for v in b2]
    return out


if __name__ == '__main__':
    json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
