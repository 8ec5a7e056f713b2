/**
 * The WebAssembly SIMD kernels (kernels.wat, bytes in kernels.wasm.ts) and the switch that decides
 * when the fast path uses them. Pure: reaches WebAssembly through globalThis (the pure build has no
 * DOM or node types) and falls back to the JS kernels where it is missing or rejects the module.
 */
import { KERNELS_SHARED_WASM, KERNELS_WASM } from './kernels.wasm';

/** 'auto': layers with n_in·n_out ≥ WASM_MIN_WEIGHTS; 'on': every layer (tests); 'off': never */
export type WasmMode = 'auto' | 'on' | 'off';

/**
 * smallest weight matrix for which 'auto' uses the kernels (below, call overhead and copies
 * outweigh SIMD)
 */
export const WASM_MIN_WEIGHTS = 4096;

/** the kernels' exports; pointers are byte offsets into the instance's memory */
export interface WasmKernels {
  panels(x: number, rows4: number, nFrom: number, xt: number): void;
  forward(
    xt: number,
    rows4: number,
    nFrom: number,
    w: number,
    b: number,
    nTo: number,
    outStride: number,
    out: number,
  ): void;
  backprop(
    d: number,
    rows2: number,
    nTo: number,
    w: number,
    nFrom: number,
    width: number,
    p: number,
  ): void;
  mean(g: number, n: number, rows: number, pow2: number): void;
  descend(w: number, g: number, n: number, eta: number, decay: number): number;
  weightGrad(
    d: number,
    rows: number,
    nTo: number,
    dStride: number,
    a: number,
    nFrom: number,
    g: number,
    gb: number,
    live: number,
    skip: number,
  ): void;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

let mode: WasmMode = 'auto';
let compiled: object | null | undefined;
let compiledShared: object | null | undefined;

/** sets when FastNet instances created from now on use the WebAssembly kernels */
export function setWasmMode(next: WasmMode): void {
  mode = next;
}

function api(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * the compiled module (or its shared-memory variant), or null where WebAssembly (with SIMD) is
 * unavailable; compiled once
 */
function compiledModule(shared = false): object | null {
  const known = shared ? compiledShared : compiled;
  if (known !== undefined) return known;
  const wasm = api();
  let made: object | null;
  try {
    made =
      wasm && typeof wasm.Module === 'function'
        ? new wasm.Module(shared ? KERNELS_SHARED_WASM : KERNELS_WASM)
        : null;
  } catch {
    made = null;
  }
  if (shared) compiledShared = made;
  else compiled = made;
  return made;
}

export function wasmAvailable(): boolean {
  return compiledModule() !== null;
}

/** whether a layer of nFrom → nTo units uses the kernels under the current mode */
export function useWasmFor(nFrom: number, nTo: number): boolean {
  if (mode === 'off' || !wasmAvailable()) return false;
  return mode === 'on' || nFrom * nTo >= WASM_MIN_WEIGHTS;
}

/**
 * A fresh instance with its own memory of at least `bytes` bytes, or null. `shared`: the memory is
 * shared (a SharedArrayBuffer), for a second thread (twin.ts); null where that is not possible.
 */
export function instantiate(
  bytes: number,
  shared = false,
): { buffer: ArrayBuffer; memory: WasmMemory; kernels: WasmKernels } | null {
  const module = compiledModule(shared),
    wasm = api();
  if (!module || !wasm) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  try {
    const memory = new wasm.Memory(
      shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages },
    );
    const instance = new wasm.Instance(module, { env: { memory } });
    return { buffer: memory.buffer, memory, kernels: instance.exports as WasmKernels };
  } catch {
    return null;
  }
}

/**
 * the kernels of the shared-memory variant on a memory made by instantiate(…, true) in another
 * thread, or null
 */
export function instantiateShared(memory: WasmMemory): WasmKernels | null {
  const module = compiledModule(true),
    wasm = api();
  if (!module || !wasm) return null;
  try {
    return new wasm.Instance(module, { env: { memory } }).exports as WasmKernels;
  } catch {
    return null;
  }
}
