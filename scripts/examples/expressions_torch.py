"""PyTorch float64 oracle for scalar expressions (value and gradient).

Reads a JSON list of cases on stdin, each {"tree": <expression tree>, "values": {name: number}},
where a tree is {"kind": "number", "value"} | {"kind": "name", "name"} |
{"kind": "negate", "operand"} | {"kind": "binary", "op": "+-*/^", "left", "right"} |
{"kind": "call", "fn", "args"}; writes a JSON list of {"value", "grad": {name: number}} (None for
a name no gradient reaches). Written against PyTorch's own operations and autograd, without
looking at the TypeScript engine; non-finite numbers are written as the strings "nan", "inf", "-inf".
"""
import json
import math
import sys

import torch

T = torch.float64
FUNCTIONS = {
    'exp': torch.exp,
    'log': torch.log,
    'sqrt': torch.sqrt,
    'tanh': torch.tanh,
    'sigmoid': torch.sigmoid,
    'relu': torch.relu,
    'abs': torch.abs,
    # heaviside has no autograd formula; sign(relu(u)) is the same function, with derivative 0
    'step': lambda u: torch.sign(torch.relu(u)),
    'sign': torch.sign,
    'max': torch.maximum,
    'min': torch.minimum,
}
CONSTANTS = {'pi': math.pi, 'π': math.pi}
# the network layers' built-in activations, for the network oracles beside this one
ACTIVATIONS = {
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'relu': torch.relu,
    'identity': lambda z: z,
    'softmax': lambda z: torch.softmax(z, dim=1),
}


def evaluate(tree, leaves):
    kind = tree['kind']
    if kind == 'number':
        return torch.tensor(float(tree['value']), dtype=T)
    if kind == 'name':
        if tree['name'] in leaves:
            return leaves[tree['name']]
        return torch.tensor(CONSTANTS[tree['name']], dtype=T)
    if kind == 'negate':
        return -evaluate(tree['operand'], leaves)
    if kind == 'binary':
        u = evaluate(tree['left'], leaves)
        v = evaluate(tree['right'], leaves)
        op = tree['op']
        if op == '+':
            return u + v
        if op == '-':
            return u - v
        if op == '*':
            return u * v
        if op == '/':
            return u / v
        if op == '^':
            return torch.pow(u, v)
        raise ValueError(op)
    if kind == 'call':
        return FUNCTIONS[tree['fn']](*[evaluate(a, leaves) for a in tree['args']])
    raise ValueError(kind)


def number(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def run(case):
    leaves = {n: torch.tensor(float(v), dtype=T, requires_grad=True) for n, v in case['values'].items()}
    out = evaluate(case['tree'], leaves)
    if out.requires_grad:
        out.backward()
    return {
        'value': number(out.item()),
        'grad': {n: number(None if t.grad is None else t.grad.item()) for n, t in leaves.items()},
    }


if __name__ == '__main__':
    json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
