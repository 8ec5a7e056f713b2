/**
 * The Python helpers every exported script starts with (see pytorch.ts): a network as an
 * nn.Sequential of nn.Linear and activations in float64, its passes recorded in the seed's
 * notation, and the update rules written out as the engine (src/engine/trainer.ts) applies them.
 */
import { ACTIVATION_LIST } from '../engine/activations';
import { LOSS_LIST } from '../engine/losses';
import { AWKWARD_POINTS, CHECK_DEFAULTS } from '../engine/derivativeCheck';
import { GRAPH_GRADCHECK } from '../engine/gradcheck';
import type { Op } from '../engine/expression';
import { USER_TORCH_ACTIVATION, USER_TORCH_LOSS } from '../engine/userDefined';

/**
 * Each operation of a computation graph in PyTorch (a function of one or two float64 scalar
 * tensors): the export writes a call of it for each function an expression calls, and
 * `graph_eval` applies it node by node. Keyed by the engine's ops, so a new op does not compile
 * until it has its export. PyTorch's gradients at the kinks are the engine's (relu'(0) = 0,
 * |x|'(0) = 0, a tie of max/min splits ½ and ½, 0 through step and sign).
 */
export const TORCH_OPS: Record<Exclude<Op, 'const' | 'input'>, string> = {
  '+': 'torch.add',
  '-': 'torch.sub',
  '*': 'torch.mul',
  '/': 'torch.div',
  '^': 'torch.pow',
  neg: 'torch.neg',
  exp: 'torch.exp',
  log: 'torch.log',
  sqrt: 'torch.sqrt',
  tanh: 'torch.tanh',
  sigmoid: 'torch.sigmoid',
  relu: 'torch.relu',
  abs: 'torch.abs',
  step: 'step',
  sign: 'torch.sign',
  max: 'torch.maximum',
  min: 'torch.minimum',
};

const GRAPH_FUNCTIONS =
  `# computation graphs: each name is a float64 scalar tensor in v; a ` +
  `value written as a number is a leaf
v = {}


def leaf(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def const(x):
    return torch.tensor(x, dtype=torch.float64)


def step(x):
    """1 where x > 0, else 0: no gradient flows through it."""
    return (x > 0).to(torch.float64)


def grad_of(f, x):
    """∂f/∂x, summed over every path from f to x (autograd accumulates them); 0 where none carries
    a gradient."""
    if f is x:
        return 1.0
    if not f.requires_grad or not x.requires_grad:
        return 0.0
    (g,) = torch.autograd.grad(f, [x], retain_graph=True, allow_unused=True)
    return 0.0 if g is None else g.item()


OPS = {${Object.entries(TORCH_OPS)
    .map(([op, fn]) => `"${op}": ${fn}`)
    .join(', ')}}


def graph_eval(nodes, leaves):
    """The root of a graph given as its nodes in order: ("input", k) is leaves[k], ("const", c) a
    number, (op, i[, j]) the op applied to earlier nodes."""
    n = []
    for node in nodes:
        if node[0] == "input":
            n.append(leaves[node[1]])
        elif node[0] == "const":
            n.append(const(node[1]))
        else:
            n.append(OPS[node[0]](*[n[i] for i in node[1:]]))
    return n[-1]


def gradcheck_graph(root, names, values, nodes):
    """∂root/∂leaf by autograd against central differences (h = step·max(1, |v|)), as the
    notebook's gradcheck does; returns how many leaves agree (|a − n| ≤ atol + ` +
  `rtol·max(|a|, |n|))."""
    xs = [leaf(x) for x in values]
    f = graph_eval(nodes, xs)
    agree = 0
    for k, (name, x) in enumerate(zip(names, values)):
        analytic = grad_of(f, xs[k])
        h = ${GRAPH_GRADCHECK.step} * max(1.0, abs(x))

        def moved(d):
            return graph_eval(nodes, [const(y + d if i == k else y) for i, y in ` +
  `enumerate(values)]).item()

        numeric = (moved(h) - moved(-h)) / (2 * h)
        show(f"gradcheck ∂{root}/∂{name}", analytic)
        scale = max(abs(analytic), abs(numeric))
        allowed = ${GRAPH_GRADCHECK.atol} + ${GRAPH_GRADCHECK.rtol} * scale
        if abs(analytic - numeric) <= allowed:
            agree += 1
    return agree`;

