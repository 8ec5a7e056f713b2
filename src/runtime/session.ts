/**
 * A notebook session: the state earlier cells built (networks, data, the last passes) and
 * `runCell`, which parses, validates and runs one cell against it, statement by statement through
 * the table in statements.ts. Pure: the host lends cancellation, yielding, progress and file
 * reading through RunHost. (The runtime by job: state.ts what a session holds and which data the
 * passes use; statements.ts what each statement does; train.ts, inspect.ts (explain, gradcheck),
 * boundary.ts, present.ts (tables, labels, snapshots), quantities.ts, datasets.ts, weights.ts.)
 */
import { parse } from '../language/parser';
import { scan } from '../language/scanner';
import { parseQuantity } from '../language/quantity';
import { validate, type NetworkShape, type SessionNames } from '../language/validate';
import { formatDiagnostic, offsetToLineCol, type Diagnostic } from '../language/diagnostics';
import type * as ast from '../language/ast';
import type {
  BoundaryItem,
  DerivationItem,
  LossCurveItem,
  NetworkSnapshot,
  TimelineItem,
} from '../protocol/results';
import type { GraphItem } from '../protocol/graph';
import type { Network } from '../engine/network';
import { DataError } from './datasets';
import { lossLabel, snapshot } from './present';
import { withPictures } from './nodeMaps';
import { passTrace } from './trace';
import { passPhases } from './phases';
import { quantityValue } from './quantities';
import { RUNNERS, type StatementRunner } from './statements';
import { shapeOf, summary, Workspace, type Ctx, type NetState } from './state';
import { explainParameter } from './derive';
import type { CellProblem, CellRun, RecordedValue, RunHost } from './types';
import { INTERNAL_CODE, INTERNAL_TEXT, StatementError } from './errors';
import { loadSafetensors } from './safetensors';
import { applyWeights, checkWeights, weightsOf, type WeightsFile } from './weights';
import { plain } from '../protocol/text';

export type { Ctx, NetState } from './state';

/** At most this many values are recorded per cell (see CellRun.values). */
const MAX_RECORDED_VALUES = 1000;

export interface SessionOptions {
  /** refuse networks needing more memory than this */
  maxBytes?: number;
}

export class Session {
  private readonly ws: Workspace;
  /** the graph the last statement drew, while no network statement has run since */
  private graph: GraphItem | undefined;

  /** a number for each network object (a rebuild makes a new one), for CellRun.shows */
  private readonly builds = new WeakMap<Network, number>();
  private lastBuild = 0;

  constructor(opts: SessionOptions = {}) {
    this.ws = new Workspace(opts.maxBytes ?? 256 * 1024 * 1024);
  }

  private build(net: Network): number {
    let n = this.builds.get(net);
    if (n === undefined) this.builds.set(net, (n = ++this.lastBuild));
    return n;
  }

  /**
   * Whether a network a cell showed (one of CellRun.shows) has been rebuilt or replaced since: no
   * network of the session is that one any more.
   */
  rebuiltSince(shown: number): boolean {
    return ![...this.ws.networks.values()].some((st) => this.builds.get(st.net) === shown);
  }

  get maxBytes(): number {
    return this.ws.maxBytes;
  }

  private get current() {
    return this.ws.current;
  }

  /** The current network's shape, for validation, completion and hovers. */
  shape(): NetworkShape | undefined {
    return this.current ? shapeOf(this.current.net) : undefined;
  }

  /** Networks and data tables earlier cells defined, for validation. */
  names(): SessionNames {
    const networks: Record<string, NetworkShape> = {};
    this.ws.networks.forEach((st, name) => (networks[name] = shapeOf(st.net)));
    return {
      networks,
      dataNames: [...this.ws.tables.keys()],
      expressions: this.ws.expressions.names(),
    };
  }

