/**
 * Shape checks for result payloads arriving in browser code. The renderer draws only what passes;
 * anything else becomes a readable error inside its own output. Pure (no DOM).
 */
import { NetworkSnapshot, PAYLOAD_VERSION, ResultItem, TextPart } from '../protocol/results';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNum = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) ||
  v === 'NaN' ||
  v === 'Infinity' ||
  v === '-Infinity';
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const arr = (v: unknown, each: (x: unknown) => boolean, max = 5_000_000): boolean =>
  Array.isArray(v) && v.length <= max && v.every(each);
const isCell = (v: unknown) => isStr(v) || isNum(v);
const partOk = (p: unknown) =>
  isObj(p) && Object.keys(p).length === 1 && (isStr(p.text) || isStr(p.code) || isNum(p.num));
/** Words: text and code parts, or (in an output saved before there were parts) one plain text. */
export function wordsOf(v: unknown): TextPart[] | undefined {
  if (isStr(v)) return [{ text: v }];
  return arr(v, partOk, 10_000) ? (v as TextPart[]) : undefined;
}
/** Most nodes per layer and layers the views accept (the engine refuses far smaller nets). */
const MAX_NODES = 100_000;
const MAX_LAYERS = 64;

function matrixOk(m: unknown, rows: number, cols: number, each = isNum): boolean {
  return (
    Array.isArray(m) &&
    m.length === rows &&
    m.every((r) => Array.isArray(r) && r.length === cols && r.every(each))
  );
}

/** One matrix per layer gap, sizes[k] × sizes[k+1] (weights and their gradients). */
export function weightsOk(v: unknown, sizes: number[], each = isNum): boolean {
  return (
    Array.isArray(v) &&
    v.length === sizes.length - 1 &&
    v.every((m, k) => matrixOk(m, sizes[k], sizes[k + 1], each))
  );
}

/** Per-layer vectors: exactly one per layer, each empty or as long as the layer. */
export function perLayerOk(
  v: unknown,
  sizes: number[],
  offset: number,
  each: (x: unknown) => boolean,
): boolean {
  return (
    Array.isArray(v) &&
    v.length === sizes.length - offset &&
    v.every(
      (layer, idx) =>
        Array.isArray(layer) &&
        (layer.length === 0 || layer.length === sizes[idx + offset]) &&
        layer.every(each),
    )
  );
}

/** Per node grids of `cells` numbers each, one list per layer, as wide as the layer. */
export function mapValuesOk(v: unknown, sizes: number[], cells: number): boolean {
  return (
    Array.isArray(v) &&
    v.length === sizes.length &&
    v.every(
      (layer, k) =>
        Array.isArray(layer) &&
        layer.length === sizes[k] &&
        layer.every((g) => Array.isArray(g) && g.length === cells && g.every(isFiniteNum)),
    )
  );
}

function mapsOk(v: unknown, sizes: number[]): boolean {
  if (!isObj(v)) return false;
  const range = (r: unknown) => Array.isArray(r) && r.length === 2 && r.every(isFiniteNum);
  const n = v.resolution;
  if (!range(v.xRange) || !range(v.yRange) || !Number.isInteger(n) || (n as number) < 1)
    return false;
  if ((n as number) > 200 || !mapValuesOk(v.values, sizes, (n as number) ** 2)) return false;
  return (
    v.points === undefined ||
    arr(v.points, (p) => isObj(p) && isFiniteNum(p.x) && isFiniteNum(p.y) && isFiniteNum(p.label))
  );
}

const edgeOk = (e: unknown) => Array.isArray(e) && e.length === 2 && e.every(isStr);
/** a line the runtime wrote: text, code and number parts */
const lineOk = (v: unknown) => Array.isArray(v) && wordsOf(v) !== undefined;
const optLine = (v: unknown) => v === undefined || lineOk(v);
const termOk = (t: unknown) =>
  isObj(t) &&
  isStr(t.param) &&
  (t.node === undefined || isStr(t.node)) &&
  (t.edge === undefined || edgeOk(t.edge)) &&
  isNum(t.value) &&
  lineOk(t.says) &&
  lineOk(t.sum);
const optNum = (x: unknown) => x === undefined || isNum(x);

/** `row` of `rows` (both whole, 1 ≤ row ≤ rows), or neither. */
export function rowOk(v: Record<string, unknown>): boolean {
  if (v.row === undefined && v.rows === undefined) return true;
  return (
    Number.isInteger(v.rows) &&
    Number.isInteger(v.row) &&
    (v.row as number) >= 1 &&
    (v.row as number) <= (v.rows as number)
  );
}

