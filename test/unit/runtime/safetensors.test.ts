/**
 * Importing a PyTorch model: a small MLP trained a few steps in PyTorch, saved as safetensors (F32,
 * F64, F16, BF16), loaded into a notebook; its forward and backward must equal PyTorch float64's.
 * Bad files are refused with the key and the reason. And the round trip: a lesson exported as
 * PyTorch, trained further there, saved, loaded back with `weights from`: the weights are
 * PyTorch's, and so are forward and backward. Needs /usr/bin/python3 with torch.
 */
import { strict as assert } from 'assert';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { writeFileSync } from 'fs';
import { notebookBinaryReader } from '../../../src/cli/runner';
import { parse } from '../../../src/language/parser';
import { exportPyTorch, toScript } from '../../../src/runtime/pytorch';
import { Session } from '../../../src/runtime/session';
import { runTorchOracle } from '../torchOracle';
import {
  MAX_SAFETENSORS_BYTES,
  linearStack,
  readSafetensors,
} from '../../../src/runtime/safetensors';
import { host } from '../runHost';
import { partsText } from '../../../src/protocol/text';

const ROOT = resolve(__dirname, '../../../..');
const MAKER = join(ROOT, 'test/fixtures/pytorch/make_safetensors.py');
const ROUND_TRIP = join(ROOT, 'test/fixtures/pytorch/round_trip.py');

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
    torch = runTorchOracle<Torch>([MAKER, dir]);
  });

  async function notebook(dtype: string): Promise<Session> {
    const session = new Session();
    const run = await session.runCell(
      'network 3 -> 4 tanh -> 2 sigmoid\nloss half-squared\ninput x = [0.5, -1.0, 0.25]\ntarget ' +
        't = [0.2, 0.9]',
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
    it(
      `a model saved in ${dtype.toUpperCase()}: forward and backward equal PyTorch ` + `float64's`,
      async () => {
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
      },
    );
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
        'weights from mlp.safetensors: 2 Linear layers (0: 3 → 4, 2: 4 → 2); F32 converted to ' +
        'float64 (exactly)',
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

  it(
    '`weights from "FILE"` in a cell loads the model, says so, and backward ' + 'matches PyTorch',
    async () => {
      const session = new Session();
      const reader = notebookBinaryReader(join(dir, 'lesson.bpnb'));
      const run = await session.runCell(
        'network 3 -> 4 tanh -> 2 sigmoid\nweights from "mlp-f32.safetensors"\ninput x = [0.5, ' +
          '-1.0, 0.25]\ntarget t = [0.2, 0.9]\nforward\nbackward',
        { ...host, readBinaryFile: reader },
      );
      assert.ok(run.ok, JSON.stringify(run.problems));
      assert.ok(
        run.items.some(
          (i) =>
            i.kind === 'message' &&
            partsText(i.text).startsWith('weights from mlp-f32.safetensors: 2 Linear layers'),
        ),
      );
      close(
        session.valueOf({ kind: 'delta', layer: 2, node: 3 })!.value,
        torch.delta[2][2],
        'δ3[2]',
      );
      close(session.valueOf({ kind: 'loss' })!.value, torch.E, 'E');
    },
  );

  it(
    '`weights from` refuses a path outside the notebook, a missing reader, a file too large, ' +
      'and a misfit by line',
    async () => {
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
    },
  );
});

interface RoundTrip {
  /** the saved tensors by dtype and key, flattened ([out, in] for a weight), as float64 */
  state: Record<'F64' | 'F32', Record<string, number[]>>;
  E: number;
  z: number[][];
  a: number[][];
  delta: number[][];
  gradW: number[][][];
  gradB: number[][];
}

