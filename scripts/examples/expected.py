"""The reference value of every `expect` line in examples/*.bpnb, computed with reference.py.

Prints JSON: {"02-xor.bpnb": [["E", 0.1255…], ["δ1[3]", 0.1330…], …], …}, one [quantity, value]
per `expect` statement of the notebook's code cells, in the order they appear. An inequality
(`expect E < 0.001`) gets the value of its quantity too: test/unit/examples/reference.test.ts
checks that every expect of the examples holds for these numbers.

The notebooks are the source (edit them in VS Code); when an example's code changes, change its
function here. Run with Debian's Python and numpy: /usr/bin/python3 scripts/examples/expected.py
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import Net, XOR_T, XOR_X  # noqa: E402


def seed_network():
    W1 = [[0.15, 0.25, 0.35], [0.20, 0.30, 0.40]]
    W2 = [[0.40], [0.45], [0.50]]
    net = Net([2, 3, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: W1, 2: W2})
    x, t = [0.05, 0.10], [0.01]
    r = net.backward([x], [t])
    z, a, d, dW = r['z'], r['a'], r['d'], r['dW']
    out = [('z1[2]', z[2][0, 0]), ('a1[2]', a[2][0, 0]), ('a3[2]', a[2][0, 2]),
           ('z1[3]', z[3][0, 0]), ('a1[3]', a[3][0, 0]),
           ('E', r['E']), ('δ1[3]', d[3][0, 0]),
           ('δ1[2]', d[2][0, 0]), ('δ2[2]', d[2][0, 1]), ('δ3[2]', d[2][0, 2]),
           ('dE/dw11[2]', dW[2][0, 0]), ('dE/dw21[2]', dW[2][1, 0]), ('dE/dw31[2]', dW[2][2, 0]),
           ('dE/dw11[1]', dW[1][0, 0]), ('dE/dw23[1]', dW[1][1, 2])]
    for k in (1, 2):
        net.W[k] = net.W[k] - 0.5 * dW[k]
    out += [('w11[1]', net.W[1][0, 0]), ('w23[1]', net.W[1][1, 2]),
            ('w11[2]', net.W[2][0, 0]), ('w31[2]', net.W[2][2, 0])]
    r1 = net.backward([x], [t])
    return out + [('a1[3]', r1['a'][3][0, 0]), ('E', r1['E']), ('E', r1['E'])]


def xor():
    perceptron = Net([2, 1], {2: 'sigmoid'}, {1: [[0.3], [-0.2]]}, {2: [0.1]})
    perceptron.train(XOR_X, XOR_T, 5000, 2.0)
    out = [('E', perceptron.backward(XOR_X, XOR_T)['E'])]
    net = Net([2, 3, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: XOR_START['W1'], 2: XOR_START['W2']},
              {2: XOR_START['b2'], 3: [0.0]})
    r = net.backward(XOR_X, XOR_T)  # a batch: E and gradients are means, δ of the first row
    out += [('E', r['E']), ('δ1[3]', r['d'][3][0, 0]), ('δ2[2]', r['d'][2][0, 1]),
            ('dE/dw11[2]', r['dW'][2][0, 0]), ('dE/dw23[1]', r['dW'][1][1, 2]),
            ('dE/db1[3]', r['db'][3][0])]
    net.train(XOR_X, XOR_T, 4000, 2.0)
    E = net.backward(XOR_X, XOR_T)['E']
    out += [('E', E), ('E', E)]
    return out + [('a1[3]', net.forward([x])[1][3][0, 0]) for x in XOR_X]


ACT_W = {
    1: [[0.8, -0.6, 0.5, -0.9], [0.4, 0.7, -0.8, -0.3]],
    2: [[0.6, -0.5, 0.4, 0.3], [-0.4, 0.8, 0.5, -0.6], [0.5, 0.3, -0.7, 0.6], [-0.3, 0.6, 0.4, 0.7]],
    3: [[0.7, -0.4, 0.5, 0.6], [0.5, 0.6, -0.3, -0.5], [-0.6, 0.4, 0.8, 0.3], [0.4, -0.7, 0.6, 0.5]],
    4: [[0.9], [-0.8], [0.7], [0.6]],
}
ACTS = [('sigmoid', 0.01), ('tanh', 0.01), ('relu', 0.01), ('leaky-relu', 0.1)]


def activations():
    out = []
    for kind, alpha in ACTS:
        net = Net([2, 4, 4, 4, 1], {2: kind, 3: kind, 4: kind, 5: 'sigmoid'}, ACT_W, alpha=alpha)
        r = net.backward([[1, 0.5]], [[0]])
        d, dW = r['d'], r['dW']
        out += [('δ1[5]', d[5][0, 0]), ('δ1[4]', d[4][0, 0]), ('δ1[2]', d[2][0, 0])]
        if kind == 'relu':
            out += [('z2[2]', r['z'][2][0, 1]), ('z4[2]', r['z'][2][0, 3]),
                    ('a2[2]', r['a'][2][0, 1]), ('δ2[2]', d[2][0, 1]), ('δ4[2]', d[2][0, 3]),
                    ('dE/dw12[1]', dW[1][0, 1]), ('dE/dw24[1]', dW[1][1, 3])]
        if kind == 'leaky-relu':
            out += [('δ2[2]', d[2][0, 1]), ('dE/dw12[1]', dW[1][0, 1])]
    for kind, alpha in ACTS:
        zeros = {2: [0] * 4, 3: [0] * 4, 4: [0] * 4, 5: [0]}
        net = Net([2, 4, 4, 4, 1], {2: kind, 3: kind, 4: kind, 5: 'sigmoid'}, ACT_W, zeros,
                  alpha=alpha)
        net.train(XOR_X, XOR_T, 2000, 0.5)
        E = net.backward(XOR_X, XOR_T)['E']
        out += [('E', E), ('E', E)]
    return out


def softmax_cross_entropy():
    W1, b2 = [[0.4, -0.7, 0.2], [0.9, 0.3, -0.5]], [0.1, -0.2, 0.05]
    W2 = [[0.6, -0.4, 0.3], [-0.8, 0.5, 0.7], [0.2, 0.9, -0.6]]
    b3 = [0.0, 0.1, -0.1]
    x, t = [0.5, -1.0], [0, 1, 0]

    def make(W=W2):
        return Net([2, 3, 3], {2: 'tanh', 3: 'softmax'}, {1: W1, 2: W}, {2: b2, 3: b3},
                   loss='cross-entropy')

    r = make().backward([x], [t])
    a = r['a'][3][0]
    # the full chain rule: ∂E/∂zj = Σk ∂E/∂ak · ∂ak/∂zj, ∂E/∂ak = −tk/ak, ∂ak/∂zj = ak·([k = j] − aj)
    jac = np.array([[a[k] * ((1 if k == j else 0) - a[j]) for j in range(3)] for k in range(3)])
    delta = (-np.array(t, dtype=float) / a) @ jac

    def E_of(w):  # a central difference for ∂E/∂w11[2], independent of the engine's gradcheck
        W = [row[:] for row in W2]
        W[0][0] = w
        return make(W).backward([x], [t])['E']

    h = 1e-6
    numeric = (E_of(W2[0][0] + h) - E_of(W2[0][0] - h)) / (2 * h)
    assert abs(numeric - r['dW'][2][0, 0]) < 1e-8, numeric
    soft = make().backward([x], [[0.2, 0.7, 0.1]])['d'][3][0]
    W, b = {1: [[4], [4]]}, {2: [0]}
    half = Net([2, 1], {2: 'sigmoid'}, W, b).backward([[1, 1]], [[0]])
    bce = Net([2, 1], {2: 'sigmoid'}, W, b, loss='binary-cross-entropy').backward([[1, 1]], [[0]])
    return ([(f'a{j + 1}[3]', a[j]) for j in range(3)] + [('E', -np.log(a[1]))]
            + [(f'δ{j + 1}[3]', delta[j]) for j in range(3)]
            + [('dE/dw11[2]', r['dW'][2][0, 0]), ('δ1[2]', r['d'][2][0, 0])]
            + [(f'δ{j + 1}[3]', soft[j]) for j in range(3)]
            + [('δ1[2]', half['d'][2][0, 0]), ('δ1[2]', bce['d'][2][0, 0]), ('E', bce['E'])])


XOR_START = dict(W1=[[0.5, -0.4, 0.9], [-0.6, 0.7, 0.8]], W2=[[0.3], [-0.5], [0.4]],
                 b2=[0.1, -0.1, 0.2])


def optimisers():
    out = []
    for lr in (0.1, 0.4, 0.5):
        net = Net([1, 1], {2: 'identity'}, {1: [[0]]})
        net.train([[1], [2], [3]], [[2], [4], [6]], 20, lr)
        E = net.backward([[1], [2], [3]], [[2], [4], [6]])['E']
        out += [('w11[1]', net.W[1][0, 0]), ('E', E)] + ([('E', E), ('E', E)] if lr == 0.5 else [])
    claims = {'slow': 1, 'momentum': 1, 'adam': 1, 'adam3': 1}
    for name, opt, lr in (('slow', 'sgd', 0.01), ('sgd', 'sgd', 0.5), ('fast', 'sgd', 2),
                          ('momentum', 'momentum', 0.5), ('adam', 'adam', 0.05),
                          ('adam3', 'adam', 0.3)):
        net = Net([2, 3, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: XOR_START['W1'], 2: XOR_START['W2']},
                  {2: XOR_START['b2'], 3: [0]})
        net.train(XOR_X, XOR_T, 1000, lr, opt)
        r = net.backward(XOR_X, XOR_T)
        out += [('E', r['E'])] * (1 + claims.get(name, 0))
        if name == 'adam':  # the two rows stuck at ½
            out += [('a1[3](s2)', r['a'][3][1, 0]), ('a1[3](s4)', r['a'][3][3, 0])]
    return out


def exercises_solutions():
    W1, b2, W2, b3 = [[0.1, 0.4], [0.3, -0.2]], [0.5, -0.5], [[0.6], [-0.3]], [0.2]
    net = Net([2, 2, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: W1, 2: W2}, {2: b2, 3: b3})
    r = net.backward([[1, 2]], [[1]])
    z, a, d, dW, db = r['z'], r['a'], r['d'], r['dW'], r['db']
    network = [('z1[2]', z[2][0, 0]), ('z2[2]', z[2][0, 1]), ('a1[2]', a[2][0, 0]),
            ('a2[2]', a[2][0, 1]), ('z1[3]', z[3][0, 0]), ('a1[3]', a[3][0, 0]), ('E', r['E']),
            ('δ1[3]', d[3][0, 0]), ('dE/dw11[2]', dW[2][0, 0]), ('dE/dw21[2]', dW[2][1, 0]),
            ('dE/db1[3]', db[3][0]), ('δ1[2]', d[2][0, 0]), ('δ2[2]', d[2][0, 1]),
            ('dE/dw12[1]', dW[1][0, 1]), ('dE/dw21[1]', dW[1][1, 0]),
            ('w11[2]', W2[0][0] - 1 * dW[2][0, 0]), ('w21[1]', W1[1][0] - 1 * dW[1][1, 0])]
    return network + computation_graph_exercises()


def computation_graph_exercises():
    """Part 2 of the exercises, by hand: each gradient as the chain rule written out, and the
    hand-derived derivatives of the `check` answers against central differences."""
    x, y, z = 2.0, -3.0, 4.0
    q = x * y
    df_dq = 2 * (q + z)  # f = (q + z)^2
    circuit = [('f', (q + z) ** 2), ('∂f/∂z', df_dq), ('∂f/∂x', df_dq * y), ('∂f/∂y', df_dq * x)]
    a = 2.0
    b, c = 3 * a, a + 3 * a  # f = b·c, c = a + b
    df_db = c + b * 1  # directly, and through c
    twice = [('∂f/∂b', df_db), ('∂f/∂a', df_db * 3 + b * 1)]
    h = 1e-6
    for v in np.linspace(-10, 10, 201):  # smoothrelu'(z) = σ(z)
        numeric = (math.log1p(math.exp(v + h)) - math.log1p(math.exp(v - h))) / (2 * h)
        assert abs(numeric - 1 / (1 + math.exp(-v))) < 1e-8, v

    def logloss(a, t):
        return -(t * math.log(a) + (1 - t) * math.log(1 - a))

    for t in (0, 0.5, 1):  # ∂logloss/∂a = (a − t) / (a·(1 − a))
        for v in np.linspace(0.01, 0.99, 99):
            numeric = (logloss(v + h, t) - logloss(v - h, t)) / (2 * h)
            assert abs(numeric - (v - t) / (v * (1 - v))) < 1e-6 * max(1, abs(numeric)), (v, t)
    t1 = 1.0  # the neuron: w11[1] = 2, b1[2] = −1, x1 = 1
    out = 1 / (1 + math.exp(-(2 * 1 - 1)))
    dE_da = -t1 / out + (1 - t1) / (1 - out)
    neuron = [('E', logloss(out, t1)), ('δ1[2]', dE_da * out * (1 - out))]
    return circuit + twice + neuron


def computation_graphs():
    """07: each expression's value and gradients by hand (the chain rule written out), and the
    networks with the user's swish and loss as the numpy reference computes swish and ½(a − t)²."""
    x, y, z = -2.0, 5.0, -4.0
    circuit = [('f', (x + y) * z), ('∂f/∂x', z), ('∂f/∂y', z), ('∂f/∂z', x + y)]
    wa, xa, wb, xb, wc = 2.0, -1.0, -3.0, -2.0, -3.0
    s = wa * xa + wb * xb + wc
    f = 1 / (1 + math.exp(-s))
    slope = f * (1 - f)  # dσ/ds
    neuron = [('f', f), ('∂f/∂wa', xa * slope), ('∂f/∂xa', wa * slope), ('∂f/∂wb', xb * slope),
              ('∂f/∂xb', wb * slope)]
    a = 3.0
    twice = [('∂b/∂a', 1 + 1), ('∂c/∂a', 2 * a + 1)]
    net = Net([2, 2, 1], {2: 'swish', 3: 'sigmoid'}, {1: [[0.15, 0.25], [0.20, 0.30]], 2: [[0.40], [0.45]]},
              {2: [0.35, 0.35], 3: [0.60]})
    r = net.backward([[0.05, 0.10]], [[0.01]])
    swish = [('a1[2]', r['a'][2][0, 0]), ('E', r['E']), ('δ1[2]', r['d'][2][0, 0]),
             ('dE/dw11[1]', r['dW'][1][0, 0])]
    mazur = Net([2, 2, 2], {2: 'sigmoid', 3: 'sigmoid'}, {1: [[0.15, 0.25], [0.20, 0.30]],
                2: [[0.40, 0.50], [0.45, 0.55]]}, {2: [0.35, 0.35], 3: [0.60, 0.60]})
    X, T = [[0.05, 0.10]], [[0.01, 0.99]]
    r = mazur.backward(X, T)
    loss = [('E', r['E']), ('dE/dw11[2]', r['dW'][2][0, 0])]
    mazur.train(X, T, 100, 0.5, 'sgd')
    loss.append(('E', mazur.backward(X, T)['E']))
    return circuit + neuron + twice + swish + loss


EXAMPLES = {
    '01-seed-network.bpnb': seed_network,
    '02-xor.bpnb': xor,
    '03-activations.bpnb': activations,
    '04-softmax-cross-entropy.bpnb': softmax_cross_entropy,
    '05-optimisers.bpnb': optimisers,
    '06-exercises.bpnb': lambda: [],  # the exercises' expect lines are commented out
    '06-exercises-solutions.bpnb': exercises_solutions,
    '07-computation-graphs.bpnb': computation_graphs,
}

if __name__ == '__main__':
    values = {name: [[q, float(v)] for q, v in make()] for name, make in EXAMPLES.items()}
    print(json.dumps(values, ensure_ascii=False))
