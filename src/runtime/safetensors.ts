/**
 * Reading a PyTorch model's weights from a safetensors file, ourselves (never by unpickling): 8
 * bytes of little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and
 * byte range, then the raw little-endian tensors. F64, F32, F16 and BF16 become float64 (exactly:
 * every such number is a double). Only a stack of Linear layers is accepted: keys `N.weight` ([out,
 * in]) and `N.bias` ([out]), in the order of N; anything else is refused with the key and the
 * reason. Pure: the host reads the bytes (after checking the size against MAX_SAFETENSORS_BYTES).
 */
import type { Network } from '../engine/network';

/** The largest safetensors file read (refused from its size before it is read). */
export const MAX_SAFETENSORS_BYTES = 64 * 1024 * 1024;

const DTYPE_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

export interface Tensor {
  dtype: string;
  shape: number[];
  values: Float64Array;
}

export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = <T>(error: string): Read<T> => ({ ok: false, error });

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Every tensor of a safetensors file as float64, or what is wrong with the file. */
export function readSafetensors(bytes: Uint8Array): Read<Map<string, Tensor>> {
  if (bytes.length < 8) return fail(`not a safetensors file: ${bytes.length} bytes, no header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8)
    return fail(
      `not a safetensors file: the header says it is ${headerLength} bytes long, the file has ` +
        `${bytes.length - 8} after the length`,
    );
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (e) {
    return fail(`not a safetensors file: its header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    return fail('not a safetensors file: its header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  for (const [key, entry] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) return fail(`${key}: not a tensor entry`);
    if (typeof e.dtype !== 'string') return fail(`${key}: no dtype`);
    const size = DTYPE_BYTES[e.dtype];
    if (!size)
      return fail(
        `${key}: dtype ${e.dtype} is not a floating-point weight (F64, F32, F16 or BF16 are read)`,
      );
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0))
      return fail(`${key}: the shape is not a list of sizes`);
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((n) => Number.isInteger(n) && n >= 0) ||
      offsets[0] > offsets[1] ||
      offsets[1] > dataLength
    )
      return fail(`${key}: its byte range is not inside the file`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const [begin, end] = offsets as number[];
    if (end - begin !== count * size)
      return fail(
        `${key}: shape [${shape.join(', ')}] of ${e.dtype} needs ${count * size} bytes, its ` +
          `range holds ${end - begin}`,
      );
    const values = new Float64Array(count);
    const at = dataStart + begin;
    for (let p = 0; p < count; p++) {
      const o = at + p * size;
      values[p] =
        e.dtype === 'F64'
          ? view.getFloat64(o, true)
          : e.dtype === 'F32'
            ? view.getFloat32(o, true)
            : e.dtype === 'F16'
              ? half(view.getUint16(o, true))
              : new Float32Array(new Uint32Array([view.getUint16(o, true) << 16]).buffer)[0];
      if (!Number.isFinite(values[p])) return fail(`${key}: value ${p + 1} is ${values[p]}`);
    }
    tensors.set(key, { dtype: e.dtype, shape: shape as number[], values });
  }
  if (tensors.size === 0) return fail('the file holds no tensors');
  return { ok: true, value: tensors };
}

/**
 * One Linear layer of the file: weight [out, in] row-major (PyTorch's layout, and the engine's).
 */
export interface LinearLayer {
  prefix: string;
  inputs: number;
  outputs: number;
  weight: Float64Array;
  bias?: Float64Array;
}

