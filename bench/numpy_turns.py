"""numpy-f64 on one thread, in turns: the reference bench/ab.ts alternates with the train path.

  python3 bench/numpy_turns.py DIR W3     (DIR: the workload's parameters and data, written by ab.ts)

Reads commands on stdin, one per line, answers one JSON line each:
  run N   N units (a training step, or forward + backward for fwdbwd) -> {"cpu_ms": ..., "wall_ms": ...}
  peak    one 2048² float64 GEMM                                      -> {"gflops": ...} (CPU time)
  loss    the last unit's loss                                        -> {"loss": ...}
Vectorised numpy in the usual form: z = a @ W.T + b, mean loss over the batch (MSE = ½Σ(y−t)²,
cross-entropy on softmax), in-place SGD. Times are CPU time of this process (time.process_time),
so the time other processes hold the core is not counted; ab.ts times its own turns the same way.
One BLAS thread: bench/ab.ts starts it with OPENBLAS_NUM_THREADS=1 and without OPENBLAS_CORETYPE /
OPENBLAS_L2_SIZE (OpenBLAS detects the core itself, as the yardstick's numpy columns do).
"""
import json
import os
import sys
import time

import numpy as np


def act(z, kind):
    if kind == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if kind == "relu":
        return np.maximum(z, 0)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def slope(a, kind):
    return a * (1 - a) if kind == "sigmoid" else (a > 0).astype(a.dtype)


def main():
    folder, wid = sys.argv[1], sys.argv[2]
    m = json.load(open(os.path.join(folder, wid + ".json")))
    layers, kinds, bias = m["layers"], m["activations"], m["bias"]
    read = lambda name: np.fromfile(os.path.join(folder, f"{wid}-{name}.bin"), dtype="<f8")
    flat_w, flat_b = read("weights"), read("biases") if bias else None
    W, b, at, bt = [], [], 0, 0
    for l in range(len(layers) - 1):
        n_in, n_out = layers[l], layers[l + 1]
        W.append(flat_w[at : at + n_in * n_out].reshape(n_out, n_in).copy())
        at += n_in * n_out
        b.append(flat_b[bt : bt + n_out].copy() if bias else np.zeros(n_out))
        bt += n_out
    X = read("x").reshape(m["batches"], m["batchSize"], layers[0])
    Y = read("y").reshape(m["batches"], m["batchSize"], layers[-1])
    gW = [np.zeros_like(w) for w in W]
    gb = [np.zeros_like(v) for v in b]
    lr = m["lr"] if m["mode"] == "step" else None
    state = {"c": 0, "loss": None}

    def unit():
        x, t = X[state["c"]], Y[state["c"]]
        state["c"] = (state["c"] + 1) % len(X)
        A = [x]
        for l in range(len(W)):
            z = A[-1] @ W[l].T
            if bias:
                z += b[l]
            A.append(act(z, kinds[l]))
        y, B = A[-1], x.shape[0]
        if m["loss"] == "cross-entropy":
            state["loss"] = -np.sum(t * np.log(np.where(t != 0, y, 1.0))) / B
            delta = (y - t) / B
        else:
            e = y - t
            state["loss"] = 0.5 * np.sum(e * e) / B
            delta = e * slope(y, kinds[-1]) / B
        for l in range(len(W) - 1, -1, -1):
            if l > 0:
                back = (delta @ W[l]) * slope(A[l], kinds[l - 1])
            np.matmul(delta.T, A[l], out=gW[l])
            if bias:
                np.sum(delta, axis=0, out=gb[l])
            if lr is not None:
                W[l] -= lr * gW[l]
                if bias:
                    b[l] -= lr * gb[l]
            if l > 0:
                delta = back

    rng = np.random.default_rng(0)
    p, q = rng.random((2048, 2048)), rng.random((2048, 2048))
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "run":
            c0, w0 = time.process_time(), time.perf_counter()
            for _ in range(int(cmd[1])):
                unit()
            out = {"cpu_ms": 1000 * (time.process_time() - c0), "wall_ms": 1000 * (time.perf_counter() - w0)}
        elif cmd[0] == "peak":
            c0 = time.process_time()
            p @ q
            out = {"gflops": 2 * 2048**3 / max(time.process_time() - c0, 1e-9) / 1e9}
        elif cmd[0] == "loss":
            out = {"loss": float(state["loss"])}
        else:
            out = {"error": "unknown command " + cmd[0]}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
