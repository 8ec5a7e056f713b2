"""Independent reference numbers for the example notebooks.

A plain numpy implementation of the seed's equations (docs/derivation.md), written
without looking at the TypeScript engine, so the `expect` lines in examples/*.bpnb
check the engine against a second implementation. Layers are 1-based like the seed:
W[k] is the matrix of wij[k] with rows = from-node i, columns = to-node j.
"""
import numpy as np


def g(kind, z, alpha=0.01):
    if kind == 'sigmoid':
        return 1 / (1 + np.exp(-z))
    if kind == 'tanh':
        return np.tanh(z)
    if kind == 'relu':
        return np.maximum(0, z)
    if kind == 'leaky-relu':
        return np.where(z > 0, z, alpha * z)
    if kind == 'identity':
        return z
    if kind == 'swish':  # z·σ(z): example 07's user-defined activation
        return z / (1 + np.exp(-z))
    if kind == 'softmax':
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(kind)


def g_prime(kind, z, alpha=0.01):
    if kind == 'sigmoid':
        s = g('sigmoid', z)
        return s * (1 - s)
    if kind == 'tanh':
        return 1 - np.tanh(z) ** 2
    if kind == 'relu':
        return (z > 0).astype(float)
    if kind == 'leaky-relu':
        return np.where(z > 0, 1.0, alpha)
    if kind == 'identity':
        return np.ones_like(z)
    if kind == 'swish':  # σ(z)·(1 + z·(1 − σ(z))), derived by hand
        s = 1 / (1 + np.exp(-z))
        return s * (1 + z * (1 - s))
    raise ValueError(kind)


class Net:
    """acts[k] is the g of layer k (k = 2..n); W[k], b[k+1] as in the seed."""

    def __init__(self, sizes, acts, W, b=None, loss='half-squared', alpha=0.01):
        self.sizes, self.acts, self.loss, self.alpha = sizes, acts, loss, alpha
        self.W = {k: np.array(W[k], dtype=float) for k in W}
        self.b = {k: np.array(b[k], dtype=float) for k in (b or {})}

    def forward(self, X):
        X = np.atleast_2d(np.array(X, dtype=float))
        z, a = {}, {1: X}
        for k in range(2, len(self.sizes) + 1):
            z[k] = a[k - 1] @ self.W[k - 1] + (self.b[k] if k in self.b else 0)
            a[k] = g(self.acts[k], z[k], self.alpha)
        return z, a

    def sample_losses(self, a_out, T, z_out):
        if self.loss == 'half-squared':
            return 0.5 * ((a_out - T) ** 2).sum(axis=1)
        if self.loss == 'mse':
            return ((a_out - T) ** 2).mean(axis=1)
        if self.loss == 'cross-entropy':
            m = z_out.max(axis=1, keepdims=True)
            lse = m[:, 0] + np.log(np.exp(z_out - m).sum(axis=1))
            return -(T * (z_out - lse[:, None])).sum(axis=1)
        if self.loss == 'binary-cross-entropy':
            return -(T * np.log(a_out) + (1 - T) * np.log(1 - a_out)).sum(axis=1)
        raise ValueError(self.loss)

    def backward(self, X, T):
        """E (mean over rows), δ per layer (per row), ∂E/∂W and ∂E/∂b (means over rows)."""
        T = np.atleast_2d(np.array(T, dtype=float))
        z, a = self.forward(X)
        n = len(self.sizes)
        m = a[1].shape[0]
        E = self.sample_losses(a[n], T, z[n]).mean()
        d = {}
        if self.loss == 'half-squared':
            d[n] = (a[n] - T) * g_prime(self.acts[n], z[n], self.alpha)
        elif self.loss == 'mse':
            d[n] = 2 / self.sizes[-1] * (a[n] - T) * g_prime(self.acts[n], z[n], self.alpha)
        elif self.loss in ('cross-entropy', 'binary-cross-entropy'):
            d[n] = a[n] - T
        for k in range(n - 1, 1, -1):
            d[k] = (d[k + 1] @ self.W[k].T) * g_prime(self.acts[k], z[k], self.alpha)
        dW = {k: a[k].T @ d[k + 1] / m for k in range(1, n)}
        db = {k: d[k].mean(axis=0) for k in self.b}
        return dict(E=E, z=z, a=a, d=d, dW=dW, db=db)

    def train(self, X, T, epochs, lr, optimiser='sgd', beta=0.9, beta1=0.9, beta2=0.999, eps=1e-8):
        """Full-batch training; returns the per-epoch loss (before each epoch's update)."""
        params = [('W', k) for k in self.W] + [('b', k) for k in self.b]
        get = lambda p: (self.W if p[0] == 'W' else self.b)[p[1]]
        m1 = {p: np.zeros_like(get(p)) for p in params}
        m2 = {p: np.zeros_like(get(p)) for p in params}
        history = []
        for t in range(1, epochs + 1):
            r = self.backward(X, T)
            history.append(r['E'])
            for p in params:
                grad = (r['dW'] if p[0] == 'W' else r['db'])[p[1]]
                if optimiser == 'sgd':
                    step = lr * grad
                elif optimiser == 'momentum':
                    m1[p] = beta * m1[p] + grad
                    step = lr * m1[p]
                else:
                    m1[p] = beta1 * m1[p] + (1 - beta1) * grad
                    m2[p] = beta2 * m2[p] + (1 - beta2) * grad * grad
                    step = lr * (m1[p] / (1 - beta1 ** t)) / (np.sqrt(m2[p] / (1 - beta2 ** t)) + eps)
                get(p)[...] = get(p) - step
        return history


XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_T = [[0], [1], [1], [0]]
