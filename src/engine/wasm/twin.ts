/**
 * A second thread for the WebAssembly kernels (two cores, the same bits). The FastNet's memory is
 * shared with a helper thread that runs the same kernels on its own range of each product: output
 * rows of the forward product, input rows of δ sent back, weight rows of ∂E/∂w, halves of the
 * update. Never a split by samples, so every sum keeps its terms and their order.
 *
 * The two threads meet in a small control block (a SharedArrayBuffer): the FastNet writes a job
 * (up to MAX_OPS kernel calls with their arguments), bumps `seq`, does its own half, then waits
 * for `done` to reach `seq`. The helper spins briefly on `seq`, then sleeps in Atomics.wait.
 * Starting the thread (Node worker_threads, a Web Worker) is the host's part (src/worker/).
 */
import { instantiateShared, type WasmKernels, type WasmMemory } from './simd';

/** kernel calls a job can hold */
const MAX_OPS = 4;
/** Int32 slots: seq, done, ops in the job, then per op its code and up to 11 arguments */
const SEQ = 0,
  DONE = 1,
  COUNT = 2,
  BOUND = 3,
  OP0 = 4,
  OP_SLOTS = 12;
/** Float64 slots (after the Int32 ones): per op 2 arguments, then per op its result */
const F64_AT = 4 * (OP0 + MAX_OPS * OP_SLOTS),
  RESULT0 = 2 * MAX_OPS;
const CONTROL_BYTES = F64_AT + 8 * 3 * MAX_OPS;
/** COUNT values that are no job: the helper leaves its loop (for a new memory, or for good) */
const REBIND = -1,
  STOP = -2;
/** Atomics.load rounds before sleeping in Atomics.wait (a few tens of µs) */
const SPINS = 20_000;
/** how long the FastNet waits for the helper before it gives up on it */
const TIMEOUT_MS = 10_000;

export const Op = { Forward: 1, Backprop: 2, WeightGrad: 3, Mean: 4, Descend: 5 } as const;
export type Op = (typeof Op)[keyof typeof Op];

/** what the FastNet's thread sends the helper when it takes a memory (structured clone) */
export interface TwinMessage {
  control: SharedArrayBuffer;
  memory: WasmMemory;
  /** the job number the helper acknowledges (in `done`) once it has the memory */
  seq: number;
}

/** the helper thread as the host started it */
export interface HelperThread {
  post(message: TwinMessage): void;
  terminate(): void;
}

/** The FastNet's side: hands out jobs and waits for them. */
export class KernelTwin {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly control: SharedArrayBuffer;
  private seq = 0;
  private ops = 0;
  private broken = false;

  constructor(private readonly thread: HelperThread) {
    this.control = new SharedArrayBuffer(CONTROL_BYTES);
    this.i32 = new Int32Array(this.control, 0, F64_AT / 4);
    this.f64 = new Float64Array(this.control, F64_AT, 3 * MAX_OPS);
  }

  /** gives the helper this memory (it leaves the previous one); false if it does not answer */
  bind(memory: WasmMemory): boolean {
    if (this.broken) return false;
    this.post(REBIND); // a helper in its loop leaves it; one that is not yet started ignores it
    this.thread.post({ control: this.control, memory, seq: this.seq });
    if (this.wait() && Atomics.load(this.i32, BOUND) === 1) return true;
    this.broken = true;
    return false;
  }

  /** adds a kernel call to the job being written */
  add(op: Op, ints: readonly number[], f0 = 0, f1 = 0): void {
    const at = OP0 + this.ops * OP_SLOTS;
    this.i32[at] = op;
    for (let k = 0; k < ints.length; k++) this.i32[at + 1 + k] = ints[k];
    this.f64[2 * this.ops] = f0;
    this.f64[2 * this.ops + 1] = f1;
    this.ops++;
  }

  /** starts the job written by add() */
  start(): void {
    this.post(this.ops);
    this.ops = 0;
  }

  /** waits for the job; returns the sum of its ops' results (descend's finite checks) */
  finish(): number {
    if (!this.wait()) {
      this.broken = true;
      throw new Error('the second training thread stopped answering');
    }
    let sum = 0;
    for (let k = 0; k < MAX_OPS; k++) sum += this.f64[RESULT0 + k];
    return sum;
  }

  /** ends the helper thread */
  dispose(): void {
    this.post(STOP);
    this.thread.terminate();
  }

  private post(count: number): void {
    this.i32[COUNT] = count;
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.i32, SEQ, this.seq);
    Atomics.notify(this.i32, SEQ);
  }

  private wait(): boolean {
    const seq = this.seq;
    for (let k = 0; k < SPINS; k++) if (Atomics.load(this.i32, DONE) === seq) return true;
    const until = Date.now() + TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.i32, DONE);
      if (done === seq) return true;
      const left = until - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.i32, DONE, done, left);
    }
  }
}

/**
 * The helper thread's side: call it with each TwinMessage the thread receives. It takes the
 * memory and serves jobs until the FastNet moves to another memory (its next message) or stops.
 */
export function serveTwin(message: TwinMessage): void {
  const made = instantiateShared(message.memory);
  const i32 = new Int32Array(message.control, 0, F64_AT / 4),
    f64 = new Float64Array(message.control, F64_AT, 3 * MAX_OPS);
  let seen = message.seq;
  Atomics.store(i32, BOUND, made ? 1 : 0);
  Atomics.store(i32, DONE, seen);
  Atomics.notify(i32, DONE);
  if (!made) return;
  const k = made;
  for (;;) {
    let spins = 0;
    while (Atomics.load(i32, SEQ) === seen) if (++spins > SPINS) Atomics.wait(i32, SEQ, seen);
    seen = Atomics.load(i32, SEQ);
    const count = i32[COUNT];
    if (count < 0) return; // REBIND: the new memory is the next message; STOP: the end
    for (let o = 0; o < MAX_OPS; o++) f64[RESULT0 + o] = 0;
    for (let o = 0; o < count; o++) f64[RESULT0 + o] = run(k, i32, f64, o);
    Atomics.store(i32, DONE, seen);
    Atomics.notify(i32, DONE);
  }
}

function run(k: WasmKernels, i32: Int32Array, f64: Float64Array, o: number): number {
  const a = OP0 + o * OP_SLOTS + 1,
    f0 = f64[2 * o],
    f1 = f64[2 * o + 1];
  switch (i32[a - 1]) {
    case Op.Forward:
      k.forward(
        i32[a],
        i32[a + 1],
        i32[a + 2],
        i32[a + 3],
        i32[a + 4],
        i32[a + 5],
        i32[a + 6],
        i32[a + 7],
      );
      return 0;
    case Op.Backprop:
      k.backprop(i32[a], i32[a + 1], i32[a + 2], i32[a + 3], i32[a + 4], i32[a + 5], i32[a + 6]);
      return 0;
    case Op.WeightGrad:
      k.weightGrad(
        i32[a],
        i32[a + 1],
        i32[a + 2],
        i32[a + 3],
        i32[a + 4],
        i32[a + 5],
        i32[a + 6],
        i32[a + 7],
        i32[a + 8],
        i32[a + 9],
      );
      return 0;
    case Op.Mean:
      k.mean(i32[a], i32[a + 1], f0, i32[a + 2]);
      return 0;
    case Op.Descend:
      return k.descend(i32[a], i32[a + 1], i32[a + 2], f0, f1);
  }
  return 0;
}
