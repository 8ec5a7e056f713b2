/**
 * The Network panel's webview script. It draws what the host sends (`update` / `empty`), keeps its
 * selection and sort in `setState` so it restores after a reload, and posts `ready` and `select`.
 * Updates that arrive faster than the screen refreshes are coalesced into one frame.
 */
import type {
  DerivationMessage,
  EmptyMessage,
  HostToPanelMessage,
  PanelState,
  PanelToHostMessage,
  UpdateMessage,
} from '../protocol/panelMessages';
import type { GraphItem } from '../protocol/graph';
import type { NetworkSnapshot, PassPhase, TextPart } from '../protocol/results';
import { partsText, rowOfRows, shownNumber, setDisplayDigits } from '../protocol/text';
import { drawBoundary } from './boundary';
import { drawDerivation, linkKatexStyle } from './derivation';
import { drawGraph } from './graph';
import { drawParts, el, ensureStyle, withCode } from './dom';
import {
  EDGE_COLUMNS,
  GRADIENT_COLUMNS,
  NODE_COLUMNS,
  edgeRows,
  gradientRows,
  nodeRows,
} from './gradients';
import { CURVE_WIDTH, drawLossCurve } from './lossCurve';
import { NetworkView, drawNetwork } from './network';
import { PassStep, passSteps } from './passSteps';
import { SPEEDS, reducedMotion, showMoment } from './passAnimation';
import { VIEW_CSS, VIEW_STYLE_ID } from './styles';
import { TableView, drawTable } from './tables';
import { boundaryAt, checkTimeline, snapshotAt, timelineLabel } from './timeline';
import { checkItem, checkSnapshot } from './validate';