const USER_FUNCTIONS =
  `# user-defined activations and losses (activation NAME(z) = …, loss ` +
  `NAME(a, t) = …): each a
# function of float64 tensors, element by element, built from torch's operations; autograd
# differentiates them
user_activations, user_losses = {}, {}


class UserActivation(nn.Module):
    def __init__(self, g):
        super().__init__()
        self.g = g

    def forward(self, z):
        return torch.broadcast_to(self.g(z), z.shape)


def first_derivative(f, xs, rest):
    """f and ∂f/∂(first argument) at the points xs, the other arguments fixed at rest (autograd)."""
    with torch.enable_grad():
        x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
        args = [x] + [torch.full_like(x, r) for r in rest]
        value = torch.broadcast_to(f(*args), x.shape)
        (d,) = torch.autograd.grad(value.sum(), x, allow_unused=True)
    return args, value.detach(), torch.zeros_like(x) if d is None else d


def at_point(f, *point):
    """f and its derivative in the first argument at one point, as numbers."""
    _, value, d = first_derivative(f, [point[0]], list(point[1:]))
    return value[0].item(), d[0].item()


CHECK = ${JSON.stringify({ ...CHECK_DEFAULTS, awkward: AWKWARD_POINTS })}


def check_derivative(f, claimed, switches, kinks, loss=False):
    """check: the derivative written by hand (claimed) against autograd's derivative of f ` +
  `in its first
    argument, at the points the notebook compares: CHECK's dense range and awkward points, then the
    kinks it located (where a switch's argument crosses 0; kinks is [x, *rest] each), once for each
    value of the other arguments (a loss's t: CHECK's others). At a kink, and wherever a switch's
    argument is 0, either one-sided limit is accepted too. A point where f is not finite ` +
  `is left out.
    Returns (points compared, points left out, whether every compared point agrees)."""
    n, lo, hi = CHECK["points"], CHECK["from"], CHECK["to"]
    dense = [lo + ((hi - lo) * i) / (n - 1) for i in range(n)]
    others = CHECK["others"] if loss else [[]]

    def near(p, q, tol):
        return p == q or (math.isnan(p) and math.isnan(q)) or abs(p - q) <= tol * max(1, abs(q))

    compared = skipped = 0
    agree = True
    for rest in others:
        seen, xs, at_kink = set(), [], []
        for x, kink in [(x, False) for x in dense + CHECK["awkward"]] + [(k[0], True) for k in ` +
  `kinks if k[1:] == rest]:
            if x not in seen:
                seen.add(x)
                xs.append(x)
                at_kink.append(kink)
        args, value, exact = first_derivative(f, xs, rest)
        mine = torch.broadcast_to(claimed(*args), value.shape).detach().tolist()
        switch = [torch.broadcast_to(s, value.shape).detach().tolist() for s in switches(*args)]
        value, exact = value.tolist(), exact.tolist()
        for k, x in enumerate(xs):
            if not math.isfinite(value[k]):
                skipped += 1
                continue
            compared += 1
            ok = near(mine[k], exact[k], CHECK["rtol"])
            if at_kink[k] or any(s[k] == 0 for s in switch):
                h = CHECK["kinkStep"] * max(1, abs(x))
                _, _, sides = first_derivative(f, [x - h, x + h], rest)
                ok = ok or any(near(mine[k], d, CHECK["kinkRtol"]) for d in sides.tolist())
            agree = agree and ok
    return compared, skipped, agree`;

/**
 * The activation(name, alpha) and slope(name, alpha, z, a) of the prelude, and their helper
 * modules, from each built-in activation's PyTorch form (its record's `pytorch`).
 */
