/** Draws result items (the same for the notebook renderer and the panel). */
import {
  ExpectItem,
  NetworkItem,
  ProgressItem,
  ResultItem,
  decodeNumber,
} from '../protocol/results';
import { shownNumber, itemLines } from '../protocol/text';
import { drawBoundary } from './boundary';
import { drawDerivation, latexBudget, type LatexBudget } from './derivation';
import { drawParts, el } from './dom';
import { drawGraph } from './graph';
import { drawLossCurve, drawSparkline } from './lossCurve';
import { drawNetwork } from './network';
import { drawPlot } from './plot';
import { drawTable } from './tables';

/** rows shown inline before "show all" */
export const INLINE_ROW_CAP = 40;

/** `budget`: the LaTeX still to typeset in this output (shared by the items of one output). */
export function drawItem(item: ResultItem, budget: LatexBudget = latexBudget()): HTMLElement {
  switch (item.kind) {
    case 'message':
      return el(
        'div',
        {
          class: `bp-item bp-message ${item.level}`,
          role: item.level === 'error' ? 'alert' : undefined,
        },
        [
          item.level === 'info' ? null : `${item.level}: `,
          ...drawParts(item.text),
          item.sparkline?.length ? drawSparkline(item.sparkline.map(decodeNumber)) : null,
        ],
      );
    case 'table':
      return drawTable({
        title: item.title,
        columns: item.columns,
        rows: item.rows,
        totalRows: item.totalRows,
        note: item.note,
        changed: item.changed,
        cap: INLINE_ROW_CAP,
      }).element;
    case 'derivation':
      return drawDerivation(item, budget);
    case 'lossCurve':
      return drawLossCurve(item);
    case 'boundary':
      return drawBoundary(item);
    case 'network':
      return drawNetworkItem(item);
    case 'expect':
      return drawExpect(item);
    case 'progress':
      return drawProgress(item);
    case 'graph':
      return drawGraph(item).element;
    case 'plot':
      return drawPlot(item);
  }
}

function drawExpect(item: ExpectItem): HTMLElement {
  // the same words as the Markdown fallback and the command line
  const text = itemLines(item, false)[0];
  return el(
    'div',
    {
      class: `bp-item bp-expect ${item.pass ? 'pass' : 'fail'}`,
      'aria-label': `${text}, ${item.pass ? 'passed' : 'failed'}`,
    },
    [text],
  );
}

function drawProgress(item: ProgressItem): HTMLElement {
  return el('div', { class: 'bp-item bp-progress', role: 'status' }, [
    `epoch ${item.epoch}, step ${item.step}, loss ${shownNumber(item.loss)}` +
      `${item.done ? ' (done)' : ''}`,
  ]);
}

/**
 * A network inline: the small diagram with δ on nodes; picking an edge shows the derivation the
 * runtime sent with it (the runtime sends z/a/δ and gradient tables as their own items).
 */
export function drawNetworkItem(item: NetworkItem): HTMLElement {
  const s = item.snapshot;
  const root = el('div', { class: 'bp-item' });
  const title =
    `network ${s.name}: ` +
    `${s.sizes.map((n, k) => (k === 0 ? `${n}` : `${n} ${s.activations[k - 1]}`)).join(' → ')}` +
    `${s.loss !== undefined ? `, ${s.lossLabel ?? 'loss'} = ${shownNumber(s.loss)}` : ''}`;
  root.append(el('div', { class: 'bp-title' }, [title]));
  const derivationBox = el('div', { 'aria-live': 'polite' });
  const select = (name: string) => {
    view.setHighlight(
      name.startsWith('w') || name.startsWith('b') ? { params: [name] } : { nodes: [name] },
    );
    derivationBox.replaceChildren();
    const d = item.derivations?.[name];
    if (d) derivationBox.append(drawDerivation(d));
  };
  const view = drawNetwork(s, { onSelect: select, svgNodeLimit: 60, svgEdgeLimit: 300 });
  root.append(view.element);
  root.append(derivationBox);
  return root;
}