describe('round trip: export → train in PyTorch → safetensors → weights from', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpnb-round-trip-'));
  const lesson = [
    { kind: 'markdown' as const, source: '# XOR, trained a little here' },
    {
      kind: 'code' as const,
      source:
        'network 2 -> 4 tanh -> 1 sigmoid\nloss half-squared\ninit xavier seed 5\ndataset ' +
        'xor\ntrain epochs 30 lr 0.5',
    },
  ];
  let torch: RoundTrip;

  before(async () => {
    const exported = await exportPyTorch(lesson, {
      title: 'lesson.bpnb',
      readTextFile: () => Promise.reject(new Error('the lesson reads no file')),
    });
    assert.ok(exported.ok, exported.ok ? '' : exported.error.message);
    writeFileSync(join(dir, 'lesson.py'), toScript(exported.cells, 'lesson.bpnb'));
    torch = runTorchOracle<RoundTrip>([ROUND_TRIP, join(dir, 'lesson.py'), dir]);
  });

  /** The lesson's network in a notebook, then the trained model loaded with `weights from`. */
  async function reloaded(file: string): Promise<{ session: Session; before: number[] }> {
    const session = new Session();
    const files = { ...host, readBinaryFile: notebookBinaryReader(join(dir, 'lesson.bpnb')) };
    const first = await session.runCell(lesson[1].source, files);
    assert.ok(first.ok, JSON.stringify(first.problems));
    const before = weightsOf(session);
    const run = await session.runCell(`weights from "${file}"\nforward\nbackward`, files);
    assert.ok(run.ok, JSON.stringify(run.problems));
    return { session, before };
  }

  /**
   * Every weight and bias of the 2-4-1 network in PyTorch's order: 0.weight, 0.bias, 2.weight,
   * 2.bias.
   */
  function weightsOf(session: Session): number[] {
    const values: number[] = [];
    for (const [layer, inputs, outputs] of [
      [1, 2, 4],
      [2, 4, 1],
    ]) {
      for (let j = 1; j <= outputs; j++)
        for (let i = 1; i <= inputs; i++)
          values.push(session.valueOf({ kind: 'weight', layer, from: i, to: j })!.value);
      for (let j = 1; j <= outputs; j++)
        values.push(session.valueOf({ kind: 'bias', layer: layer + 1, node: j })!.value);
    }
    return values;
  }

  const saved = (dtype: 'F64' | 'F32') =>
    ['0.weight', '0.bias', '2.weight', '2.bias'].flatMap((key) => torch.state[dtype][key]);

  for (const dtype of ['F64', 'F32'] as const)
    it(`${dtype}: every weight read back is the one PyTorch trained and saved`, async () => {
      const { session, before } = await reloaded(`trained-${dtype.toLowerCase()}.safetensors`);
      assert.deepEqual(weightsOf(session), saved(dtype));
      assert.notDeepEqual(before, saved(dtype), 'PyTorch moved the weights the notebook exported');
    });

  it('forward and backward with the trained weights equal PyTorch float64’s', async () => {
    const { session } = await reloaded('trained-f64.safetensors');
    close(session.valueOf({ kind: 'loss' })!.value, torch.E, 'E');
    torch.z.forEach((zs, m) =>
      zs.forEach((z, j) => {
        const [layer, node] = [m + 2, j + 1];
        close(
          session.valueOf({ kind: 'preActivation', layer, node })!.value,
          z,
          `z${node}[${layer}]`,
        );
        const a = torch.a[m][j];
        close(session.valueOf({ kind: 'activation', layer, node })!.value, a, `a${node}[${layer}]`);
        const d = torch.delta[m][j];
        close(session.valueOf({ kind: 'delta', layer, node })!.value, d, `δ${node}[${layer}]`);
      }),
    );
    torch.gradW.forEach((rows, m) =>
      rows.forEach((row, j) =>
        row.forEach((g, i) => {
          const q = { kind: 'weightGrad' as const, layer: m + 1, from: i + 1, to: j + 1 };
          close(session.valueOf(q)!.value, g, `dE/dw${i + 1}${j + 1}[${m + 1}]`);
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
});
