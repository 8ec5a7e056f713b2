/**
 * Importing a PyTorch model: a small MLP trained a few steps in PyTorch, saved as safetensors
 * (F32, F64, F16, BF16), loaded into a notebook; its forward and backward must equal PyTorch
 * float64's. Bad files are refused with the key and the reason. Needs /usr/bin/python3 with torch.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { writeFileSync } from 'fs';
import { notebookBinaryReader } from '../../../src/cli/runner';
import { parse } from '../../../src/language/parser';
import { Session } from '../../../src/runtime/session';
import type { RunHost } from '../../../src/runtime/types';
import {
  MAX_SAFETENSORS_BYTES,
  linearStack,
  readSafetensors,
} from '../../../src/runtime/safetensors';

const ROOT = resolve(__dirname, '../../../..');
const MAKER = join(ROOT, 'test/fixtures/pytorch/make_safetensors.py');
const host: RunHost = { isCancelled: () => false, yieldNow: async () => {}, now: () => 0 };

interface Torch {
  E: number;
  z: Record<string, number[]>;
  a: Record<string, number[]>;
  delta: Record<string, number[]>;
  gradW: number[][][];
  gradB: number[][];
  rounded: Record<string, Record<string, number[]>>;
}

/** A safetensors file from a header object and little-endian float64 data. */
function file(header: object, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f64 = (values: number[]) => new Uint8Array(new Float64Array(values).buffer);

function close(actual: number, expected: number, what: string): void {
  const rel =
    actual === expected ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(rel <= 1e-12, `${what}: notebook ${actual}, PyTorch ${expected} (relative ${rel})`);
}

describe('safetensors import, against PyTorch', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpnb-safetensors-'));
  let torch: Torch;

  before(() => {
    const run = spawnSync('/usr/bin/python3', [MAKER, dir], { encoding: 'utf8' });
    if (run.status !== 0)
      throw new Error(
        `these tests need /usr/bin/python3 with torch (as root: apt-get install -y python3-torch): ${run.error?.message ?? run.stderr}`,
      );
    torch = JSON.parse(run.stdout) as Torch;
  });

  async function notebook(dtype: string): Promise<Session> {
    const session = new Session();
    const run = await session.runCell(
      'network 3 -> 4 tanh -> 2 sigmoid\nloss half-squared\ninput x = [0.5, -1.0, 0.25]\ntarget t = [0.2, 0.9]',
      host,
    );
    assert.ok(run.ok, JSON.stringify(run.problems));
    const imported = session.importSafetensors(
      readFileSync(join(dir, `mlp-${dtype}.safetensors`)),
      `mlp-${dtype}.safetensors`,
    );
    assert.ok(imported.ok, imported.ok ? '' : imported.error);
    return session;
  }

  for (const dtype of ['f32', 'f64']) {
    it(`a model saved in ${dtype.toUpperCase()}: forward and backward equal PyTorch float64's`, async () => {
      const session = await notebook(dtype);
      const run = await session.runCell('forward\nbackward', host);
      assert.ok(run.ok, JSON.stringify(run.problems));
      close(session.valueOf({ kind: 'loss' })!.value, torch.E, 'E');
      for (const k of [2, 3])
        torch.z[k].forEach((_, j) => {
          const node = j + 1;
          close(
            session.valueOf({ kind: 'preActivation', layer: k, node })!.value,
            torch.z[k][j],
            `z${node}[${k}]`,
          );
          close(
            session.valueOf({ kind: 'activation', layer: k, node })!.value,
            torch.a[k][j],
            `a${node}[${k}]`,
          );
          close(
            session.valueOf({ kind: 'delta', layer: k, node })!.value,
            torch.delta[k][j],
            `δ${node}[${k}]`,
          );
        });
      torch.gradW.forEach((rows, m) =>
        rows.forEach((row, j) =>
          row.forEach((g, i) => {
            const q = { kind: 'weightGrad' as const, layer: m + 1, from: i + 1, to: j + 1 };
            close(session.valueOf(q)!.value, g, `dE/dw(${i + 1},${j + 1})[${m + 1}]`);
          }),
        ),
      );
      torch.gradB.forEach((row, m) =>
        row.forEach((g, j) =>
          close(
            session.valueOf({ kind: 'biasGrad', layer: m + 2, node: j + 1 })!.value,
            g,
            `dE/db${j + 1}[${m + 2}]`,
          ),
        ),
      );
    });
  }

  for (const dtype of ['F16', 'BF16'])
    it(`${dtype} values become the float64 numbers PyTorch rounds them to`, () => {
      const tensors = readSafetensors(
        readFileSync(join(dir, `mlp-${dtype.toLowerCase()}.safetensors`)),
      );
      assert.ok(tensors.ok);
      for (const [key, values] of Object.entries(torch.rounded[dtype]))
        assert.deepEqual(Array.from(tensors.value.get(key)!.values), values, key);
    });

  it('says which layers it read and that F32 was converted', async () => {
    const session = new Session();
    await session.runCell('network 3 -> 4 tanh -> 2 sigmoid', host);
    const r = session.importSafetensors(
      readFileSync(join(dir, 'mlp-f32.safetensors')),
      'mlp.safetensors',
    );
    assert.deepEqual(r, {
      ok: true,
      message:
        'weights from mlp.safetensors: 2 Linear layers (0: 3 → 4, 2: 4 → 2); F32 converted to float64 (exactly)',
    });
  });

  it('refuses what is not a stack of Linear layers, naming the key and the reason', () => {
    const w = { dtype: 'F64', shape: [1, 2], data_offsets: [0, 16] };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(4), /no header/],
      [file({ a: 1 }).subarray(0, 10), /header says it is \d+ bytes long/],
      [
        file({ '0.weight': { ...w, dtype: 'I64' } }, f64([1, 2])),
        /0\.weight: dtype I64 is not a floating-point weight/,
      ],
      [
        file({ '0.running_mean': w }, f64([1, 2])),
        /0\.running_mean: not the weight or bias of a Linear layer/,
      ],
      [
        file({ 'conv.weight': { ...w, shape: [1, 1, 2], data_offsets: [0, 16] } }, f64([1, 2])),
        /conv\.weight: shape \[1, 1, 2\] is not a Linear layer's \[out, in\]/,
      ],
      [
        file({ '0.weight': { ...w, data_offsets: [0, 24] } }, f64([1, 2])),
        /0\.weight: its byte range is not inside the file/,
      ],
      [
        file({ '0.weight': w, '1.weight': { ...w, data_offsets: [0, 16] } }, f64([1, 2])),
        /1\.weight: shape \[1, 2\] takes 2 inputs, but 0 gives 1/,
      ],
      [file({ '0.weight': w }, f64([1, NaN])), /0\.weight: value 2 is NaN/],
    ];
    for (const [bytes, message] of cases) {
      const read = readSafetensors(bytes);
      const stack = read.ok ? linearStack(read.value) : read;
      assert.ok(!stack.ok, `accepted: ${String(message)}`);
      assert.match(stack.error, message);
    }
  });

  it('refuses a file that does not fit the network, and changes nothing', async () => {
    const session = new Session();
    await session.runCell('network 3 -> 4 tanh -> 2 sigmoid\nbias off [3]\nw11[1] = 0.5', host);
    const bytes = readFileSync(join(dir, 'mlp-f64.safetensors'));
    assert.match(
      (session.importSafetensors(bytes, 'm.safetensors') as { error: string }).error,
      /2\.bias: layer L3 has no biases \(bias off\); write `bias on \[3\]` first/,
    );
    assert.equal(session.valueOf({ kind: 'weight', layer: 1, from: 1, to: 1 })!.value, 0.5);
    await session.runCell('network 3 -> 5 tanh -> 2 sigmoid', host);
    assert.match(
      (session.importSafetensors(bytes, 'm.safetensors') as { error: string }).error,
      /holds Linear layers 3 -> 4 -> 2 \(0, 2\); the network is 3 -> 5 -> 2/,
    );
    assert.match(
      (
        session.importSafetensors(new Uint8Array(MAX_SAFETENSORS_BYTES + 1), 'big.safetensors') as {
          error: string;
        }
      ).error,
      /big\.safetensors is \d+ bytes; the limit is/,
    );
  });

  it('`weights from "FILE"` in a cell loads the model, says so, and backward matches PyTorch', async () => {
    const session = new Session();
    const reader = notebookBinaryReader(join(dir, 'lesson.bpnb'));
    const run = await session.runCell(
      'network 3 -> 4 tanh -> 2 sigmoid\nweights from "mlp-f32.safetensors"\ninput x = [0.5, -1.0, 0.25]\ntarget t = [0.2, 0.9]\nforward\nbackward',
      { ...host, readBinaryFile: reader },
    );
    assert.ok(run.ok, JSON.stringify(run.problems));
    assert.ok(
      run.items.some(
        (i) =>
          i.kind === 'message' &&
          i.text.startsWith('weights from mlp-f32.safetensors: 2 Linear layers'),
      ),
    );
    close(session.valueOf({ kind: 'delta', layer: 2, node: 3 })!.value, torch.delta[2][2], 'δ3[2]');
    close(session.valueOf({ kind: 'loss' })!.value, torch.E, 'E');
  });

  it('`weights from` refuses a path outside the notebook, a missing reader, a file too large, and a misfit by line', async () => {
    assert.equal(parse('weights from "../m.safetensors"').diagnostics[0].code, 'BPNB110');
    const session = new Session();
    const noFiles = await session.runCell(
      'network 3 -> 4 tanh -> 2 sigmoid\nweights from "m.safetensors"',
      host,
    );
    assert.match(noFiles.problems[0].message, /reading files is not available here/);
    await assert.rejects(
      notebookBinaryReader(join(dir, 'lesson.bpnb'))('mlp-f32.safetensors', 100),
      /it is \d+ bytes; the limit is 100/,
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a model');
    const misfit = await session.runCell(
      'network 3 -> 5 tanh -> 2 sigmoid\nweights from "mlp-f64.safetensors"',
      {
        ...host,
        readBinaryFile: notebookBinaryReader(join(dir, 'lesson.bpnb')),
      },
    );
    assert.equal(misfit.problems[0].line, 2);
    assert.match(
      misfit.problems[0].message,
      /mlp-f64\.safetensors: the file holds Linear layers 3 -> 4 -> 2/,
    );
    const text = await session.runCell('weights from "notes.txt"', {
      ...host,
      readBinaryFile: notebookBinaryReader(join(dir, 'lesson.bpnb')),
    });
    assert.match(text.problems[0].message, /notes\.txt: not a safetensors file/);
  });
});