  /**
   * The current network with its last recorded numbers, for the panel: its phases of the pass and,
   * for a small net, the pass term by term; z, a, δ, the phases and the pass of row `row` of the
   * last batch (1-based; a row beyond the batch is its last).
   */
  snapshot(row = 1): NetworkSnapshot | undefined {
    const st = this.current;
    if (!st) return undefined;
    const label = lossLabel(st.net, st.rec.fwd?.batchSize);
    const snap = snapshot(st.name, st.net, st.rec, label, row);
    const trace = passTrace(st.net, st.rec, row);
    const phases = passPhases(st.net, st.rec, snap);
    return withPictures(st, {
      ...snap,
      ...(trace ? { trace } : {}),
      ...(phases.length ? { phases } : {}),
    });
  }

  lastTraining():
    { lossCurve?: LossCurveItem; boundary?: BoundaryItem; timeline?: TimelineItem[] } | undefined {
    const st = this.current;
    return st && (st.lossCurve || st.boundary)
      ? { lossCurve: st.lossCurve, boundary: st.boundary, timeline: st.timeline }
      : undefined;
  }

  /**
   * The computation graph the panel shows instead of the network: the last one drawn
   * (`backward f`, `show f`), until a statement about the network runs.
   */
  lastGraph(): GraphItem | undefined {
    return this.graph;
  }

  /**
   * The derivation of a parameter's gradient for the panel (what `explain` gives), or why there is
   * none.
   */
  explainParameter(param: string): DerivationItem | string {
    return this.current ? explainParameter(this.current, param) : 'no network yet';
  }

  /** Value (and gradient) of a quantity written in the seed's notation, or undefined. */
  valueOf(q: ast.QuantityRef): { value: number; gradient?: number } | undefined {
    const st = this.current;
    if (!st) return undefined;
    try {
      const v = quantityValue(st, q);
      return typeof v === 'string' ? undefined : v;
    } catch {
      return undefined;
    }
  }

  /** A computation-graph name's value and gradient, or a user function's formulas (for hovers). */
  describeExpression(name: string): ReturnType<Workspace['expressions']['describe']> {
    return this.ws.expressions.describe(name);
  }

  /**
   * The named values, expressions and user functions as the last statement left them, read-only
   * (for the PyTorch export).
   */
  expressions(): Readonly<Workspace['expressions']> {
    return this.ws.expressions;
  }

  /**
   * The current network's state as the last statement left it, read-only (for the PyTorch export).
   */
  inspect(): Readonly<NetState> | undefined {
    return this.current;
  }

  /**
   * The current network's weights and biases as JSON (see weights.ts), or undefined with no
   * network.
   */
  exportWeights(): WeightsFile | undefined {
    return this.current ? weightsOf(this.current.name, this.current.net) : undefined;
  }

  /**
   * Replaces the current network's weights and biases from JSON; nothing changes unless all of it
   * fits.
   */
  importWeights(json: unknown): { ok: true } | { ok: false; error: string } {
    const st = this.current;
    if (!st) return { ok: false, error: 'no network yet: run a cell that defines one first' };
    const error = checkWeights(json, st.net);
    if (error) return { ok: false, error };
    applyWeights(json as WeightsFile, st.net);
    st.rec = {};
    return { ok: true };
  }

  /**
   * Replaces the current network's weights and biases from a safetensors file's bytes (see
   * safetensors.ts).
   */
  importSafetensors(
    bytes: Uint8Array,
    path: string,
  ): { ok: true; message: string } | { ok: false; error: string } {
    const st = this.current;
    if (!st) return { ok: false, error: 'no network yet: run a cell that defines one first' };
    const result = loadSafetensors(bytes, path, st.net);
    if (result.ok) {
      st.rec = {};
      st.weightsFrom = `from ${path}`;
    }
    return result;
  }

