/**
 * Tables of numbers: sortable by any column, capped with a "show all" button, and virtualised
 * (only the rows in view exist in the DOM) when long. Cell text goes in as text, never markup.
 */
import { Cell, Num, decodeNumber } from '../protocol/results';
import { exactNumber, formatNumber, tableTsv } from '../protocol/text';
import { el, clear } from './dom';

export const ROW_HEIGHT = 22;
/** above this many rows the table is virtualised */
export const VIRTUAL_THRESHOLD = 150;

export interface TableSpec {
  title?: string;
  columns: string[];
  rows: Cell[][];
  /** rows the producer had before it capped them (shown as a note) */
  totalRows?: number;
  note?: string;
  /** rows shown before "show all" (undefined: all) */
  cap?: number;
  /** a stable key per row (e.g. the parameter name) for selection */
  rowKey?: (row: Cell[]) => string;
  onSelect?: (key: string) => void;
  sort?: SortState;
  onSort?: (sort: SortState) => void;
  viewportHeight?: number;
  /** [old, new]: mark the cells of column `new` whose value differs from column `old` (see TableItem.changed) */
  changed?: [number, number];
}

export interface SortState {
  column: number;
  descending: boolean;
}

export interface TableView {
  element: HTMLElement;
  /** marks the row with this key as selected and scrolls it into view */
  select(key: string | undefined): void;
}

export function isNumeric(c: Cell | undefined): boolean {
  return typeof c === 'number' || c === 'NaN' || c === 'Infinity' || c === '-Infinity';
}

export function cellText(c: Cell | undefined): string {
  if (c === undefined) return '';
  return typeof c === 'string' && !isNumeric(c) ? c : formatNumber(c);
}

/** A number's text split for decimal alignment: `int` up to the decimal point, `frac` from it (or from the exponent). */
export interface NumberParts {
  negative: boolean;
  int: string;
  frac: string;
}

/** Splits a formatted number; a negative's sign becomes the typographic minus, wide enough to see at a glance. */
export function numberParts(text: string): NumberParts {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const cut = body.search(/[.e]/);
  const int = cut < 0 ? body : body.slice(0, cut);
  return { negative, int: (negative ? '−' : '') + int, frac: cut < 0 ? '' : body.slice(cut) };
}

/** Per column, the widest fraction part (in characters) of its numbers: every cell's fraction gets that width, so points line up. */
export function fractionWidths(rows: Cell[][], numericCols: boolean[]): number[] {
  return numericCols.map((numeric, i) => {
    if (!numeric) return 0;
    let w = 0;
    for (const r of rows)
      if (isNumeric(r[i])) w = Math.max(w, numberParts(cellText(r[i])).frac.length);
    return w;
  });
}

/** Whether a row's new value (column `to`) differs from its old one (column `from`): both are the runtime's numbers. */
export function changedIn(row: Cell[], [from, to]: [number, number]): boolean {
  const a = row[from],
    b = row[to];
  if (!isNumeric(a) || !isNumeric(b)) return false;
  const x = decodeNumber(a as never),
    y = decodeNumber(b as never);
  return !(x === y || (x !== x && y !== y));
}

/** A number cell: integer part and a fraction part of the column's width, so the decimal points align. */
function numberCell(c: Cell | undefined, fracWidth: number, mark?: 'old' | 'new'): HTMLElement {
  const parts = numberParts(cellText(c));
  const frac = el('span', { class: 'bp-frac' }, [parts.frac]);
  frac.style.minWidth = `${fracWidth}ch`;
  const cls = ['num', parts.negative ? 'neg' : '', mark ? `bp-${mark}` : ''].filter(Boolean);
  // the tooltip has every digit of the runtime's number; the cell shows the display digits
  const exact = exactNumber(c as Num);
  return el(
    'td',
    {
      class: cls.join(' '),
      title: mark === 'new' ? `${exact} (changed by the update)` : exact,
    },
    [parts.int, frac],
  );
}