/**
 * A pass trace of these layers: one node trace per node, each sum no longer than the layers it sums
 * over.
 */
function traceOk(v: unknown, sizes: number[]): boolean {
  if (!isObj(v) || v.rows === undefined || !rowOk(v)) return false;
  if (v.reduction !== undefined && !isStr(v.reduction)) return false;
  if (!optLine(v.note)) return false;
  const nodeOk = (t: unknown, k: number) =>
    isObj(t) &&
    isStr(t.node) &&
    arr(t.forward, termOk, k === 0 ? 0 : sizes[k - 1] + 1) &&
    (t.backward === undefined || arr(t.backward, termOk, sizes[k + 1] ?? 0)) &&
    isNum(t.a) &&
    [t.z, t.sum, t.dEda, t.slope, t.delta].every(optNum) &&
    (t.lines === undefined ||
      (isObj(t.lines) && [t.lines.za, t.lines.sum, t.lines.delta].every(optLine)));
  const gradOk = (g: unknown) =>
    isObj(g) &&
    [g.param, g.deltaName, g.aName].every(isStr) &&
    edgeOk(g.edge) &&
    [g.delta, g.a, g.product, g.value].every(isNum) &&
    lineOk(g.line);
  return (
    Array.isArray(v.nodes) &&
    v.nodes.length === sizes.length &&
    v.nodes.every(
      (layer, k) =>
        Array.isArray(layer) && layer.length === sizes[k] && layer.every((t) => nodeOk(t, k)),
    ) &&
    (v.gradients === undefined || arr(v.gradients, gradOk, 100_000))
  );
}

const STAGES = ['inputs', 'forward', 'error', 'output', 'hidden', 'gradients', 'update'];

/** The runtime's phases of a pass: each a stage, words, names and [name, number] pairs. */
function phasesOk(v: unknown, layers: number): boolean {
  const pairOk = (p: unknown) => Array.isArray(p) && p.length === 2 && isStr(p[0]) && isNum(p[1]);
  const phaseOk = (p: unknown) =>
    isObj(p) &&
    STAGES.includes(p.stage as string) &&
    (p.layer === undefined ||
      (Number.isInteger(p.layer) && (p.layer as number) >= 1 && (p.layer as number) <= layers)) &&
    isStr(p.title) &&
    lineOk(p.rule) &&
    arr(p.nodes, isStr, 1_000_000) &&
    arr(p.params, isStr, 1_000_000) &&
    arr(p.numbers, pairOk, 10_000) &&
    Number.isInteger(p.total);
  return arr(v, phaseOk, 1_000);
}