/** Natural order of prefixes: `2` before `10`, `layers.1` before `layers.2`. */
function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The tensors as a stack of Linear layers, or the first key that does not fit one, and why. */
export function linearStack(tensors: Map<string, Tensor>): Read<LinearLayer[]> {
  const groups = new Map<string, { weight?: Tensor; bias?: Tensor }>();
  for (const [key, t] of tensors) {
    const dot = key.lastIndexOf('.');
    const part = key.slice(dot + 1);
    if (dot <= 0 || (part !== 'weight' && part !== 'bias'))
      return fail(
        `${key}: not the weight or bias of a Linear layer (only keys N.weight and N.bias are read)`,
      );
    const prefix = key.slice(0, dot);
    const g = groups.get(prefix) ?? {};
    g[part] = t;
    groups.set(prefix, g);
  }
  const layers: LinearLayer[] = [];
  for (const prefix of [...groups.keys()].sort(natural)) {
    const { weight, bias } = groups.get(prefix)!;
    if (!weight) return fail(`${prefix}.bias: there is no ${prefix}.weight beside it`);
    if (weight.shape.length !== 2)
      return fail(
        `${prefix}.weight: shape [${weight.shape.join(', ')}] is not a Linear layer's [out, in]`,
      );
    const [outputs, inputs] = weight.shape;
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outputs))
      return fail(
        `${prefix}.bias: shape [${bias.shape.join(', ')}] does not fit ${prefix}.weight [` +
          `${outputs}, ${inputs}] (it needs [${outputs}])`,
      );
    const previous = layers[layers.length - 1];
    if (previous && previous.outputs !== inputs)
      return fail(
        `${prefix}.weight: shape [${outputs}, ${inputs}] takes ${inputs} inputs, but ` +
          `${previous.prefix} gives ${previous.outputs}`,
      );
    layers.push({ prefix, inputs, outputs, weight: weight.values, bias: bias?.values });
  }
  return { ok: true, value: layers };
}

/** Why the stack does not fit the network, or undefined when it does (nothing is changed here). */
export function checkStack(layers: LinearLayer[], net: Network): string | undefined {
  const sizes = [layers[0].inputs, ...layers.map((l) => l.outputs)];
  if (sizes.length !== net.sizes.length || sizes.some((n, k) => n !== net.sizes[k]))
    return (
      `the file holds Linear layers ${sizes.join(' -> ')} (` +
      `${layers.map((l) => l.prefix).join(', ')}); the network is ${net.sizes.join(' -> ')}`
    );
  for (const [m, l] of layers.entries()) {
    const k = m + 2;
    if (l.bias && !net.hasBias(k))
      return (
        `${l.prefix}.bias: layer L${k} has no biases (bias off); write \`bias on [${k}` +
        `]\` first`
      );
    if (!l.bias && net.hasBias(k))
      return (
        `the file has no ${l.prefix}.bias, but layer L${k} has biases: write \`bias off [` +
        `${k}]\` (nn.Linear(…, bias=False))`
      );
  }
  return undefined;
}

/** Sets every weight and bias from a stack checkStack accepted. */
export function applyStack(layers: LinearLayer[], net: Network): void {
  layers.forEach((l, m) => {
    net.weights[m].set(l.weight);
    if (l.bias) net.biases[m].set(l.bias);
  });
}

/** What the import did, in words: the layers and the dtypes converted. */
export function describeImport(
  path: string,
  layers: LinearLayer[],
  tensors: Map<string, Tensor>,
): string {
  const dtypes = [...new Set([...tensors.values()].map((t) => t.dtype))];
  const converted = dtypes.filter((d) => d !== 'F64');
  return (
    `weights from ${path}: ${layers.length} Linear layer${layers.length === 1 ? '' : 's'} (` +
    `${layers.map((l) => `${l.prefix}: ${l.inputs} → ${l.outputs}`).join(', ')})` +
    `${converted.length ? `; ${converted.join(', ')} converted to float64 (exactly)` : ', float64'}`
  );
}

/** Reads the file's bytes into `net`, or says why not (the network is unchanged then). */
export function loadSafetensors(
  bytes: Uint8Array,
  path: string,
  net: Network,
): { ok: true; message: string } | { ok: false; error: string } {
  if (bytes.length > MAX_SAFETENSORS_BYTES)
    return {
      ok: false,
      error: `${path} is ${bytes.length} bytes; the limit is ${MAX_SAFETENSORS_BYTES}`,
    };
  const tensors = readSafetensors(bytes);
  if (!tensors.ok) return { ok: false, error: `${path}: ${tensors.error}` };
  const stack = linearStack(tensors.value);
  if (!stack.ok) return { ok: false, error: `${path}: ${stack.error}` };
  const misfit = checkStack(stack.value, net);
  if (misfit) return { ok: false, error: `${path}: ${misfit}` };
  applyStack(stack.value, net);
  return { ok: true, message: describeImport(path, stack.value, tensors.value) };
}