interface VsCodeApi {
  postMessage(message: PanelToHostMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** snapshots with more weights than this are not kept in setState (the host resends on `ready`) */
const STATE_WEIGHT_LIMIT = 20_000;

const vscode = acquireVsCodeApi();
const script = document.currentScript as HTMLScriptElement | null;
const nonce = script?.nonce || undefined;
ensureStyle(document, VIEW_STYLE_ID, VIEW_CSS, nonce);

const state: PanelState = vscode.getState() ?? {};
let pending: UpdateMessage | EmptyMessage | undefined;
/**
 * the host's last answer to `select` (kept while live frames redraw: the records it explains do not
 * change then)
 */
let answer: DerivationMessage | undefined;
/** where the selected parameter's derivation is drawn in the current render */
let derivationBox: HTMLElement | undefined;
let frame = 0;
/** the step of phase stepping shown (-1: not stepping), and how many there are */
let phaseIndex = -1;
let phaseCount = 0;
/** the pass animation: playing, its timer, and milliseconds per step (the saved choice, if any) */
let playing = false;
let playTimer: ReturnType<typeof setTimeout> | undefined;
let speed = SPEEDS.find((v) => v.ms === state.speed)?.ms ?? SPEEDS[1].ms;
/** the id of the control (timeline slider, batch row) to focus after the redraw it asked for */
let refocus: string | undefined;
/** the width the network drawing was laid out to (a resize that changes it redraws) */
let drawnRoom = 0;
/** redraws the phase bar of the current render */
let showPhase: () => void = () => undefined;

const app = el('main', { class: 'bp-root bp-panel' });
document.body.append(app);

function saveState(): void {
  const last = state.last;
  const weights =
    last?.snapshot?.weights.reduce((n, m) => n + m.length * (m[0]?.length ?? 0), 0) ?? 0;
  // a long timeline of a big net is not kept either: the host resends it on `ready`
  const kept =
    last && weights * (1 + (last.timeline?.length ?? 0)) > STATE_WEIGHT_LIMIT * 5
      ? { ...last, timeline: undefined }
      : last;
  vscode.setState({ ...state, last: weights <= STATE_WEIGHT_LIMIT ? kept : undefined });
}

/** Only well-formed parts of a message are drawn; the rest are dropped with a note. */
function checkUpdate(m: UpdateMessage): { message: UpdateMessage; problems: string[] } {
  const problems: string[] = [];
  const out: UpdateMessage = {
    type: 'update',
    notebook: typeof m.notebook === 'string' ? m.notebook : '',
    live: m.live === true,
    ...(m.digits !== undefined ? { digits: m.digits } : {}),
  };
  if (m.snapshot !== undefined) {
    const c = checkSnapshot(m.snapshot);
    if (c.ok) out.snapshot = c.value;
    else problems.push(c.error);
  }
  if (m.lossCurve !== undefined) {
    const c = checkItem(m.lossCurve);
    if (c.ok && c.value.kind === 'lossCurve') out.lossCurve = c.value;
    else problems.push('loss curve malformed');
  }
  if (m.boundary !== undefined) {
    const c = checkItem(m.boundary);
    if (c.ok && c.value.kind === 'boundary') out.boundary = c.value;
    else problems.push('boundary malformed');
  }
  if (m.graph !== undefined) {
    const c = checkItem(m.graph);
    if (c.ok && c.value.kind === 'graph') out.graph = c.value;
    else problems.push('computation graph malformed');
  }
  if (m.timeline !== undefined && out.snapshot) {
    const c = checkTimeline(m.timeline, out.snapshot.sizes, out.boundary, out.snapshot.maps);
    if (c.ok) out.timeline = c.value;
    else problems.push(c.error);
  }
  return { message: out, problems };
}

function render(message: UpdateMessage | EmptyMessage): void {
  const oldWrap = app.querySelector('.bp-grad .bp-table-wrap');
  const scrollTop = oldWrap?.scrollTop ?? 0;
  // a live frame or a resize keeps the drawing scrolled where the user left it
  const scrollLeft = app.querySelector('.bp-net-scroll')?.scrollLeft ?? 0;
  app.replaceChildren();
  if (message.type === 'empty') {
    app.append(el('p', { class: 'bp-muted' }, withCode(message.reason)));
    return;
  }
  const { message: m, problems } = checkUpdate(message);
  setDisplayDigits(m.digits);
  if (m.graph) return renderGraph(m, m.graph, problems);
  const now = m.snapshot;
  // the row the runtime sent is the one shown (a pick beyond a smaller batch is held to its rows)
  if (now?.row !== undefined && now.row !== state.row) {
    state.row = now.row;
    saveState();
  }
  const timeline = m.timeline && m.timeline.length > 1 ? m.timeline : undefined;
  const ti =
    timeline && state.timelineIndex !== undefined && state.timelineIndex < timeline.length - 1
      ? state.timelineIndex
      : undefined;
  const point = timeline && ti !== undefined ? timeline[ti] : undefined;
  // at a timeline point the drawing, boundary and table view show that point; the gradient table is
  // the end of training
  const s = now && point ? snapshotAt(now, point) : now;
  const boundary = m.boundary && point ? boundaryAt(m.boundary, point) : m.boundary;
  app.append(
    el('header', { class: 'bp-header' }, [
      el('h1', {}, [s ? `${s.name}: ${s.sizes.join('-')}` : 'No network yet']),
      el('span', { class: 'bp-muted' }, [m.notebook]),
      m.live ? el('span', { class: 'bp-live' }, ['training…']) : null,
      s?.loss !== undefined
        ? el('span', { class: 'bp-loss' }, [`${s.lossLabel ?? 'loss'} = ${shownNumber(s.loss)}`])
        : null,
    ]),
  );
  for (const p of problems)
    app.append(el('p', { class: 'bp-error', role: 'alert' }, [`Not shown: ${p}`]));
  if (!s) {
    app.append(
      el(
        'p',
        { class: 'bp-muted' },
        withCode(
          'Run a cell that defines a network (for example `network 2-3-1 sigmoid`) to see it here.',
        ),
      ),
    );
    return;
  }
  const box = (derivationBox = el('section', {
    class: 'bp-derivation-box',
    'aria-live': 'polite',
    'aria-label': 'derivation of the selected parameter',
  }));
  let table: TableView | undefined;
  /**
   * selects a parameter and asks the host for its derivation (a redraw of a live frame keeps the
   * last answer)
   */
  const select = (name: string, redraw = false) => {
    state.selected = name;
    saveState();
    view.setHighlight(/^[wb]/.test(name) ? { params: [name] } : { nodes: [name] });
    table?.select(name);
    box.replaceChildren();
    if (redraw && m.live && answer?.param === name) showAnswer(answer);
    else {
      answer = undefined;
      if (/^[wb]/.test(name)) vscode.postMessage({ type: 'select', param: name });
    }
  };
  // the runtime's phases open into their moments when the user first steps, not on every live
  // frame
  let computed: { phases: PassPhase[]; steps: PassStep[] } | undefined;
  const steps = () =>
    (computed ??= { phases: s.phases ?? [], steps: passSteps(s, s.phases ?? []) });
  if (phaseIndex >= 0 && phaseIndex >= steps().steps.length) phaseIndex = -1;
  const phaseBox = el('section', { class: 'bp-phase', 'aria-label': 'phase stepping' });
  const rowNote = s.trace?.note;
  // a timeline point has no recorded pass of its own: stepping is the last pass's
  const none = point
    ? 'Stepping goes through the last recorded pass: slide the timeline to its end.'
    : 'Run `forward` (and `backward`) first: there is no recorded pass to step through.';
  showPhase = () => drawPhase(phaseBox, steps, view, () => showPhase(), none, rowNote);
  const charts = el('section', { class: 'bp-charts' }, [boundary ? drawBoundary(boundary) : null]);
  const netSection = el('section', {
    class: 'bp-network-section',
    'aria-label': 'network drawing',
  });
  app.append(el('div', { class: 'bp-top' }, [netSection, charts]));
  // the drawing is laid out to the section's width (0 while the panel is hidden: its own width)
  drawnRoom = netSection.clientWidth;
  const view: NetworkView = drawNetwork(s, {
    onSelect: (name) => select(name),
    room: drawnRoom || undefined,
  });
  netSection.append(view.element);
  // a narrow panel (or 200% zoom) gets a narrower chart, not a shrunken one: its text stays 11 px
  const chartRoom = Math.floor(charts.getBoundingClientRect().width);
  if (m.lossCurve)
    charts.prepend(
      drawLossCurve(m.lossCurve, chartRoom > 0 ? Math.min(chartRoom, CURVE_WIDTH) : CURVE_WIDTH),
    );
  const scroller = view.element.querySelector('.bp-net-scroll');
  if (scroller) scroller.scrollLeft = scrollLeft;
  if (timeline) app.append(drawTimeline(timeline, ti));
  // a timeline point's a and δ are the row the training recorded: no pick there
  const rowPick = point ? null : drawRowPick(s);
  if (rowPick) app.append(rowPick);
  app.append(phaseBox);
  if (point) {
    app.append(
      el('p', { class: 'bp-muted' }, [
        `Showing the weights at ${timelineLabel(point, timeline![timeline!.length - 1])}` +
          `${pointNodes(s)}. Slide to the end for the ` +
          `gradient table.`,
      ]),
      box,
    );
  } else if (s.weightGrad) {
    // before an update there is no step to show: the two update columns are left out, and why is
    // said
    const updated = s.lr !== undefined;
    table = drawTable({
      title: 'Gradients (click a row to see its derivation)',
      columns: updated ? GRADIENT_COLUMNS : GRADIENT_COLUMNS.slice(0, 3),
      rows: updated ? gradientRows(s) : gradientRows(s).map((r) => r.slice(0, 3)),
      note: updated ? undefined : s.noUpdate,
      changed: updated ? [1, GRADIENT_COLUMNS.length - 1] : undefined,
      rowKey: (r) => String(r[0]),
      onSelect: (k) => select(k),
      sort: state.sort,
      onSort: (sort) => {
        state.sort = sort;
        saveState();
      },
    });
    table.element.classList.add('bp-grad');
    app.append(el('div', { class: 'bp-bottom' }, [table.element, box]));
    const wrap = table.element.querySelector('.bp-table-wrap');
    if (wrap && scrollTop) wrap.scrollTop = scrollTop;
  } else {
    app.append(
      el(
        'p',
        { class: 'bp-muted' },
        withCode('Run `backward` to see δ on every node and the gradient table.'),
      ),
      box,
    );
  }
  app.append(drawTableView(s, (name) => select(name)));
  showPhase();
  if (state.selected && phaseIndex < 0) select(state.selected, true);
}

/** At a timeline point: which row its a and δ are, as the runtime recorded them (if it did). */
function pointNodes(s: NetworkSnapshot): string {
  if (!s.delta) return '';
  const row = rowOfRows(s);
  return row ? ` (a and δ of ${row})` : ' (with a and δ)';
}

/** The computation graph the last statement drew, steppable, with its table beside it. */
function renderGraph(m: UpdateMessage, graph: GraphItem, problems: string[]): void {
  showPhase = () => undefined;
  phaseIndex = -1;
  app.append(
    el('header', { class: 'bp-header' }, [
      el('h1', {}, [`Computation graph of ${graph.root}`]),
      el('span', { class: 'bp-muted' }, [m.notebook]),
    ]),
  );
  for (const p of problems)
    app.append(el('p', { class: 'bp-error', role: 'alert' }, [`Not shown: ${p}`]));
  app.append(
    drawGraph(graph).element,
    el('p', { class: 'bp-muted' }, [
      'Step with forward / backward, ◀ ▶ or the arrow keys. The network comes back here when a ' +
        'network cell runs.',
    ]),
  );
}

/**
 * The timeline slider: keyboard-accessible (arrows, Home/End, PageUp/Down), with the point in
 * words.
 */
function drawTimeline(
  timeline: UpdateMessage['timeline'] & object,
  index: number | undefined,
): HTMLElement {
  const last = timeline.length - 1;
  const at = index ?? last;
  const text = timelineLabel(timeline[at], timeline[last]) + (index === undefined ? ' (now)' : '');
  const slider = el('input', {
    type: 'range',
    id: 'bp-timeline',
    min: 0,
    max: last,
    step: 1,
    value: at,
    'aria-label': 'training timeline',
    'aria-valuetext': text,
  });
  slider.addEventListener('input', () => {
    const v = Number(slider.value);
    state.timelineIndex = v >= last ? undefined : v;
    saveState();
    refocus = 'bp-timeline';
    if (state.last) schedule(state.last);
  });
  return el('section', { class: 'bp-timeline', 'aria-label': 'training timeline' }, [
    el('label', { for: 'bp-timeline', class: 'bp-title' }, ['Training timeline']),
    slider,
    el('span', { class: 'bp-muted', 'aria-hidden': 'true' }, [text]),
  ]);
}

/**
 * Which row of the batch the drawing, the node table and the stepping show: a number input (arrow
 * keys step it). A pick asks the host, which answers with the runtime's snapshot of that row.
 * Nothing for a single row.
 */
function drawRowPick(s: NetworkSnapshot): HTMLElement | null {
  if (s.row === undefined || s.rows === undefined || s.rows < 2) return null;
  const input = el('input', {
    type: 'number',
    id: 'bp-row',
    class: 'bp-select',
    min: 1,
    max: s.rows,
    step: 1,
    value: s.row,
    'aria-describedby': 'bp-row-of',
  });
  input.addEventListener('change', () => {
    const row = Number(input.value);
    if (!Number.isInteger(row) || row < 1 || row === state.row) return;
    state.row = row;
    saveState();
    refocus = 'bp-row';
    vscode.postMessage({ type: 'row', row });
  });
  return el('section', { class: 'bp-row-pick', 'aria-label': 'batch row' }, [
    el('label', { for: 'bp-row' }, ['Batch row']),
    input,
    el('span', { id: 'bp-row-of', class: 'bp-muted' }, [`of ${s.rows}`]),
  ]);
}

/**
 * A table view of everything the drawing shows: nodes with z, a, δ and parameters with w, ∂E/∂w.
 */
function drawTableView(
  s: NonNullable<UpdateMessage['snapshot']>,
  onSelect: (name: string) => void,
): HTMLElement {
  const open = state.tableView === true;
  const toggle = el(
    'button',
    {
      type: 'button',
      class: 'bp-button',
      'aria-expanded': open ? 'true' : 'false',
      'aria-controls': 'bp-table-view',
    },
    [open ? 'Hide table view' : 'Table view'],
  );
  const body = el('div', { id: 'bp-table-view', hidden: !open });
  // which row of the batch the nodes' values are (the runtime's; none for a single row)
  const row = rowOfRows(s);
  const fill = () => {
    body.replaceChildren(
      drawTable({
        title: row ? `Nodes (${row})` : 'Nodes',
        columns: NODE_COLUMNS,
        rows: nodeRows(s),
        rowKey: (r) => String(r[0]),
        onSelect,
      }).element,
      drawTable({
        title: 'Weights and biases',
        columns: EDGE_COLUMNS,
        rows: edgeRows(s),
        rowKey: (r) => String(r[0]),
        onSelect,
      }).element,
    );
  };
  if (open) fill();
  toggle.addEventListener('click', () => {
    state.tableView = !state.tableView;
    saveState();
    toggle.setAttribute('aria-expanded', state.tableView ? 'true' : 'false');
    toggle.textContent = state.tableView ? 'Hide table view' : 'Table view';
    body.hidden = !state.tableView;
    if (state.tableView && !body.childElementCount) fill();
  });
  return el('section', { class: 'bp-item', 'aria-label': 'table view' }, [toggle, body]);
}

/** Phase stepping, and for a small net the pass animated moment by moment (passSteps.ts). */
function drawPhase(
  box: HTMLElement,
  lazySteps: () => { phases: PassPhase[]; steps: PassStep[] },
  view: NetworkView | undefined,
  redraw: () => void,
  /** why there is nothing to step through, when there is not */
  none: string,
  /** which row of a batch the animation follows (the trace's words) */
  rowNote?: TextPart[],
): void {
  clearTimeout(playTimer);
  box.replaceChildren();
  const { phases: all, steps } = phaseIndex >= 0 ? lazySteps() : { phases: [], steps: [] };
  if (phaseIndex >= 0 && steps.length === 0) {
    phaseIndex = -1;
    box.append(el('p', { class: 'bp-muted' }, withCode(none)));
  }
  phaseCount = steps.length;
  if (phaseIndex < 0 || phaseIndex >= steps.length - 1) playing = false;
  const go = (i: number) => {
    phaseIndex = i;
    redraw();
  };
  const arrow = (a: string) => el('span', { 'aria-hidden': 'true' }, [a]);
  const prev = el(
    'button',
    {
      type: 'button',
      class: 'bp-button',
      'data-phase': 'back',
      disabled: phaseIndex < 0,
      'aria-keyshortcuts': 'ArrowLeft',
    },
    [arrow('◀ '), 'Back'],
  );
  const next = el(
    'button',
    {
      type: 'button',
      class: 'bp-button',
      'data-phase': 'next',
      disabled: phaseIndex >= 0 && phaseIndex >= steps.length - 1,
      'aria-keyshortcuts': phaseIndex >= 0 ? 'ArrowRight' : undefined,
    },
    [phaseIndex < 0 ? 'Step through one pass' : 'Next', arrow(' ▶')],
  );
  prev.addEventListener('click', () => go(phaseIndex - 1));
  next.addEventListener('click', () => go(phaseIndex + 1));
  const controls = el('div', { role: 'group', 'aria-label': 'step through one pass' }, [
    prev,
    next,
  ]);
  box.append(controls);
  if (phaseIndex < 0) {
    view?.setHighlight(undefined);
    if (view) showMoment(view, undefined, 0, true);
    return;
  }
  const play = el(
    'button',
    {
      type: 'button',
      class: 'bp-button',
      'data-phase': 'play',
      'aria-keyshortcuts': 'Space',
      disabled: phaseIndex >= steps.length - 1,
    },
    [arrow(playing ? '‖ ' : '▷ '), playing ? 'Pause' : 'Play'],
  );
  play.addEventListener('click', () => togglePlay());
  const speedBox = el(
    'select',
    { class: 'bp-select', id: 'bp-speed', 'aria-label': 'animation speed' },
    SPEEDS.map((v) => el('option', { value: v.ms, selected: v.ms === speed }, [v.label])),
  ) as HTMLSelectElement;
  speedBox.addEventListener('change', () => {
    speed = Number(speedBox.value);
    state.speed = speed;
    saveState();
  });
  const stop = el('button', { type: 'button', class: 'bp-button', 'aria-keyshortcuts': 'Escape' }, [
    'Done',
  ]);
  stop.addEventListener('click', () => go(-1));
  controls.append(
    play,
    el('label', { for: 'bp-speed', class: 'bp-muted' }, ['Speed']),
    speedBox,
    stop,
  );
  const step = steps[phaseIndex];
  const p = all[step.phase];
  const m = step.moment;
  view?.setHighlight({ nodes: p.nodes, params: p.params });
  if (view) showMoment(view, m, speed, reducedMotion());
  const where = `Phase ${step.phase + 1} of ${all.length}: ${p.title}`;
  const of = step.of ? `, step ${step.of[0]} of ${step.of[1]}` : '';
  box.append(
    el('div', { class: 'bp-title' }, [where + of]),
    el('div', { class: 'bp-muted bp-trace-row', hidden: !rowNote }, drawParts(rowNote ?? [])),
    el('div', { class: 'bp-rule' }, drawParts(p.rule)),
    m
      ? el('div', { class: 'bp-building' }, drawParts(m.building))
      : el('div', { class: 'bp-numbers' }, [
          ...p.numbers.map(([n, v]) =>
            el('span', { class: 'bp-number' }, [`${n} = ${shownNumber(v)}`]),
          ),
          p.total > p.numbers.length
            ? el('span', { class: 'bp-muted' }, [`… ${p.total - p.numbers.length} more`])
            : null,
        ]),
    // what a screen reader says at each step (the drawing's words are hidden from it)
    el('p', { class: 'bp-sr-only', role: 'status' }, [
      `${where}${of}. ${m ? m.says : partsText(p.rule, shownNumber)}`,
    ]),
  );
  if (playing)
    playTimer = setTimeout(() => {
      if (phaseIndex >= 0 && phaseIndex < phaseCount - 1) phaseIndex++;
      showPhase();
    }, speed);
}

function togglePlay(): void {
  if (phaseIndex < 0) return;
  playing = !playing;
  showPhase();
}

/**
 * Draws the host's derivation of the selected parameter (checked like every payload), or why there
 * is none.
 */
function showAnswer(a: DerivationMessage): void {
  if (!derivationBox || a.param !== state.selected) return;
  answer = a;
  derivationBox.replaceChildren();
  const c = a.derivation !== undefined ? checkItem(a.derivation) : undefined;
  if (c?.ok && c.value.kind === 'derivation') {
    // KaTeX's stylesheet only once there is math to draw: linked at every load, its fetch held
    // the next webview's `ready` back by 30 s when the panel was hidden and shown again at once
    // (VS Code 1.99, the panel test's 12 reloads)
    linkKatexStyle(document, script?.src);
    derivationBox.append(drawDerivation(c.value));
  } else
    derivationBox.append(
      el(
        'p',
        { class: 'bp-muted' },
        withCode(
          c ? 'Not shown: derivation malformed' : typeof a.reason === 'string' ? a.reason : '',
        ),
      ),
    );
}

function flush(): void {
  frame = 0;
  const m = pending;
  pending = undefined;
  if (!m) return;
  if (m.type === 'update') {
    state.last = m;
    saveState();
  }
  const start = performance.now();
  render(m);
  if (refocus) document.getElementById(refocus)?.focus();
  refocus = undefined;
  // how long the last draw took, readable by tests and previews
  document.body.dataset.renderMs = (performance.now() - start).toFixed(1);
}

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as HostToPanelMessage | undefined;
  if (m?.type === 'derivation') {
    if (typeof m.param === 'string') showAnswer(m);
    return;
  }
  if (!m || (m.type !== 'update' && m.type !== 'empty')) return; // unknown messages are dropped
  if (m.type === 'empty' && typeof m.reason !== 'string') return;
  schedule(m);
});