export function checkSnapshot(v: unknown): Checked<NetworkSnapshot> {
  if (!isObj(v)) return { ok: false, error: 'network snapshot is not an object' };
  const { sizes } = v;
  if (!isStr(v.name)) return { ok: false, error: 'network has no name' };
  if (
    !Array.isArray(sizes) ||
    sizes.length < 1 ||
    sizes.length > MAX_LAYERS ||
    !sizes.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_NODES)
  )
    return { ok: false, error: 'network sizes are not a list of positive whole numbers' };
  const s = sizes as number[];
  if (!arr(v.activations, isStr) || (v.activations as string[]).length !== s.length - 1)
    return { ok: false, error: 'network activations do not match its layers' };
  if (!weightsOk(v.weights, s))
    return { ok: false, error: 'network weights do not match its layer sizes' };
  if (!perLayerOk(v.biases, s, 1, isNum))
    return { ok: false, error: 'network biases do not match its layer sizes' };
  if (!rowOk(v)) return { ok: false, error: 'network row is not one of its rows' };
  for (const key of ['z', 'a', 'delta', 'activationGrad'] as const)
    if (v[key] !== undefined && !perLayerOk(v[key], s, 0, isNum))
      return { ok: false, error: `network ${key} does not match its layer sizes` };
  if (v.weightGrad !== undefined && !weightsOk(v.weightGrad, s))
    return { ok: false, error: 'network weight gradients do not match its layer sizes' };
  if (v.biasGrad !== undefined && !perLayerOk(v.biasGrad, s, 1, isNum))
    return { ok: false, error: 'network bias gradients do not match its layer sizes' };
  if (v.lr !== undefined && !isFiniteNum(v.lr))
    return { ok: false, error: 'learning rate is not a number' };
  if (v.loss !== undefined && !isNum(v.loss)) return { ok: false, error: 'loss is not a number' };
  if (v.lossLabel !== undefined && !isStr(v.lossLabel))
    return { ok: false, error: 'loss label is not text' };
  if (v.noUpdate !== undefined) {
    const noUpdate = wordsOf(v.noUpdate);
    if (!noUpdate) return { ok: false, error: 'the no-update note is not text' };
    if (noUpdate !== v.noUpdate) return checkSnapshot({ ...v, noUpdate });
  }
  if (v.updated !== undefined && typeof v.updated !== 'boolean')
    return { ok: false, error: 'updated is not true or false' };
  if (v.weightsBefore !== undefined && !weightsOk(v.weightsBefore, s))
    return { ok: false, error: 'weights before the update do not match the layer sizes' };
  if (v.biasesBefore !== undefined && !perLayerOk(v.biasesBefore, s, 1, isNum))
    return { ok: false, error: 'biases before the update do not match the layer sizes' };
  const stepOk = (x: unknown) => x === null || isNum(x);
  if (v.weightSteps !== undefined && !weightsOk(v.weightSteps, s, stepOk))
    return { ok: false, error: 'weight steps do not match the layer sizes' };
  if (v.biasSteps !== undefined && !perLayerOk(v.biasSteps, s, 1, stepOk))
    return { ok: false, error: 'bias steps do not match the layer sizes' };
  // maps, the trace and the phases go beside the numbers: when malformed they are dropped, not
  // the network
  if (v.maps !== undefined && !mapsOk(v.maps, s)) return checkSnapshot({ ...v, maps: undefined });
  if (v.trace !== undefined && !traceOk(v.trace, s))
    return checkSnapshot({ ...v, trace: undefined });
  if (v.phases !== undefined && !phasesOk(v.phases, s.length))
    return checkSnapshot({ ...v, phases: undefined });
  // flags are a hint: when they do not fit the layers they are dropped, not the whole network
  if (v.flags !== undefined && !perLayerOk(v.flags, s, 0, (f) => f === null || isStr(f)))
    return { ok: true, value: { ...(v as unknown as NetworkSnapshot), flags: undefined } };
  return { ok: true, value: v as unknown as NetworkSnapshot };
}

