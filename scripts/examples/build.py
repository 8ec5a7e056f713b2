"""Writes examples/02-…06 from the reference numbers (run: python3 scripts/examples/build.py).

Every number in an `expect` line below comes from reference.py, never from the engine.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from reference import Net, XOR_T, XOR_X  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'examples')


def v(x):
    """A number for an expect line: 10 significant digits."""
    return f'{float(x):.10g}'


def md(text):
    return {'kind': 'markdown', 'language': 'markdown', 'source': text.strip('\n').split('\n')}


def code(text):
    return {'kind': 'code', 'language': 'bpnb', 'source': text.strip('\n').split('\n')}


def write(name, cells):
    nb = {'format': 'backprop-notebook', 'version': '1.0', 'metadata': {}, 'cells': cells}
    with open(os.path.join(ROOT, name), 'w', encoding='utf-8', newline='\n') as f:
        f.write(json.dumps(nb, indent=2, ensure_ascii=False) + '\n')


def matrix(W):
    return '[' + ', '.join('[' + ', '.join(f'{x:g}' for x in row) + ']' for row in W) + ']'


def vector(b):
    return '[' + ', '.join(f'{x:g}' for x in b) + ']'


def tidy(text):
    """Negative factors in parentheses, and a proper minus sign: `0.6·-0.08` → `0.6·(−0.08)`."""
    import re
    text = re.sub(r'(·|− )-(\d[\d.]*)', r'\1(−\2)', text)
    return re.sub(r'(= |\()-(\d)', r'\1−\2', text)


def sig(name, sizes, acts):
    return f'network {name} ' + ' -> '.join([str(sizes[0])] + [f'{n} {a}' for n, a in zip(sizes[1:], acts)])


# ---------------------------------------------------------------------------------------------
# 02: XOR

def xor_notebook():
    P_W, P_b = [[0.3], [-0.2]], [0.1]
    perceptron = Net([2, 1], {2: 'sigmoid'}, {1: P_W}, {2: P_b})
    perceptron.train(XOR_X, XOR_T, 5000, 2.0)
    p_E = perceptron.backward(XOR_X, XOR_T)['E']
    assert p_E >= 0.125 - 1e-12, p_E

    W1 = [[0.5, -0.4, 0.9], [-0.6, 0.7, 0.8]]
    W2 = [[0.3], [-0.5], [0.4]]
    b2, b3 = [0.1, -0.1, 0.2], [0.0]
    net = Net([2, 3, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: W1, 2: W2}, {2: b2, 3: b3})
    r0 = net.backward(XOR_X, XOR_T)
    # per-row gradients, to show the batch gradient is their mean
    per_row = [Net([2, 3, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: W1, 2: W2}, {2: b2, 3: b3}).backward([x], [t])['dW'][2][0, 0] for x, t in zip(XOR_X, XOR_T)]
    assert abs(np.mean(per_row) - r0['dW'][2][0, 0]) < 1e-15
    history = net.train(XOR_X, XOR_T, 4000, 2.0)
    r1 = net.backward(XOR_X, XOR_T)
    corners = [net.forward([x])[1][3][0, 0] for x in XOR_X]

    cells = [
        md('''
# XOR: why a hidden layer is needed

XOR is the smallest problem a single layer of weights cannot solve:

| x1 | x2 | t1 = x1 XOR x2 |
| --- | --- | --- |
| 0 | 0 | 0 |
| 0 | 1 | 1 |
| 1 | 0 | 1 |
| 1 | 1 | 0 |

This notebook first tries a network with no hidden layer (L1 → L2 directly), shows that it cannot get the error
down, then adds a hidden layer L2 of three sigmoid nodes and trains it to a near-perfect fit.
The notation is the seed's: `wij[k]` goes from node `i[k]` to node `j[k+1]`, `zj[k]` is the weighted input of
node `j[k]`, `aj[k] = g(zj[k])` its output and `δj[k] = ∂E/∂zj[k]`. The error over the four rows is the mean of
the seed's `E = ½·(a − t)²`.
'''),
        md('''
## No hidden layer: one line cannot separate XOR

With a single sigmoid node the output is `a1[2] = g(w11[1]·x1 + w21[1]·x2 + b1[2])`, and `a1[2] > ½` exactly when
`z1[2] > 0`: the two classes are split by the straight line `w11[1]·x1 + w21[1]·x2 + b1[2] = 0`.
Getting all four rows on the right side would need

    (0,0):  b1[2] ≤ 0                       (1,1):  w11[1] + w21[1] + b1[2] ≤ 0
    (0,1):  w21[1] + b1[2] > 0              (1,0):  w11[1] + b1[2] > 0

Adding the two on the left gives `w11[1] + w21[1] + 2·b1[2] > 0`, adding the two on the right gives the opposite:
no weights satisfy all four. Gradient descent can do no better than outputting ½ everywhere, which costs
E = ½·(½)² = 0.125 on every row. The training below ends there however long it runs.
'''),
        code(f'''
network perceptron 2 -> 1 sigmoid
loss half-squared
w11[1] = {P_W[0][0]:g}
w21[1] = {P_W[1][0]:g}
b1[2] = {P_b[0]:g}
dataset xor
train epochs 5000 lr 2
expect E > 0.1249
show boundary
'''),
        md(f'''
## A hidden layer of three nodes

Now L1 → L2 (3 sigmoid nodes) → L3 (1 sigmoid node), with fixed starting weights so every number below can be
checked by hand. With a dataset, `forward` and `backward` run all four rows at once: `E` is the **mean** of the
four rows' errors, and every gradient is the mean of the four rows' gradients, e.g.

    ∂E/∂w11[2] = ¼·Σrows δ1[3]·a1[2]

The tables of z, a and δ show the first row, (0, 0).
'''),
        code(f'''
network xor 2 -> 3 sigmoid -> 1 sigmoid
loss half-squared
weights [1] = {matrix(W1)}
biases [2] = {vector(b2)}
weights [2] = {matrix(W2)}
b1[3] = 0
dataset xor
forward
backward
show gradients
expect E = {v(r0['E'])} ± 1e-9
expect δ1[3] = {v(r0['d'][3][0, 0])} ± 1e-9
expect δ2[2] = {v(r0['d'][2][0, 1])} ± 1e-9
expect dE/dw11[2] = {v(r0['dW'][2][0, 0])} ± 1e-9
expect dE/dw23[1] = {v(r0['dW'][1][1, 2])} ± 1e-9
expect dE/db1[3] = {v(r0['db'][3][0])} ± 1e-9
'''),
        md(f'''
## Training

`train epochs 4000 lr 2` repeats forward, backward and `wij[k] ← wij[k] − η·∂E/∂wij[k]` with η = 2, once per
epoch over the whole batch. The loss stays on a plateau near 0.125 for a few hundred epochs (the hidden
nodes first have to become different from one another), then falls quickly: after 500 epochs it is about
{history[500]:.3f}, after 1000 about {history[1000]:.4f}.
'''),
        code(f'''
train epochs 4000 lr 2 log 500
expect E = {v(r1['E'])} ± 1e-7
expect E < 0.001
'''),
        md('''
## The decision boundary

Each hidden node draws one line through the input plane; the output node combines the three half-planes,
so the region where `a1[3] > ½` can be a band between two lines, which is exactly what XOR needs.
'''),
        code('''
show boundary
show weights
'''),
        md('''
## The four corners

Feeding each corner through the trained network gives outputs close to the targets 0, 1, 1, 0.
'''),
        code('\n'.join(
            [line for x, a in zip(XOR_X, corners) for line in (f'input x = [{x[0]}, {x[1]}]', 'forward', f'expect a1[3] = {v(a)} ± 1e-7')]
        )),
    ]
    write('02-xor.bpnb', cells)


# ---------------------------------------------------------------------------------------------
# 03: activations compared

ACT_W = {
    1: [[0.8, -0.6, 0.5, -0.9], [0.4, 0.7, -0.8, -0.3]],
    2: [[0.6, -0.5, 0.4, 0.3], [-0.4, 0.8, 0.5, -0.6], [0.5, 0.3, -0.7, 0.6], [-0.3, 0.6, 0.4, 0.7]],
    3: [[0.7, -0.4, 0.5, 0.6], [0.5, 0.6, -0.3, -0.5], [-0.6, 0.4, 0.8, 0.3], [0.4, -0.7, 0.6, 0.5]],
    4: [[0.9], [-0.8], [0.7], [0.6]],
}
ACTS = [('sig', 'sigmoid', 'sigmoid', 0.01), ('tanh', 'tanh', 'tanh', 0.01), ('relu', 'relu', 'relu', 0.01), ('leaky', 'leaky-relu(0.1)', 'leaky-relu', 0.1)]
EPOCHS_03, LR_03 = 2000, 0.5


def activations_notebook():
    x, t = [1, 0.5], [0]
    cells = [
        md('''
# Activations compared: sigmoid, tanh, relu, leaky relu

The backward pass multiplies by the activation's slope once per layer:

    δi[k] = g'(zi[k]) · Σj wij[k] · δj[k+1]

so the choice of g decides how much of the output's error reaches the first layers.

| activation | g(z) | g'(z) | largest g' |
| --- | --- | --- | --- |
| sigmoid | 1/(1+e^−z) | g(z)·(1−g(z)) | ¼ (at z = 0) |
| tanh | tanh z | 1 − tanh² z | 1 (at z = 0) |
| relu | max(0, z) | 1 if z > 0 else 0 | 1 |
| leaky relu (α) | z if z > 0 else α·z | 1 if z > 0 else α | 1 |

Below, the same deep network 2 → 4 → 4 → 4 → 1 (three hidden layers L2, L3, L4, a sigmoid output L5, no biases)
with the same weights gets one input, once for each hidden activation. Target t1 = 0, error E = ½·(a1[5] − t1)².
'''),
    ]
    weights = '\n'.join(f'weights [{k}] = {matrix(ACT_W[k])}' for k in (1, 2, 3, 4))
    means = {}
    for name, written, kind, alpha in ACTS:
        n = Net([2, 4, 4, 4, 1], {2: kind, 3: kind, 4: kind, 5: 'sigmoid'}, ACT_W, alpha=alpha)
        r = n.backward([x], [t])
        means[name] = [np.abs(r['d'][k]).mean() for k in (5, 4, 3, 2)]
        expects = [f'expect δ1[5] = {v(r["d"][5][0, 0])} ± 1e-9', f'expect δ1[4] = {v(r["d"][4][0, 0])} ± 1e-9', f'expect δ1[2] = {v(r["d"][2][0, 0])} ± 1e-9']
        if kind == 'relu':
            expects += ['expect a2[2] = 0', 'expect δ2[2] = 0', 'expect δ4[2] = 0', 'expect dE/dw12[1] = 0', 'expect dE/dw24[1] = 0']
        if kind == 'leaky-relu':
            expects += [f'expect δ2[2] = {v(r["d"][2][0, 1])} ± 1e-10', f'expect dE/dw12[1] = {v(r["dW"][1][0, 1])} ± 1e-10']
        cells.append(code(f'''
network {name} 2 -> 4 {written} -> 4 {written} -> 4 {written} -> 1 sigmoid
bias off
loss half-squared
{weights}
input x = {vector(x)}
target t = {vector(t)}
forward
backward
show deltas
''' + '\n'.join(expects)))
    rows = '\n'.join(f'| {name} | ' + ' | '.join(f'{m:.2e}' for m in means[name]) + f' | {means[name][0] / means[name][3]:.0f}× |' for name, *_ in ACTS)
    cells.append(md(f'''
## Delta magnitudes per layer

The mean of |δj[k]| over the nodes of each layer (from the output back), from the cells above:

| network | L5 (output) | L4 | L3 | L2 | shrinks by |
| --- | --- | --- | --- | --- | --- |
{rows}

With sigmoid every layer multiplies by at most ¼, so the δ reaching L2 is about fifty times smaller than the
output's: the first layers hardly learn. This is the **vanishing gradient**. tanh and relu pass the error back
with slopes near 1, so the δ stays the same size.

**Dead units.** With relu, a node whose weighted input is negative outputs 0 and has slope 0. For this input
z2[2] = −0.25 and z4[2] = −1.05, so a2[2] = 0, δ2[2] = δ4[2] = 0, and every weight into those nodes
(w12[1], w22[1], w14[1], w24[1]) gets a zero gradient: for this input they do not learn at all. If a node is
negative for *every* input it never recovers ("dead relu"). Leaky relu keeps a slope α = 0.1 there, so
δ2[2] is small but not zero.
'''))
    cells.append(md(f'''
## The same networks trained on XOR

Each network now gets biases (starting at 0) and trains on XOR for {EPOCHS_03} epochs with η = {LR_03},
from the same starting weights. The sigmoid network is still on the plateau at E ≈ 0.125 (output ½ everywhere)
when the others have all but solved the task.
'''))
    for name, written, kind, alpha in ACTS:
        n = Net([2, 4, 4, 4, 1], {2: kind, 3: kind, 4: kind, 5: 'sigmoid'}, ACT_W, {2: [0] * 4, 3: [0] * 4, 4: [0] * 4, 5: [0]}, alpha=alpha)
        n.train(XOR_X, XOR_T, EPOCHS_03, LR_03)
        E = n.backward(XOR_X, XOR_T)['E']
        claim = 'expect E > 0.12' if kind == 'sigmoid' else 'expect E < 0.01'
        cells.append(code(f'''
use {name}
bias on
dataset xor
train epochs {EPOCHS_03} lr {LR_03:g}
expect E = {v(E)} ± 1e-7
{claim}
'''))
    cells.append(code('''
use relu
show boundary
'''))
    write('03-activations.bpnb', cells)


# ---------------------------------------------------------------------------------------------
# 04: softmax with cross-entropy

def softmax_notebook():
    W1 = [[0.4, -0.7, 0.2], [0.9, 0.3, -0.5]]
    b2 = [0.1, -0.2, 0.05]
    W2 = [[0.6, -0.4, 0.3], [-0.8, 0.5, 0.7], [0.2, 0.9, -0.6]]
    b3 = [0.0, 0.1, -0.1]
    x, t = [0.5, -1.0], [0, 1, 0]
    net = Net([2, 3, 3], {2: 'tanh', 3: 'softmax'}, {1: W1, 2: W2}, {2: b2, 3: b3}, loss='cross-entropy')
    r = net.backward([x], [t])
    a = r['a'][3][0]
    tt = np.array(t, dtype=float)
    # the full chain rule: ∂E/∂zj = Σk ∂E/∂ak · ∂ak/∂zj, with ∂E/∂ak = −tk/ak and ∂ak/∂zj = ak·([k = j] − aj)
    jac = np.array([[a[k] * ((1 if k == j else 0) - a[j]) for j in range(3)] for k in range(3)])
    dE_da = -tt / a
    delta_chain = dE_da @ jac
    assert np.allclose(delta_chain, a - tt, atol=1e-15)
    E = -np.log(a[1])
    assert abs(E - r['E']) < 1e-15
    # finite-difference check of one weight, independently of the engine's gradcheck
    def E_of(w):
        W = [row[:] for row in W2]
        W[0][0] = w
        return Net([2, 3, 3], {2: 'tanh', 3: 'softmax'}, {1: W1, 2: W}, {2: b2, 3: b3}, loss='cross-entropy').backward([x], [t])['E']
    h = 1e-6
    numeric = (E_of(W2[0][0] + h) - E_of(W2[0][0] - h)) / (2 * h)
    assert abs(numeric - r['dW'][2][0, 0]) < 1e-8
    soft = [0.2, 0.7, 0.1]
    rs = net.backward([x], [soft])

    # saturated sigmoid output: half-squared vs binary cross-entropy
    sat = dict(W={1: [[4], [4]]}, b={2: [0]})
    xs, ts = [1, 1], [0]
    half = Net([2, 1], {2: 'sigmoid'}, sat['W'], sat['b']).backward([xs], [ts])
    bce = Net([2, 1], {2: 'sigmoid'}, sat['W'], sat['b'], loss='binary-cross-entropy').backward([xs], [ts])

    cells = [
        md('''
# Softmax with cross-entropy: why δ = a − t at the output

A classifier with K classes ends in a **softmax** layer: its outputs are positive and add up to 1, so they read
as probabilities,

    aj[n] = e^zj[n] / Σk e^zk[n]

and it is trained with the **cross-entropy** error `E = −Σk tk·log ak[n]` (for a one-hot target, E = −log of the
probability given to the right class).

Unlike sigmoid, every softmax output depends on every z of its layer, so the chain rule for the output δ has a sum:

    δj[n] = ∂E/∂zj[n] = Σk ∂E/∂ak[n] · ∂ak[n]/∂zj[n]
    ∂E/∂ak[n] = −tk / ak[n]
    ∂ak[n]/∂zj[n] = ak[n]·(1 − aj[n]) if k = j,   −ak[n]·aj[n] otherwise

Multiplying out: δj[n] = −tj·(1 − aj[n]) + Σk≠j tk·aj[n] = aj[n]·Σk tk − tj, and since the targets add up to 1,

    δj[n] = aj[n] − tj

All the softmax and logarithm derivatives cancel. The network below is L1 (2 inputs) → L2 (3 tanh nodes) →
L3 (3 softmax outputs), with biases; the target is class 2.
'''),
        code(f'''
network classes 2 -> 3 tanh -> 3 softmax
loss cross-entropy
weights [1] = {matrix(W1)}
biases [2] = {vector(b2)}
weights [2] = {matrix(W2)}
biases [3] = {vector(b3)}
input x = {vector(x)}
target t = {vector(t)}
forward
expect a1[3] = {v(a[0])} ± 1e-9
expect a2[3] = {v(a[1])} ± 1e-9
expect a3[3] = {v(a[2])} ± 1e-9
'''),
        md(f'''
## The output δ, three ways

The expected values below were computed outside the engine with the **full** chain rule above (the 3 × 3
Jacobian of softmax times ∂E/∂a); they agree with `a − t` to the last digit:

    δ1[3] = a1[3] − 0 = {a[0]:.6f}      δ2[3] = a2[3] − 1 = {a[1] - 1:.6f}      δ3[3] = a3[3] − 0 = {a[2]:.6f}

and E = −log a2[3] = {E:.6f}. Then `gradcheck` compares every ∂E/∂w and ∂E/∂b with a central finite difference
(E(w + ε) − E(w − ε)) / 2ε, which knows nothing about the chain rule.
'''),
        code(f'''
backward
show deltas
expect E = {v(E)} ± 1e-9
expect δ1[3] = {v(delta_chain[0])} ± 1e-9
expect δ2[3] = {v(delta_chain[1])} ± 1e-9
expect δ3[3] = {v(delta_chain[2])} ± 1e-9
expect dE/dw11[2] = {v(numeric)} ± 1e-7
expect δ1[2] = {v(r['d'][2][0, 0])} ± 1e-9
gradcheck
'''),
        md('''
`explain` shows the derivation the engine used, with the numbers put in. At the hidden layer the usual
rule applies: `δi[2] = g'(zi[2]) · Σj wij[2]·δj[3]` with g = tanh, g'(z) = 1 − tanh² z.
'''),
        code('''
explain δ2[3]
explain dE/dw11[2]
explain δ1[2]
'''),
        md('''
## Soft targets

The result only needed Σk tk = 1, so it holds for soft targets too (for example label smoothing):
'''),
        code(f'''
target t = {vector(soft)}
forward
backward
expect δ1[3] = {v(rs['d'][3][0, 0])} ± 1e-9
expect δ2[3] = {v(rs['d'][3][0, 1])} ± 1e-9
expect δ3[3] = {v(rs['d'][3][0, 2])} ± 1e-9
gradcheck
'''),
        md(f'''
## Why not the squared error for classifiers?

A sigmoid output with **binary cross-entropy** `E = −[t·log a + (1 − t)·log(1 − a)]` gets the same simple
δ1[n] = a1[n] − t1. With the seed's `E = ½·(a − t)²` the output δ keeps the slope g'(z) = a·(1 − a):

    δ1[n] = (a1[n] − t1) · a1[n]·(1 − a1[n])

When the output is confidently **wrong**, a is close to 1 or 0, the slope is almost 0, and so is δ: the network
barely learns from its worst mistakes. Below, one sigmoid node with z = 8 (a ≈ {half['a'][2][0, 0]:.5f}) and
target 0: the squared error gives δ ≈ {half['d'][2][0, 0]:.2e}, cross-entropy δ ≈ {bce['d'][2][0, 0]:.4f}.
'''),
        code(f'''
network squared 2 -> 1 sigmoid
loss half-squared
w11[1] = 4
w21[1] = 4
b1[2] = 0
input x = {vector(xs)}
target t = {vector(ts)}
forward
backward
expect δ1[2] = {v(half['d'][2][0, 0])} ± 1e-12
network crossentropy 2 -> 1 sigmoid
loss binary-cross-entropy
w11[1] = 4
w21[1] = 4
b1[2] = 0
input x = {vector(xs)}
target t = {vector(ts)}
forward
backward
expect δ1[2] = {v(bce['d'][2][0, 0])} ± 1e-9
expect E = {v(bce['E'])} ± 1e-9
gradcheck
'''),
    ]
    write('04-softmax-cross-entropy.bpnb', cells)


# ---------------------------------------------------------------------------------------------
# 05: optimisers and learning rates

XOR_START = dict(W1=[[0.5, -0.4, 0.9], [-0.6, 0.7, 0.8]], W2=[[0.3], [-0.5], [0.4]], b2=[0.1, -0.1, 0.2])


def optimisers_notebook():
    line_x, line_t = [[1], [2], [3]], [[2], [4], [6]]
    mean_x2 = np.mean(np.array(line_x) ** 2)
    line_runs = []
    for lr in (0.1, 0.4, 0.5):
        n = Net([1, 1], {2: 'identity'}, {1: [[0]]})
        h = n.train(line_x, line_t, 20, lr)
        r = n.backward(line_x, line_t)
        # closed form: w − 2 shrinks (or grows) by the factor (1 − η·mean(x²)) every epoch
        factor = 1 - lr * mean_x2
        assert abs(n.W[1][0, 0] - (2 - 2 * factor ** 20)) < 1e-9 * max(1, abs(factor) ** 20)
        line_runs.append((lr, factor, r['E'], n.W[1][0, 0], h))

    xor_runs = []
    for name, opt, lr, extra in (('slow', 'sgd', 0.01, ''), ('sgd', 'sgd', 0.5, ''), ('fast', 'sgd', 2, ''),
                                 ('momentum', 'momentum', 0.5, ' momentum 0.9'), ('adam', 'adam', 0.05, ''), ('adam3', 'adam', 0.3, '')):
        n = Net([2, 3, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: XOR_START['W1'], 2: XOR_START['W2']}, {2: XOR_START['b2'], 3: [0]})
        n.train(XOR_X, XOR_T, 1000, lr, opt)
        xor_runs.append((name, opt, lr, extra, n.backward(XOR_X, XOR_T)['E']))

    cells = [
        md('''
# Optimisers and learning rates

Backpropagation gives ∂E/∂wij[k]; the optimiser decides what to do with it. Three rules:

    SGD:       wij[k] ← wij[k] − η·∂E/∂wij[k]
    momentum:  v ← β·v + ∂E/∂wij[k];   wij[k] ← wij[k] − η·v              (β = 0.9)
    Adam:      m ← β1·m + (1 − β1)·g;  s ← β2·s + (1 − β2)·g²;  g = ∂E/∂wij[k]
               wij[k] ← wij[k] − η·(m / (1 − β1^t)) / (√(s / (1 − β2^t)) + ε)   (β1 = 0.9, β2 = 0.999)

(one `v`, `m`, `s` per weight and bias; t counts the updates). Every `train` below uses the whole data set as one
batch, so the only differences are the rule and η.
'''),
        md(f'''
## The learning rate on a straight line

The smallest possible model shows what η does: one identity node, one weight, no bias, a1[2] = w11[1]·x1, and
three rows with t1 = 2·x1. The error is a parabola in w11[1]:

    E = ½·mean((w11[1]·x1 − 2·x1)²) = ½·mean(x1²)·(w11[1] − 2)²,   mean(x1²) = 14/3
    ∂E/∂w11[1] = (14/3)·(w11[1] − 2)

so one step multiplies the distance to the answer by (1 − η·14/3):

| η | factor per step | after 20 epochs |
| --- | --- | --- |
''' + '\n'.join(f'| {lr:g} | {f:+.4f} | E = {E:.4g}, w11[1] = {w:.6g} |' for lr, f, E, w, _ in line_runs) + '''

Below η = 3/7 ≈ 0.43 the distance shrinks; with η = 0.4 the factor is negative, so w11[1] jumps to the other
side of 2 each step (overshooting) but still gets closer. Above 3/7 every step overshoots by more than the last:
at η = 0.5 the error **grows** by (4/3)² each epoch.
'''),
    ]
    for (lr, f, E, w, h) in line_runs:
        extra = ''
        if lr == 0.5:
            extra = f'\nexpect E > {h[0]:.4g}\nexpect E > 1000'
        cells.append(code(f'''
network line{str(lr).replace('.', '')} 1 -> 1 identity
bias off
loss half-squared
w11[1] = 0
data = [1 -> 2; 2 -> 4; 3 -> 6]
train epochs 20 lr {lr:g}
expect w11[1] = {v(w)} ± {max(1e-9, abs(w) * 1e-9):.1g}
expect E = {v(E)} ± {max(1e-9, E * 1e-9):.1g}{extra}
'''))
    table = '\n'.join(f'| {name} | {opt} | {lr:g} | {E:.4g} |' for name, opt, lr, _, E in xor_runs)
    cells.append(md(f'''
## XOR with each optimiser

The 2 → 3 → 1 sigmoid network of the XOR notebook, from the same starting weights, trained for 1000 epochs:

| network | optimiser | η | E after 1000 epochs |
| --- | --- | --- | --- |
{table}

- η = 0.01 is **too small**: after 1000 epochs E has barely left 0.1256.
- Plain SGD with η = 0.5 spends the whole run on the plateau near 0.125; η = 2 gets off it.
- **Momentum** with the same η = 0.5 gets off it: `v` adds up the small, consistent gradients of the plateau.
- **Adam** with η = 0.05 quickly reaches E ≈ 0.0625 = 1/16 and stays: one of the four rows is stuck at an output
  of ½ (error ½·¼ on one row out of four). A faster optimiser can still settle in a poor place; with η = 0.3
  Adam leaves it and fits all four rows.

For a sigmoid network like this one a larger η mostly means faster progress: the sigmoid keeps every output
between 0 and 1, so the error cannot blow up. The straight line above is where a too-large η shows its danger.
'''))
    for name, opt, lr, extra, E in xor_runs:
        claim = {'slow': '\nexpect E > 0.124', 'adam': '\nexpect E > 0.06', 'momentum': '\nexpect E < 0.01', 'adam3': '\nexpect E < 0.001'}.get(name, '')
        cells.append(code(f'''
network {name} 2 -> 3 sigmoid -> 1 sigmoid
weights [1] = {matrix(XOR_START['W1'])}
biases [2] = {vector(XOR_START['b2'])}
weights [2] = {matrix(XOR_START['W2'])}
b1[3] = 0
dataset xor
train epochs 1000 lr {lr:g} optimiser {opt}{extra}
expect E = {v(E)} ± 1e-6{claim}
'''))
    cells.append(md('''
## Divergence is caught

Left to run, the η = 0.5 line grows by (4/3)² per epoch and after about 1,230 epochs E no longer fits in a
double. The engine checks E, every gradient and every update on every step; the moment one of them is not finite
it stops, keeps the last finite weights, and **fails the cell** with a message naming the epoch, e.g.

    training diverged: the loss became non-finite at epoch …, step …; the last finite weights are kept

A failing cell stops the cells after it, so the demonstration is left commented out at the very end:
remove the `#` and run the cell to see it.
'''))
    cells.append(code('''
use line05
# train epochs 5000 lr 0.5
show w11[1]
'''))
    write('05-optimisers.bpnb', cells)


# ---------------------------------------------------------------------------------------------
# 06: exercises and their solutions

def exercises_notebooks():
    W1, b2 = [[0.1, 0.4], [0.3, -0.2]], [0.5, -0.5]
    W2, b3 = [[0.6], [-0.3]], [0.2]
    x, t, lr = [1, 2], [1], 1
    net = Net([2, 2, 1], {2: 'sigmoid', 3: 'sigmoid'}, {1: W1, 2: W2}, {2: b2, 3: b3})
    r = net.backward([x], [t])
    z, a, d, dW, db = r['z'], r['a'], r['d'], r['dW'], r['db']
    sp = lambda k, j: a[k][0, j] * (1 - a[k][0, j])  # g'(zj[k]) for the sigmoid
    TOL = '± 1e-4'
    # (title, explanation with the formula, [(quantity, value)], worked solution)
    exercises = [
        ('1. Weighted inputs of the hidden layer', 'zj[2] = w1j[1]·x1 + w2j[1]·x2 + bj[2]',
         [('z1[2]', z[2][0, 0]), ('z2[2]', z[2][0, 1])],
         f'z1[2] = 0.1·1 + 0.3·2 + 0.5 = {z[2][0, 0]:g};  z2[2] = 0.4·1 + (−0.2)·2 − 0.5 = {z[2][0, 1]:g}'),
        ('2. Hidden outputs', 'aj[2] = g(zj[2]) = 1/(1 + e^−zj[2])',
         [('a1[2]', a[2][0, 0]), ('a2[2]', a[2][0, 1])],
         f'a1[2] = 1/(1 + e^−1.2) = {a[2][0, 0]:.6f};  a2[2] = 1/(1 + e^0.5) = {a[2][0, 1]:.6f}'),
        ('3. The output and the error', 'z1[3] = w11[2]·a1[2] + w21[2]·a2[2] + b1[3],  a1[3] = g(z1[3]),  E = ½·(a1[3] − t1)²',
         [('z1[3]', z[3][0, 0]), ('a1[3]', a[3][0, 0]), ('E', r['E'])],
         f'z1[3] = 0.6·{a[2][0, 0]:.6f} − 0.3·{a[2][0, 1]:.6f} + 0.2 = {z[3][0, 0]:.6f};  a1[3] = {a[3][0, 0]:.6f};  E = ½·({a[3][0, 0]:.6f} − 1)² = {r["E"]:.6f}'),
        ('4. The output δ', 'δ1[3] = (a1[3] − t1)·g\'(z1[3]), with g\'(z) = g(z)·(1 − g(z))',
         [('δ1[3]', d[3][0, 0])],
         f'δ1[3] = ({a[3][0, 0]:.6f} − 1)·{a[3][0, 0]:.6f}·(1 − {a[3][0, 0]:.6f}) = {d[3][0, 0]:.6f}'),
        ('5. Gradients of the last layer', '∂E/∂wi1[2] = δ1[3]·ai[2],  ∂E/∂b1[3] = δ1[3]',
         [('dE/dw11[2]', dW[2][0, 0]), ('dE/dw21[2]', dW[2][1, 0]), ('dE/db1[3]', db[3][0])],
         f'∂E/∂w11[2] = {d[3][0, 0]:.6f}·{a[2][0, 0]:.6f} = {dW[2][0, 0]:.6f};  ∂E/∂w21[2] = {d[3][0, 0]:.6f}·{a[2][0, 1]:.6f} = {dW[2][1, 0]:.6f};  ∂E/∂b1[3] = δ1[3]'),
        ('6. One layer back', 'δi[2] = g\'(zi[2])·wi1[2]·δ1[3]  (with the weights before any update)',
         [('δ1[2]', d[2][0, 0]), ('δ2[2]', d[2][0, 1])],
         f'δ1[2] = {sp(2, 0):.6f}·0.6·{d[3][0, 0]:.6f} = {d[2][0, 0]:.6f};  δ2[2] = {sp(2, 1):.6f}·(−0.3)·{d[3][0, 0]:.6f} = {d[2][0, 1]:.6f}'),
        ('7. Gradients of the first layer', '∂E/∂wij[1] = δj[2]·xi',
         [('dE/dw12[1]', dW[1][0, 1]), ('dE/dw21[1]', dW[1][1, 0])],
         f'∂E/∂w12[1] = δ2[2]·x1 = {d[2][0, 1]:.6f}·1 = {dW[1][0, 1]:.6f};  ∂E/∂w21[1] = δ1[2]·x2 = {d[2][0, 0]:.6f}·2 = {dW[1][1, 0]:.6f}'),
    ]
    new_w11 = W2[0][0] - lr * dW[2][0, 0]
    new_w21_1 = W1[1][0] - lr * dW[1][1, 0]
    exercises.append(('8. One step of gradient descent', f'wij[k] ← wij[k] − η·∂E/∂wij[k] with η = {lr}',
                      [('w11[2]', new_w11), ('w21[1]', new_w21_1)],
                      f'w11[2] = 0.6 − {dW[2][0, 0]:.6f} = {new_w11:.6f};  w21[1] = 0.3 − {dW[1][1, 0]:.6f} = {new_w21_1:.6f}'))
    runs = ['forward', '', 'forward', 'backward', '', '', '', f'update lr {lr}']

    def build(solutions):
        title = 'Exercises: solutions' if solutions else 'Exercises: backpropagation by hand'
        intro = ('''
Worked answers to `06-exercises.bpnb`, with each expect line checking the hand-derived value (to ±0.0001).
''' if solutions else '''
Work out each quantity **on paper first** (a calculator is fine), then write your value in place of `???`,
remove the `#` in front of `expect`, and run the cell. The check passes when your value is within ±0.0001.
Running a cell also shows the engine's tables, so fill in your answers before you run it.
The answers are in `06-exercises-solutions.bpnb`.
''')
        cells = [
            md(f'''
# {title}
{intro}
The network: L1 (inputs x1, x2) → L2 (2 sigmoid nodes) → L3 (1 sigmoid output), with biases,
E = ½·(a1[3] − t1)², and x = (1, 2), t1 = 1.

    w11[1] = 0.1   w12[1] = 0.4      b1[2] = 0.5     w11[2] = 0.6     b1[3] = 0.2
    w21[1] = 0.3   w22[1] = −0.2     b2[2] = −0.5    w21[2] = −0.3

Notation as in the seed: `wij[k]` goes from node `i[k]` to node `j[k+1]`, `zj[k]` is the weighted input of node
`j[k]`, `aj[k] = g(zj[k])` its output, `δj[k] = ∂E/∂zj[k]`.
'''),
            code(f'''
network 2 -> 2 sigmoid -> 1 sigmoid
loss half-squared
weights [1] = {matrix(W1)}
biases [2] = {vector(b2)}
weights [2] = {matrix(W2)}
biases [3] = {vector(b3)}
input x = {vector(x)}
target t = {vector(t)}
'''),
        ]
        for (head, formula, quantities, worked), run in zip(exercises, runs):
            text = f'## {head}\n\n    {formula}'
            if solutions:
                text += '\n\n' + tidy(worked)
            cells.append(md(text))
            lines = [run] if run else []
            for q, value in quantities:
                lines.append(f'expect {q} = {v(value)} {TOL}' if solutions else f'# expect {q} = ???  {TOL}')
            cells.append(code('\n'.join(lines)))
        return cells

    write('06-exercises.bpnb', build(False))
    write('06-exercises-solutions.bpnb', build(True))


if __name__ == '__main__':
    xor_notebook()
    activations_notebook()
    softmax_notebook()
    optimisers_notebook()
    exercises_notebooks()