function activationFunctions(): string {
  const forms = ACTIVATION_LIST.flatMap((d) => (d.pytorch ? [[d.kind, d.pytorch] as const] : []));
  const helpers = forms.flatMap(([, t]) => (t.helper ? [t.helper] : []));
  const cases = (field: 'module' | 'slope') =>
    forms.map(([kind, t]) => `    if name == "${kind}":\n        return ${t[field]}`).join('\n');
  return [
    ...helpers,
    `def activation(name, alpha):\n    if name in user_activations:\n        return ` +
      `${USER_TORCH_ACTIVATION.module}\n${cases('module')}\n    raise ValueError(name)`,
    `def slope(name, alpha, z, a):\n    """g'(z) from z and the output a = g(z), as the notebook ` +
      `computes it (used only for the\n    stale-weight mistake, where autograd cannot be ` +
      `used; a user's g is differentiated by autograd)."""\n    if name in user_activations:\n ` +
      `       return ${USER_TORCH_ACTIVATION.slope}\n${cases('slope')}\n    raise ` +
      `ValueError(name)`,
  ].join('\n\n\n');
}

/**
 * The losses(z, a, T) and losses_in_a(a, T) methods of the prelude's Network, from each built-in
 * loss's PyTorch form (its record's `pytorch`). A loss without one raises: the export refuses it
 * before (pytorch.ts), so no loss is ever computed with another's formula.
 */
function lossFunctions(): string {
  const forms = LOSS_LIST.flatMap((d) => (d.pytorch ? [[d.kind, d.pytorch] as const] : []));
  const cases = (field: 'rows' | 'inA') =>
    forms
      .filter(([, f]) => f[field])
      .map(([kind, f]) => `        if self.loss == "${kind}":\n            return ${f[field]}`)
      .join('\n');
  return `    def losses(self, z, a, T):
        """E_s of every row s from the output layer's z and a (T is None for a loss that reads no
        target). The cross-entropies are written in the form the notebook computes them, from the
        logits z: they are nn.functional.cross_entropy / binary_cross_entropy_with_logits with
        reduction="none" (which round a small loss differently, in the last digits)."""
        if self.loss in user_losses:
            return ${USER_TORCH_LOSS.rows}
${cases('rows')}
        raise ValueError(f"loss {self.loss} has no PyTorch form")

    def losses_in_a(self, a, T):
        """E_s written in the outputs a alone, for ∂E/∂a at the output (losses reads z for some)."""
${cases('inA')}
        return self.losses(None, a, T)`;
}

const LOSS_FUNCTIONS = lossFunctions();

const ACTIVATION_FUNCTIONS = activationFunctions();