export function checkItem(v: unknown): Checked<ResultItem> {
  if (!isObj(v)) return { ok: false, error: 'result item is not an object' };
  const ok = { ok: true as const, value: v as unknown as ResultItem };
  const bad = (what: string) => ({ ok: false as const, error: `${String(v.kind)} item: ${what}` });
  switch (v.kind) {
    case 'message': {
      const text = wordsOf(v.text);
      return ['info', 'warning', 'error'].includes(v.level as string) &&
        text &&
        (v.sparkline === undefined || arr(v.sparkline, isNum, 1000))
        ? { ok: true, value: { ...v, text } as unknown as ResultItem }
        : bad('needs a level and text');
    }
    case 'table': {
      if (!isStr(v.title) || !arr(v.columns, isStr, 1000))
        return bad('needs a title and column names');
      const width = (v.columns as string[]).length;
      if (!arr(v.rows, (r) => Array.isArray(r) && r.length <= width && r.every(isCell)))
        return bad('rows must be lists of text or numbers no wider than the columns');
      if (v.totalRows !== undefined && !isFiniteNum(v.totalRows))
        return bad('totalRows is not a number');
      if (
        v.changed !== undefined &&
        !(
          arr(
            v.changed,
            (c) => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c < width,
            2,
          ) && (v.changed as number[]).length === 2
        )
      )
        return bad('changed is not two column numbers');
      if (v.note === undefined) return ok;
      const note = wordsOf(v.note);
      return note
        ? { ok: true, value: { ...v, note } as unknown as ResultItem }
        : bad('note is not text');
    }
    case 'derivation':
      return isStr(v.quantity) &&
        isNum(v.value) &&
        arr(
          v.steps,
          (s) =>
            isObj(s) &&
            isStr(s.symbolic) &&
            isStr(s.substituted) &&
            isStr(s.latex) &&
            (s.exact === undefined || isStr(s.exact)) &&
            isNum(s.value),
          1000,
        )
        ? ok
        : bad('needs a quantity, a value and steps');
    case 'lossCurve':
      return isStr(v.title) &&
        isStr(v.lossLabel) &&
        typeof v.done === 'boolean' &&
        wordsOf(v.summary) &&
        arr(v.points, (p) => Array.isArray(p) && p.length === 2 && isFiniteNum(p[0]) && isNum(p[1]))
        ? ok
        : bad('needs a title, a loss label, a summary and [epoch, loss] points');
    case 'boundary': {
      const range = (r: unknown) => Array.isArray(r) && r.length === 2 && r.every(isFiniteNum);
      const n = v.resolution;
      if (
        !range(v.xRange) ||
        !range(v.yRange) ||
        !Number.isInteger(n) ||
        (n as number) < 1 ||
        (n as number) > 1000
      )
        return bad('needs ranges and a resolution from 1 to 1000');
      if (
        !Array.isArray(v.values) ||
        v.values.length !== (n as number) ** 2 ||
        !v.values.every((x) => typeof x === 'number')
      )
        return bad('values must be resolution × resolution numbers');
      return arr(
        v.points,
        (p) => isObj(p) && isFiniteNum(p.x) && isFiniteNum(p.y) && isFiniteNum(p.label),
        100_000,
      )
        ? ok
        : bad('points need x, y and label');
    }
    case 'network': {
      const s = checkSnapshot(v.snapshot);
      if (!s.ok) return bad(s.error);
      const checked = { ok: true as const, value: { ...v, snapshot: s.value } as ResultItem };
      const d = v.derivations;
      if (d === undefined) return checked;
      return isObj(d) &&
        Object.values(d).every((x) => {
          const c = checkItem(x);
          return c.ok && c.value.kind === 'derivation';
        })
        ? checked
        : bad('derivations malformed');
    }
    case 'expect':
      return isStr(v.quantity) &&
        isNum(v.expected) &&
        isNum(v.actual) &&
        isFiniteNum(v.tolerance) &&
        (v.difference === undefined || isStr(v.difference)) &&
        typeof v.pass === 'boolean'
        ? ok
        : bad('needs quantity, expected, tolerance, actual and pass');
    case 'progress':
      return isFiniteNum(v.epoch) &&
        (v.epochs === undefined || isFiniteNum(v.epochs)) &&
        isFiniteNum(v.step) &&
        isNum(v.loss) &&
        typeof v.done === 'boolean'
        ? ok
        : bad('needs epoch, step, loss and done');
    case 'graph':
      return isStr(v.root) &&
        typeof v.hasGradients === 'boolean' &&
        arr(v.nodes, (node) => isObj(node), 100_000) &&
        (v.nodes as unknown[]).length > 0 &&
        (v.nodes as unknown[]).every((node, i) => graphNodeOk(node, i))
        ? ok
        : bad('needs a root and nodes whose inputs come before them');
    case 'plot':
      return isStr(v.title) &&
        isStr(v.xLabel) &&
        arr(
          v.series,
          (s) =>
            isObj(s) &&
            isStr(s.label) &&
            arr(
              s.points,
              (p) => Array.isArray(p) && p.length === 2 && isFiniteNum(p[0]) && isNum(p[1]),
            ),
          20,
        ) &&
        (v.marks === undefined ||
          arr(v.marks, (m) => isObj(m) && isFiniteNum(m.x) && isStr(m.label), 100))
        ? ok
        : bad('needs a title, an x label and series of [x, y] points');
    default:
      return {
        ok: false,
        error: `unknown result item kind ${JSON.stringify(String(v.kind)).slice(0, 60)}`,
      };
  }
}

/** A graph node: label, value, inputs that are earlier nodes, one local derivative per input. */
function graphNodeOk(v: unknown, index: number): boolean {
  if (!isObj(v) || !isStr(v.label) || !isNum(v.value)) return false;
  if (!arr(v.inputs, (i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < index, 16))
    return false;
  if (
    !arr(v.local, (l) => l === null || isNum(l), 16) ||
    (v.local as unknown[]).length !== (v.inputs as unknown[]).length
  )
    return false;
  if (v.grad !== undefined && !isNum(v.grad)) return false;
  return [v.name, v.source, v.issue].every((s) => s === undefined || isStr(s));
}

/** Checks a whole payload; items that fail are reported one by one, the rest still draw. */
export function checkPayload(
  v: unknown,
): { ok: true; items: ResultItem[]; errors: string[] } | { ok: false; error: string } {
  if (!isObj(v)) return { ok: false, error: 'the output is not a result payload (not an object)' };
  if (v.version !== PAYLOAD_VERSION)
    return {
      ok: false,
      error:
        `the output has payload version ${JSON.stringify(v.version)}; this version of the ` +
        `extension reads version ${PAYLOAD_VERSION}`,
    };
  if (!Array.isArray(v.items)) return { ok: false, error: 'the output has no items' };
  const items: ResultItem[] = [];
  const errors: string[] = [];
  for (const item of v.items) {
    const c = checkItem(item);
    if (c.ok) items.push(c.value);
    else errors.push(c.error);
  }
  return { ok: true, items, errors };
}