/** Rows sorted by one column: numbers by value (NaN last), then text in natural order; stable. */
export function sortRows(rows: Cell[][], column: number, descending: boolean): Cell[][] {
  const n = rows.length;
  // one key per row, computed once: numeric keys in a typed array, text keys beside them
  const numeric = new Uint8Array(n);
  const value = new Float64Array(n);
  const text: string[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const c = rows[r][column];
    if (isNumeric(c)) {
      numeric[r] = 1;
      value[r] = decodeNumber(c as never);
    } else text[r] = String(c ?? '');
  }
  const dir = descending ? -1 : 1;
  const order = Array.from({ length: n }, (_, r) => r);
  const collator = new Intl.Collator('en', { numeric: true });
  order.sort((x, y) => {
    if (numeric[x] && numeric[y]) {
      const a = value[x];
      const b = value[y];
      const nanA = a !== a;
      const nanB = b !== b;
      if (nanA || nanB) return nanA === nanB ? x - y : nanA ? 1 : -1;
      return (a === b ? 0 : a < b ? -dir : dir) || x - y;
    }
    if (numeric[x] !== numeric[y]) return numeric[x] ? -1 : 1;
    return dir * collator.compare(text[x], text[y]) || x - y;
  });
  return order.map((r) => rows[r]);
}

/** Which rows to render for a scroll position: [first, end) with some overscan either side. */
export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { first: number; end: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, end: Math.max(first, end) };
}

/** Copies the whole table (every row, in the producer's order) as tab-separated text with every digit. */
function copyButton(spec: TableSpec): HTMLElement {
  const button = el(
    'button',
    {
      type: 'button',
      class: 'bp-button bp-copy',
      title: 'Copy the table as tab-separated text, every number with all its digits',
    },
    ['Copy'],
  );
  button.addEventListener('click', () => {
    const done = (text: string) => (button.textContent = text);
    navigator.clipboard?.writeText(tableTsv(spec.columns, spec.rows)).then(
      () => done('Copied'),
      () => done('Copy failed'),
    );
  });
  return button;
}