export const PYTORCH_PRELUDE =
  String.raw`import math
import os
from fractions import Fraction

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

# The notebook's notation (the seed's) and PyTorch's. Layer L1 holds the inputs.
#   wij[k]     = net.layers[k-1].weight[j-1, i-1]   (the weight from node i[k] to node j[k+1];
#                PyTorch stores a Linear's weight as [to, from])
#   bj[k]      = net.layers[k-2].bias[j-1]
#   zj[k]      = net.z[k][row, j-1], aj[k] = net.a[k][row, j-1], and net.a[1] is the input x
#   δj[k]      = ∂E/∂zj[k] of the row's own loss (net.delta[k][row, j-1], see backward)
#   dE/daj[k]  = ∂E/∂aj[k] of the row's own loss (net.dE_da[k][row, j-1]), dE/dxj = ` +
  String.raw`net.dE_da[1][row, j-1]
#   dE/dwij[k] = net.grad_w[k-1][j-1, i-1], dE/dbj[k] = net.grad_b[k-2][j-1]
# Every number printed shows the first row of a batch, as the notebook's tables do.


${GRAPH_FUNCTIONS}


${USER_FUNCTIONS}


${ACTIVATION_FUNCTIONS}


class Network:
    def __init__(self, name, sizes, activations, bias, loss="half-squared", reduction="mean", ` +
  String.raw`loss_node=1):
        self.name, self.sizes, self.activations = name, sizes, activations
        # loss_node: the output node j that loss "output" is (E = aj[n]); the other losses ignore it
        self.loss, self.reduction, self.loss_node = loss, reduction, loss_node
        self.model = nn.Sequential(
            *[
                module
                for k in range(1, len(sizes))
                for module in (
                    nn.Linear(sizes[k - 1], sizes[k], bias=bias[k - 1]),
                    activation(*activations[k - 1]),
                )
            ]
        )
        self.layers = [m for m in self.model if isinstance(m, nn.Linear)]
        # frozen parameters keep their value in every update (masks: True = frozen)
        self.frozen_w = [torch.zeros_like(l.weight, dtype=torch.bool) for l in self.layers]
        self.frozen_b = [torch.zeros(l.out_features, dtype=torch.bool) for l in self.layers]
        self.x = self.t = self.X = self.T = None
        self.stale_weights = False

    def params(self):
        return [p for l in self.layers for p in ([l.weight] + ([l.bias] if l.bias is not None ` +
  String.raw`else []))]

    def set_weights(self, k, rows):
        """weights [k] = rows: row i, column j is wij[k], so PyTorch's weight is the transpose."""
        with torch.no_grad():
            self.layers[k - 1].weight.copy_(torch.tensor(rows, dtype=torch.float64).T)

    def set_biases(self, k, values):
        with torch.no_grad():
            self.layers[k - 2].bias.copy_(torch.tensor(values, dtype=torch.float64))

    def with_bias(self, bias):
        """The same network with biases switched on or off per layer (weights and kept biases ` +
  String.raw`copied)."""
        other = Network(self.name, self.sizes, self.activations, bias, self.loss, ` +
  String.raw`self.reduction, self.loss_node)
        with torch.no_grad():
            for old, new in zip(self.layers, other.layers):
                new.weight.copy_(old.weight)
                if new.bias is not None:
                    new.bias.copy_(old.bias if old.bias is not None else torch.zeros_like(new.bias))
        other.frozen_w, other.frozen_b = self.frozen_w, self.frozen_b
        other.x, other.t, other.X, other.T = self.x, self.t, self.X, self.T
        other.stale_weights = self.stale_weights
        return other

    def forward(self, X):
        """Records zj[k] and aj[k] of every row, layer by layer. The input a[1] is a copy of X that
        requires a gradient, so that backward can give ∂E/∂x."""
        h = X.detach().requires_grad_()
        self.z, self.a = {}, {1: h}
        for k in range(2, len(self.sizes) + 1):
            z = self.model[2 * (k - 2)](h)
            h = self.model[2 * (k - 2) + 1](z)
            self.z[k], self.a[k] = z, h
        return h

    def row_losses(self, T):
        """E_s of every row s."""
        n = len(self.sizes)
        return self.losses(self.z[n], self.a[n], T)

${LOSS_FUNCTIONS}

    def reduce(self, rows):
        return rows.mean() if self.reduction == "mean" else rows.sum()

    def reduce_sum(self, total, rows):
        return total / rows if self.reduction == "mean" else total

    def backward(self, T):
        n = len(self.sizes)
        rows = self.row_losses(T)
        self.E = self.reduce(rows)
        zs = [self.z[k] for k in range(2, n + 1)]
        # The notebook's δj[k] is ∂E_s/∂zj[k] of each row's own loss E_s. PyTorch names no such
        # thing: z.grad would be ∂E/∂z of the batch loss (1/m of it for a mean over m rows).
        # Rows do not mix, so the gradient of Σs E_s with respect to every z gives each row's own δ.
        deltas = torch.autograd.grad(rows.sum(), zs, retain_graph=True)
        self.delta = {k: d for k, d in zip(range(2, n + 1), deltas)}
        # ∂E_s/∂aj[k] of each row's own loss, the same way: through the layers above for k < n
        # (net.a[1] is the input x), and at the output from the loss written in a (losses_in_a)
        below = torch.autograd.grad(rows.sum(), [self.a[k] for k in range(1, n)], retain_graph=True)
        self.dE_da = dict(zip(range(1, n), below))
        a = self.a[n].detach().requires_grad_()
        self.dE_da[n] = torch.autograd.grad(self.losses_in_a(a, T).sum(), a)[0]
        grads = torch.autograd.grad(self.E, self.params(), retain_graph=True)
        self.grad_w, self.grad_b = [], []
        it = iter(grads)
        for l in self.layers:
            self.grad_w.append(next(it))
            self.grad_b.append(next(it) if l.bias is not None else None)
        return self.E

    def loss_of(self, X, T):
        """E of the current weights on X, T, without recording anything."""
        with torch.no_grad():
            saved = (getattr(self, "z", None), getattr(self, "a", None))
            self.forward(X)
            E = self.reduce(self.row_losses(T)).item()
            self.z, self.a = saved
        return E

    def update(self, lr):
        """wij[k] ← wij[k] − η·∂E/∂wij[k] for every parameter that is not frozen.
        The weights before the update are kept (PyTorch's optimisers do not keep them)."""
        self.old_w = [l.weight.detach().clone() for l in self.layers]
        self.old_b = [l.bias.detach().clone() if l.bias is not None else None for l in self.layers]
        with torch.no_grad():
            for m, l in enumerate(self.layers):
                l.weight.copy_(torch.where(self.frozen_w[m], l.weight, l.weight - lr * ` +
  String.raw`self.grad_w[m]))
                if l.bias is not None:
                    l.bias.copy_(torch.where(self.frozen_b[m], l.bias, l.bias - lr * ` +
  String.raw`self.grad_b[m]))

    def update_stale(self, lr, T):
        """The classic mistake (mistake stale-weights on): each layer's weights are updated ` +
  String.raw`before δ is
        propagated through them. Autograd cannot make this mistake, so it is written out by hand:
        δi[k] = g'(zi[k]) · Σj wij[k]·δj[k+1] with wij[k] already updated."""
        n = len(self.sizes)
        self.backward(T)
        self.correct_delta = dict(self.delta)
        self.old_w = [l.weight.detach().clone() for l in self.layers]
        self.old_b = [l.bias.detach().clone() if l.bias is not None else None for l in self.layers]
        rows = self.a[1].shape[0]
        d = self.delta[n].detach()
        delta = {n: d}
        with torch.no_grad():
            for k in range(n - 1, 0, -1):
                m, l = k - 1, self.layers[k - 1]
                gw = self.reduce_sum(d.T @ self.a[k].detach(), rows)
                self.grad_w[m] = gw
                l.weight.copy_(torch.where(self.frozen_w[m], l.weight, l.weight - lr * gw))
                if l.bias is not None:
                    gb = self.reduce_sum(d.sum(dim=0), rows)
                    self.grad_b[m] = gb
                    l.bias.copy_(torch.where(self.frozen_b[m], l.bias, l.bias - lr * gb))
                # ∂E/∂ai[k] = Σj wij[k]·δj[k+1], with the updated weights too
                self.dE_da[k] = d @ l.weight
                if k == 1:
                    break
                d = slope(*self.activations[k - 2], self.z[k].detach(), self.a[k].detach()) * ` +
  String.raw`self.dE_da[k]
                delta[k] = d
        self.delta = delta

    def train(self, X, T, epochs=None, steps=None, lr=0.5, batch="full", optimiser="sgd",
              momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8, l2=0.0, seed=1, until=None, ` +
  String.raw`until_or_equal=False, log=None):
        """Training as the notebook's engine does it (src/engine/trainer.ts), written out ` +
  String.raw`rather than
        with torch.optim so every number matches: torch.optim.SGD(lr, momentum, weight_decay) and
        torch.optim.Adam(lr, betas, eps, weight_decay) compute the same rules with their ` +
  String.raw`operations in
        another order (and apply weight decay to biases too; here, as in the notebook, λ·w ` +
  String.raw`is added to
        the weights' gradients only). Frozen parameters take no step and keep their moments."""
        count = X.shape[0]
        size = count if batch == "full" else min(batch, count)
        shuffle = size < count
        order = list(range(count))
        rng = Mulberry32(seed)
        if shuffle:
            rng.shuffle(order)
        max_epochs = epochs if epochs is not None else (1 if steps is None else math.inf)
        max_steps = steps if steps is not None else math.inf
        params = [(l.weight, self.frozen_w[m], l2) for m, l in enumerate(self.layers)]
        params += [(l.bias, self.frozen_b[m], 0.0) for m, l in enumerate(self.layers) if l.bias ` +
  String.raw`is not None]
        m1 = [torch.zeros_like(p) for p, _, _ in params]
        m2 = [torch.zeros_like(p) for p, _, _ in params]
        # E over all the rows with the current weights, as the notebook's loss curve records it:
        # before training (epoch 0), after every epoch, and at the end
        epoch = step = cursor = 0
        epoch_loss = self.loss_of(X, T)
        history, stride = [(0, epoch_loss)], 1
        logged = [(0, epoch_loss)]  # log=N: every N-th epoch and the end, never thinned
        reached = lambda E: until is not None and (E < until or (until_or_equal and E == until))
        done = reached(epoch_loss)
        while not done and epoch < max_epochs and step < max_steps:
            rows = min(size, count - cursor)
            idx = order[cursor : cursor + rows]
            self.forward(X[idx])
            E = self.reduce(self.row_losses(T[idx] if T is not None else None))
            if not math.isfinite(E.item()):
                raise RuntimeError(f"training diverged at epoch {epoch + 1}, step {step + 1}")
            grads = dict(zip((id(p) for p in self.params()), torch.autograd.grad(E, self.params())))
            t = step + 1
            c1, c2 = 1 - beta1**t, 1 - beta2**t
            with torch.no_grad():
                new = []
                for i, (p, frozen, decay) in enumerate(params):
                    g = grads[id(p)] + decay * p if decay else grads[id(p)]
                    if optimiser == "sgd":
                        s = lr * g
                    elif optimiser == "momentum":
                        v = momentum * m1[i] + g
                        m1[i] = torch.where(frozen, m1[i], v)
                        s = lr * v
                    else:
                        mm = beta1 * m1[i] + (1 - beta1) * g
                        vv = beta2 * m2[i] + (1 - beta2) * g * g
                        m1[i] = torch.where(frozen, m1[i], mm)
                        m2[i] = torch.where(frozen, m2[i], vv)
                        s = (lr * (mm / c1)) / (torch.sqrt(vv / c2) + eps)
                    s = torch.where(frozen, torch.zeros_like(s), s)
                    if not torch.isfinite(p - s).all():
                        raise RuntimeError(f"training diverged at epoch {epoch + 1}, step ` +
  String.raw`{step + 1}")
                    new.append(s)
                for (p, _, _), s in zip(params, new):
                    p.sub_(s)
            step += 1
            cursor += rows
            if cursor >= count:
                cursor, epoch = 0, epoch + 1
                epoch_loss = self.loss_of(X, T)
                # the notebook keeps at most 1000 points: every 2nd, 4th, … epoch of a long run
                if epoch % stride == 0:
                    history.append((epoch, epoch_loss))
                    if len(history) > 1000:
                        stride *= 2
                        history = [(e, E) for e, E in history if e % stride == 0]
                if log and epoch % log == 0:
                    logged.append((epoch, epoch_loss))
                if shuffle:
                    rng.shuffle(order)
                done = reached(epoch_loss)
        # the end of training is always a point (a fraction of an epoch when it stopped mid-epoch)
        at = epoch + cursor / count
        if cursor > 0:
            epoch_loss = self.loss_of(X, T)
        if history[-1][0] != at:
            history.append((at, epoch_loss))
        if logged[-1][0] != at:
            logged.append((at, epoch_loss))
        self.history, self.logged = history, logged
        self.epochs_run, self.steps_run = epoch, step

    def boundary(self, X=None, n=48):
        """The first output over an n × n grid covering the data (or [-1.5, 1.5]²), row by row."""
        x0, x1, y0, y1 = -1.5, 1.5, -1.5, 1.5
        if X is not None:
            xs, ys = X[:, 0].tolist(), X[:, 1].tolist()
            px = 0.1 * ((max(xs) - min(xs)) or 1)
            py = 0.1 * ((max(ys) - min(ys)) or 1)
            x0, x1, y0, y1 = min(xs) - px, max(xs) + px, min(ys) - py, max(ys) + py
        grid = [[x0 + ((c + 0.5) / n) * (x1 - x0), y0 + ((r + 0.5) / n) * (y1 - y0)]
                for r in range(n) for c in range(n)]
        with torch.no_grad():
            out = self.model(torch.tensor(grid))[:, 0]
        return (x0, x1, y0, y1), out.reshape(n, n)

    def gradcheck(self, X, T, eps, tol, atol):
        """Central differences (E(p+ε) − E(p−ε)) / 2ε against the backward pass, per parameter
        (the recorded passes are left as they were)."""
        saved = {key: getattr(self, key, None) for key in ("z", "a", "delta", "dE_da", "E", ` +
  String.raw`"grad_w", "grad_b")}
        self.forward(X)
        self.backward(T)
        analytic = [g for gw, gb in zip(self.grad_w, self.grad_b) for g in ([gw] + ([gb] if gb ` +
  String.raw`is not None else []))]
        self.__dict__.update(saved)
        results = []
        with torch.no_grad():
            for p, g in zip(self.params(), analytic):
                flat, gflat = p.view(-1), g.reshape(-1)
                for q in range(flat.numel()):
                    original = flat[q].item()
                    flat[q] = original + eps
                    plus = self.loss_of(X, T)
                    flat[q] = original - eps
                    minus = self.loss_of(X, T)
                    flat[q] = original
                    numeric = (plus - minus) / (2 * eps)
                    a = gflat[q].item()
                    results.append(abs(a - numeric) <= atol + tol * max(abs(a), abs(numeric)))
        return sum(results), len(results)


class Mulberry32:
    """The notebook's seeded generator (mulberry32), so shuffles and datasets match bit for bit."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next_uint32(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return (t ^ (t >> 14)) & 0xFFFFFFFF

    def next(self):
        return self.next_uint32() / 4294967296

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = math.floor(self.next() * (i + 1))
            items[i], items[j] = items[j], items[i]


def read_csv(path, inputs, targets, header):
    """A CSV file as the notebook reads it: blank lines skipped, the first inputs columns are x."""
    import csv

    here = os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals() else os.getcwd()
    with open(os.path.join(here, path), newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    if header:
        rows = rows[1:]
    values = [[float(c) for c in r] for r in rows]
    return tensor([r[:inputs] for r in values]), tensor([r[inputs : inputs + targets] for r ` +
  String.raw`in values])


def tensor(values):
    """A float64 tensor (torch.tensor would make whole numbers int64)."""
    return torch.tensor(values, dtype=torch.float64)


def epoch_label(e):
    """An epoch as the notebook writes it (10 significant digits: 2.5 is half way through ` +
  String.raw`epoch 3)."""
    return f"epoch {e:.10g}: E"


def show(label, value):
    print(f"{label} = {value!r}")


def show_row(label, values):
    print(f"{label} = [{', '.join(repr(v) for v in values)}]")


def within(actual, value, tolerance):
    """|actual − value| ≤ tolerance as the notebook decides it: in exact decimals, each ` +
  String.raw`number taken as
    its shortest decimal (repr), so 1 = 1.1 ± 0.1 holds (binary subtraction gives ` +
  String.raw`0.10000000000000009)."""
    if not all(math.isfinite(v) for v in (actual, value, tolerance)):
        return False
    return abs(Fraction(repr(actual)) - Fraction(repr(value))) <= Fraction(repr(tolerance))


def expect(label, actual, comparison, value, tolerance=None):
    """expect: the same comparison as the notebook's (= passes when |actual − value| ≤ ` +
  String.raw`tolerance)."""
    ok = {
        "=": lambda: within(actual, value, tolerance),
        "<": lambda: actual < value,
        "<=": lambda: actual <= value,
        ">": lambda: actual > value,
        ">=": lambda: actual >= value,
    }[comparison]()
    written = f"{value!r}" + (f" ± {tolerance!r}" if comparison == "=" else "")
    assert ok, f"expect {label} {comparison} {written} failed: it is {actual!r}"
    print(f"expect {label} {comparison} {written}: ok")
`;
