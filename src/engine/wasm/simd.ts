/**
 * The WebAssembly SIMD kernels (kernels.wat, bytes in kernels.wasm.ts) and the switch that decides
 * when the fast path uses them. Pure: reaches WebAssembly through globalThis (the pure build has no
 * DOM or node types) and falls back to the JS kernels where it is missing or rejects the module.
 */
import { KERNELS_WASM } from './kernels.wasm';

/** 'auto': layers with n_in·n_out ≥ WASM_MIN_WEIGHTS; 'on': every layer (tests); 'off': never */
export type WasmMode = 'auto' | 'on' | 'off';

/** smallest weight matrix for which 'auto' uses the kernels (below, call overhead and copies outweigh SIMD) */
export const WASM_MIN_WEIGHTS = 4096;

/** the kernels' exports; pointers are byte offsets into the instance's memory */
export interface WasmKernels {
  forward(
    x: number,
    rows4: number,
    nFrom: number,
    w: number,
    b: number,
    nTo: number,
    out: number,
    xt: number,
  ): void;
  backprop(d: number, rows2: number, nTo: number, w: number, nFrom: number, p: number): void;
  mean(g: number, n: number, rows: number, pow2: number): void;
  descend(w: number, g: number, n: number, eta: number, decay: number): number;
  weightGrad(
    d: number,
    rows: number,
    nTo: number,
    a: number,
    nFrom: number,
    g: number,
    gb: number,
    live: number,
    skip: number,
  ): void;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

let mode: WasmMode = 'auto';
let compiled: object | null | undefined;

/** sets when FastNet instances created from now on use the WebAssembly kernels */
export function setWasmMode(next: WasmMode): void {
  mode = next;
}

function api(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** the compiled module, or null where WebAssembly (with SIMD) is unavailable; compiled once */
function compiledModule(): object | null {
  if (compiled !== undefined) return compiled;
  const wasm = api();
  try {
    compiled = wasm && typeof wasm.Module === 'function' ? new wasm.Module(KERNELS_WASM) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export function wasmAvailable(): boolean {
  return compiledModule() !== null;
}

/** whether a layer of nFrom → nTo units uses the kernels under the current mode */
export function useWasmFor(nFrom: number, nTo: number): boolean {
  if (mode === 'off' || !wasmAvailable()) return false;
  return mode === 'on' || nFrom * nTo >= WASM_MIN_WEIGHTS;
}

/** a fresh instance with its own memory of at least `bytes` bytes, or null */
export function instantiate(bytes: number): { buffer: ArrayBuffer; kernels: WasmKernels } | null {
  const module = compiledModule(),
    wasm = api();
  if (!module || !wasm) return null;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  return { buffer: memory.buffer, kernels: instance.exports as WasmKernels };
}