export function drawTable(spec: TableSpec): TableView {
  const root = el('div', { class: 'bp-item bp-table-item' });
  if (spec.title) root.append(el('div', { class: 'bp-title' }, [spec.title]));
  if (spec.rows.length) root.append(copyButton(spec));
  const numericCols = spec.columns.map(
    (_, i) =>
      spec.rows.length > 0 &&
      spec.rows.some((r) => isNumeric(r[i])) &&
      // a word without digits ('frozen') may stand among the numbers; a name like w11[1] may not
      spec.rows.every((r) => isNumeric(r[i]) || !/\d/.test(String(r[i] ?? ''))),
  );
  const fracs = fractionWidths(spec.rows, numericCols);
  let sort = spec.sort;
  let showAll = spec.cap === undefined || spec.rows.length <= spec.cap;
  let selected: string | undefined;
  let rows = spec.rows;
  const wrap = el('div', { class: 'bp-table-wrap' });
  const table = el('table', { class: 'bp-table' });
  const thead = el('thead');
  const tbody = el('tbody');
  table.append(thead, tbody);
  wrap.append(table);
  root.append(wrap);
  const footer = el('div', { class: 'bp-note' });
  root.append(footer);
  const viewport = spec.viewportHeight ?? 360;

  const applySort = () => {
    rows = sort ? sortRows(spec.rows, sort.column, sort.descending) : spec.rows;
  };

  const header = () => {
    clear(thead);
    const tr = el('tr');
    spec.columns.forEach((name, i) => {
      const state = sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : 'none';
      const arrow = state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : '';
      const button = el('button', { type: 'button', 'aria-label': `sort by ${name}` }, [
        name + arrow,
      ]);
      button.addEventListener('click', () => {
        sort = { column: i, descending: sort?.column === i ? !sort.descending : numericCols[i] };
        spec.onSort?.(sort);
        applySort();
        header();
        body();
      });
      tr.append(el('th', { scope: 'col', 'aria-sort': state }, [button]));
    });
    thead.append(tr);
  };

  const rowEl = (row: Cell[], index: number) => {
    const key = spec.rowKey?.(row);
    const tr = el('tr', {
      'aria-rowindex': index + 2,
      class:
        [
          spec.onSelect ? 'bp-selectable' : '',
          key !== undefined && key === selected ? 'bp-selected' : '',
        ]
          .join(' ')
          .trim() || undefined,
      tabindex: spec.onSelect ? 0 : undefined,
      'data-index': index,
      'aria-selected': spec.onSelect ? String(key === selected) : undefined,
    });
    const moved = spec.changed !== undefined && changedIn(row, spec.changed);
    const mark = (i: number) =>
      !moved
        ? undefined
        : i === spec.changed![0]
          ? 'old'
          : i === spec.changed![1]
            ? 'new'
            : undefined;
    spec.columns.forEach((_, i) =>
      tr.append(
        numericCols[i] && isNumeric(row[i])
          ? numberCell(row[i], fracs[i], mark(i))
          : el(
              'td',
              {
                class: numericCols[i] ? 'num' : undefined,
                title: isNumeric(row[i]) ? exactNumber(row[i] as Num) : undefined,
              },
              [cellText(row[i])],
            ),
      ),
    );
    if (spec.onSelect && key !== undefined) {
      tr.addEventListener('click', () => choose(key));
      tr.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          choose(key);
        } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
          ev.preventDefault();
          focusRow(index + (ev.key === 'ArrowDown' ? 1 : -1));
        }
      });
    }
    return tr;
  };

  const virtual = () => showAll && rows.length > VIRTUAL_THRESHOLD;

  const spacer = (height: number) => {
    const td = el('td', { colspan: spec.columns.length });
    td.style.height = `${height}px`;
    return el('tr', { class: 'bp-spacer', 'aria-hidden': 'true' }, [td]);
  };

  const body = () => {
    clear(tbody);
    wrap.classList.toggle('bp-virtual', virtual());
    if (virtual()) {
      wrap.style.maxHeight = `${viewport}px`;
      const { first, end } = visibleWindow(wrap.scrollTop, viewport, ROW_HEIGHT, rows.length);
      if (first > 0) tbody.append(spacer(first * ROW_HEIGHT));
      for (let i = first; i < end; i++) tbody.append(rowEl(rows[i], i));
      if (end < rows.length) tbody.append(spacer((rows.length - end) * ROW_HEIGHT));
    } else {
      const shown = showAll ? rows : rows.slice(0, spec.cap);
      shown.forEach((r, i) => tbody.append(rowEl(r, i)));
    }
    table.setAttribute('aria-rowcount', String(rows.length + 1));
    footerText();
  };

  const footerText = () => {
    clear(footer);
    const total = spec.totalRows ?? spec.rows.length;
    if (!showAll) {
      footer.append(`${spec.cap} of ${spec.rows.length} rows shown `);
      const more = el('button', { type: 'button', class: 'bp-button' }, [
        `Show all ${spec.rows.length} rows`,
      ]);
      more.addEventListener('click', () => {
        showAll = true;
        body();
      });
      footer.append(more);
    } else if (total > spec.rows.length)
      footer.append(`${spec.rows.length} of ${total} rows (capped by the cell)`);
    if (spec.note) footer.append(el('div', {}, [spec.note]));
  };

  let frame = 0;
  wrap.addEventListener('scroll', () => {
    if (!virtual() || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      body();
    });
  });

  const focusRow = (index: number) => {
    if (index < 0 || index >= rows.length) return;
    if (!showAll && spec.cap !== undefined && index >= spec.cap) return;
    if (virtual()) {
      const top = index * ROW_HEIGHT;
      if (top < wrap.scrollTop + ROW_HEIGHT || top > wrap.scrollTop + viewport - 2 * ROW_HEIGHT)
        wrap.scrollTop = Math.max(0, top - viewport / 2);
      body();
    }
    (tbody.querySelector(`tr[data-index="${index}"]`) as HTMLElement | null)?.focus();
  };

  const choose = (key: string) => {
    view.select(key);
    spec.onSelect?.(key);
    // selecting redraws the rows: put the keyboard focus back on the chosen one
    const index = rows.findIndex((r) => spec.rowKey?.(r) === key);
    (tbody.querySelector(`tr[data-index="${index}"]`) as HTMLElement | null)?.focus();
  };

  const view: TableView = {
    element: root,
    select(key) {
      selected = key;
      const index =
        key === undefined || !spec.rowKey ? -1 : rows.findIndex((r) => spec.rowKey?.(r) === key);
      if (index >= 0 && !showAll && spec.cap !== undefined && index >= spec.cap) showAll = true;
      if (index >= 0 && virtual()) {
        const top = index * ROW_HEIGHT;
        if (top < wrap.scrollTop || top > wrap.scrollTop + viewport - ROW_HEIGHT)
          wrap.scrollTop = Math.max(0, top - viewport / 2);
      }
      body();
    },
  };
  applySort();
  header();
  body();
  return view;
}