  async runCell(text: string, host: RunHost): Promise<CellRun> {
    const { program, diagnostics } = parse(text);
    const problems = [...diagnostics, ...validate(program, this.shape(), this.names())].map((d) =>
      toProblem(text, d),
    );
    const ctx: Ctx = { host, items: [], expectations: { total: 0, failed: 0 }, text };
    const failedExpectations: CellRun['failedExpectations'] = [];
    const values: RecordedValue[] = [];
    const quantities = scan(text).tokens.filter((t) => t.kind === 'quantity');
    const result = (ok: boolean, cancelled: boolean): CellRun => ({
      ok,
      cancelled,
      items: ctx.items,
      problems,
      expectations: ctx.expectations,
      failedExpectations,
      shows: [...(ctx.shown ?? [])].flatMap((name) => {
        const st = this.ws.networks.get(name);
        return st ? [this.build(st.net)] : [];
      }),
      values,
    });
    if (problems.some((p) => p.severity === 'error')) return result(false, false);
    for (const statement of program.statements) {
      const before = ctx.items.length;
      try {
        if (host.isCancelled()) return result(false, true);
        await this.run(statement, ctx);
        this.record(statement.span, quantities, values);
      } catch (e) {
        problems.push(failure(text, statement.span, e));
        return result(false, false);
      } finally {
        for (let i = before; i < ctx.items.length; i++) {
          const item = ctx.items[i];
          if (item.kind === 'expect' && !item.pass)
            failedExpectations.push({ item, span: statement.span });
        }
      }
    }
    if (ctx.defined && this.current)
      ctx.items.unshift({ kind: 'message', level: 'info', text: plain(summary(this.current)) });
    let cancelled: boolean;
    try {
      cancelled = host.isCancelled();
    } catch {
      cancelled = true;
    }
    return result(!cancelled && ctx.expectations.failed === 0, cancelled);
  }

  /** The values of the quantities written in a statement that has just run, as it left them. */
  private record(
    span: ast.Span,
    tokens: { start: number; end: number; text: string }[],
    out: RecordedValue[],
  ): void {
    for (const t of tokens) {
      if (t.start < span.start || t.end > span.end || out.length >= MAX_RECORDED_VALUES) continue;
      const q = parseQuantity(t.text, t.start).quantity;
      const v = q ? this.valueOf(q) : undefined;
      if (v) out.push({ start: t.start, end: t.end, ...v });
    }
  }

  private async run(s: ast.Statement, ctx: Ctx): Promise<void> {
    const runner = RUNNERS[s.kind] as StatementRunner<ast.Statement>;
    if (runner.defines) ctx.defined = true;
    const before = ctx.items.length;
    await runner.run(this.ws, s, ctx);
    if (runner.graphOnly !== true) {
      this.graph = undefined;
      if (this.ws.current) (ctx.shown ??= new Set()).add(this.ws.current.name);
    }
    for (let i = before; i < ctx.items.length; i++) {
      const item = ctx.items[i];
      if (item.kind === 'graph') this.graph = item;
    }
  }
}

function toProblem(text: string, d: Diagnostic): CellProblem {
  const { line, col } = offsetToLineCol(text, d.span.start);
  return {
    message: formatDiagnostic(d),
    code: d.code,
    severity: d.severity,
    start: d.span.start,
    end: d.span.end,
    line,
    column: col,
  };
}

/**
 * A statement that failed while running. A StatementError or DataError is the user's mistake, with
 * its code; anything else (an engine precondition, a failing host, a bug) is an internal error
 * (BPNB900) that says so and keeps its stack for the report. It still stays in this cell.
 */
export function failure(text: string, at: ast.Span, e: unknown): CellProblem {
  const mistake = e instanceof StatementError || e instanceof DataError;
  const span = e instanceof StatementError && e.span ? e.span : at;
  const { line, col } = offsetToLineCol(text, span.start);
  const said = e instanceof Error ? e.message : String(e);
  return {
    message: mistake ? said : `${INTERNAL_TEXT}: ${said}`,
    code: mistake ? e.code : INTERNAL_CODE,
    severity: 'error',
    start: span.start,
    end: span.end,
    line,
    column: col,
    ...(mistake ? {} : { stack: e instanceof Error ? e.stack : undefined }),
  };
}