/** Draws `m` at the next frame (later messages replace it). */
function schedule(m: UpdateMessage | EmptyMessage): void {
  pending = m;
  if (!frame) frame = requestAnimationFrame(flush);
}

document.addEventListener('keydown', (ev) => {
  const target = ev.target as HTMLElement | null;
  // the arrow keys scroll a focused drawing region rather than step
  if (phaseIndex < 0 || target?.closest?.('input, textarea, select, tr, .bp-net-scroll:focus'))
    return;
  if (ev.key === ' ') {
    // a focused button (or drawing node) takes Space itself
    if (target?.closest?.('button, [role="button"]')) return;
    ev.preventDefault();
    togglePlay();
  } else if (ev.key === 'Escape') {
    phaseIndex = -1;
    showPhase();
  } else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
    const next = phaseIndex + (ev.key === 'ArrowRight' ? 1 : -1);
    if (next >= -1 && next < phaseCount) {
      phaseIndex = next;
      showPhase();
    }
  }
});

window.addEventListener('resize', () => {
  const room = app.querySelector('.bp-network-section')?.clientWidth;
  if (state.last && room !== undefined && room !== drawnRoom) schedule(state.last);
});

if (state.last) render(state.last);
else app.append(el('p', { class: 'bp-muted' }, ['Waiting for the notebook…']));
// after a reload the host is asked for the row shown before it
vscode.postMessage(state.row !== undefined ? { type: 'ready', row: state.row } : { type: 'ready' });
