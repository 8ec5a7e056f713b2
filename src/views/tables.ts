/**
 * Tables of numbers: sortable by any column, capped with a "show all" button, and virtualised
 * (only the rows in view exist in the DOM) when long. Cell text goes in as text, never markup.
 */
import { Cell, Num, TextPart, decodeNumber } from '../protocol/results';
import { exactNumber, formatNumber, tableTsv } from '../protocol/text';
import { el, clear, drawParts } from './dom';

export const ROW_HEIGHT = 22;
/** above this many rows the table is virtualised */
export const VIRTUAL_THRESHOLD = 150;

export interface TableSpec {
  title?: string;
  columns: string[];
  rows: Cell[][];
  /** rows the producer had before it capped them (shown as a note) */
  totalRows?: number;
  /** words under the table (the runtime's, with code parts) */
  note?: TextPart[];
  /** rows shown before "show all" (undefined: all) */
  cap?: number;
  /** a stable key per row (e.g. the parameter name) for selection */
  rowKey?: (row: Cell[]) => string;
  onSelect?: (key: string) => void;
  sort?: SortState;
  onSort?: (sort: SortState) => void;
  viewportHeight?: number;
  /**
   * [old, new]: mark the cells of column `new` whose value differs from column `old` (see
   * TableItem.changed)
   */
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

/**
 * A number's text split for decimal alignment: `int` up to the decimal point, `frac` from it (or
 * from the exponent).
 */
export interface NumberParts {
  negative: boolean;
  int: string;
  frac: string;
}

/**
 * Splits a formatted number; a negative's sign (and an exponent's) becomes the typographic minus,
 * wide enough to see at a glance.
 */
export function numberParts(text: string): NumberParts {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const cut = body.search(/[.e]/);
  const int = cut < 0 ? body : body.slice(0, cut);
  const frac = cut < 0 ? '' : body.slice(cut).replace(/-/g, '−');
  return { negative, int: (negative ? '−' : '') + int, frac };
}

/**
 * Per column, the widest fraction part (in characters) of its numbers: every cell's fraction gets
 * that width, so points line up.
 */
export function fractionWidths(rows: Cell[][], numericCols: boolean[]): number[] {
  return numericCols.map((numeric, i) => {
    if (!numeric) return 0;
    let w = 0;
    for (const r of rows)
      if (isNumeric(r[i])) w = Math.max(w, numberParts(cellText(r[i])).frac.length);
    return w;
  });
}

/**
 * Whether a row's new value (column `to`) differs from its old one (column `from`): both are the
 * runtime's numbers.
 */
export function changedIn(row: Cell[], [from, to]: [number, number]): boolean {
  const a = row[from],
    b = row[to];
  if (!isNumeric(a) || !isNumeric(b)) return false;
  const x = decodeNumber(a as never),
    y = decodeNumber(b as never);
  return !(x === y || (x !== x && y !== y));
}

/**
 * A number cell: integer part and a fraction part of the column's width, so the decimal points
 * align.
 */
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
      title:
        mark === 'new'
          ? `${exact} (changed by the update)`
          : mark === 'old'
            ? `${exact} (before the update)`
            : exact,
    },
    // the sign in a span of its own: bold, so a negative reads as one without colour
    parts.negative
      ? [el('span', { class: 'bp-minus' }, ['−']), parts.int.slice(1), frac]
      : [parts.int, frac],
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

/**
 * Copies the whole table (every row, in the producer's order) as tab-separated text with every
 * digit.
 */
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

/**
 * Which columns are numeric: every one with a number in it, unless a cell holds text with digits.
 * A word without digits ('frozen') may stand among the numbers; a name like w11[1] may not.
 */
function numericColumns(spec: TableSpec): boolean[] {
  return spec.columns.map(
    (_, i) =>
      spec.rows.length > 0 &&
      spec.rows.some((r) => isNumeric(r[i])) &&
      spec.rows.every((r) => isNumeric(r[i]) || !/\d/.test(String(r[i] ?? ''))),
  );
}

/** A column's header: a button that sorts by it; its arrow and aria-sort give the order. */
function headerCell(
  name: string,
  sortedAs: SortState | undefined,
  onClick: () => void,
): HTMLElement {
  const state = !sortedAs ? 'none' : sortedAs.descending ? 'descending' : 'ascending';
  const arrow = state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : '';
  const button = el('button', { type: 'button', 'aria-label': `sort by ${name}` }, [name + arrow]);
  button.addEventListener('click', onClick);
  return el('th', { scope: 'col', 'aria-sort': state }, [button]);
}

/** Column i's mark in a row the update changed (`moved`): 'old', 'new' or none. */
function changeMark(i: number, moved: [number, number] | undefined): 'old' | 'new' | undefined {
  return !moved ? undefined : i === moved[0] ? 'old' : i === moved[1] ? 'new' : undefined;
}

/** A row's cell: a number aligned at its decimal point, or text. */
function dataCell(
  c: Cell | undefined,
  numericColumn: boolean,
  fracWidth: number,
  mark?: 'old' | 'new',
): HTMLElement {
  if (numericColumn && isNumeric(c)) return numberCell(c, fracWidth, mark);
  return el(
    'td',
    {
      class: numericColumn ? 'num' : undefined,
      title: isNumeric(c) ? exactNumber(c as Num) : undefined,
    },
    [cellText(c)],
  );
}

/** A spacer row standing for the rows a virtualised table leaves out. */
function spacerRow(columns: number, height: number): HTMLElement {
  const td = el('td', { colspan: columns });
  td.style.height = `${height}px`;
  return el('tr', { class: 'bp-spacer', 'aria-hidden': 'true' }, [td]);
}

/**
 * A drawn table and the state it is drawn from (order, cap, selection, scroll). Each method
 * redraws one part: the header, the rows in view, the footer.
 */
class LiveTable {
  readonly wrap = el('div', { class: 'bp-table-wrap' });
  readonly footer = el('div', { class: 'bp-note' });
  private readonly table = el('table', { class: 'bp-table' });
  private readonly thead = el('thead');
  private readonly tbody = el('tbody');
  private readonly numericCols: boolean[];
  private readonly fracs: number[];
  private readonly viewport: number;
  private sort: SortState | undefined;
  private showAll: boolean;
  private selected: string | undefined;
  private rows: Cell[][];
  private frame = 0;

  constructor(private readonly spec: TableSpec) {
    this.numericCols = numericColumns(spec);
    this.fracs = fractionWidths(spec.rows, this.numericCols);
    this.viewport = spec.viewportHeight ?? 360;
    this.sort = spec.sort;
    this.showAll = spec.cap === undefined || spec.rows.length <= spec.cap;
    this.rows = this.sorted();
    this.table.append(this.thead, this.tbody);
    this.wrap.append(this.table);
    this.wrap.addEventListener('scroll', () => {
      if (!this.virtual() || this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.body();
      });
    });
    this.header();
    this.body();
    // the room changes with the panel's width and the zoom: fit again, after the frame's layout
    if (typeof ResizeObserver === 'function')
      new ResizeObserver(() => requestAnimationFrame(() => this.fit())).observe(this.wrap);
  }

  /**
   * A table wider than its room (a narrow panel, 200% zoom) is drawn stacked, each row a block with
   * its cells one per line under their column's name (styles.ts .bp-stacked), instead of hiding
   * columns behind a sideways scrollbar. Not a virtualised one: its rows keep ROW_HEIGHT.
   */
  private fit(): void {
    const { wrap } = this;
    wrap.classList.remove('bp-stacked');
    if (!this.virtual() && wrap.scrollWidth > wrap.clientWidth) wrap.classList.add('bp-stacked');
  }

  private sorted(): Cell[][] {
    const { sort, spec } = this;
    return sort ? sortRows(spec.rows, sort.column, sort.descending) : spec.rows;
  }

  private sortBy(column: number): void {
    const last = this.sort;
    const descending = last?.column === column ? !last.descending : this.numericCols[column];
    this.sort = { column, descending };
    this.spec.onSort?.(this.sort);
    this.rows = this.sorted();
    this.header();
    this.body();
  }

  private header(): void {
    clear(this.thead);
    const sortedBy = (i: number) => (this.sort?.column === i ? this.sort : undefined);
    const cells = this.spec.columns.map((name, i) =>
      headerCell(name, sortedBy(i), () => this.sortBy(i)),
    );
    this.thead.append(el('tr', {}, cells));
  }

  private virtual(): boolean {
    return this.showAll && this.rows.length > VIRTUAL_THRESHOLD;
  }

  /** Draws the rows: those in view (virtualised), the first `cap`, or all; then the footer. */
  private body(): void {
    const { tbody, wrap, rows, spec, viewport } = this;
    clear(tbody);
    wrap.classList.toggle('bp-virtual', this.virtual());
    if (this.virtual()) {
      wrap.style.maxHeight = `${viewport}px`;
      const { first, end } = visibleWindow(wrap.scrollTop, viewport, ROW_HEIGHT, rows.length);
      const columns = spec.columns.length;
      if (first > 0) tbody.append(spacerRow(columns, first * ROW_HEIGHT));
      for (let i = first; i < end; i++) tbody.append(this.rowEl(rows[i], i));
      if (end < rows.length) tbody.append(spacerRow(columns, (rows.length - end) * ROW_HEIGHT));
    } else {
      const shown = this.showAll ? rows : rows.slice(0, spec.cap);
      shown.forEach((r, i) => tbody.append(this.rowEl(r, i)));
    }
    this.table.setAttribute('aria-rowcount', String(rows.length + 1));
    this.footerText();
    this.fit();
  }

  private rowEl(row: Cell[], index: number): HTMLElement {
    const { spec } = this;
    const key = spec.rowKey?.(row);
    const chosen = key !== undefined && key === this.selected;
    const tr = el('tr', {
      'aria-rowindex': index + 2,
      class:
        [spec.onSelect ? 'bp-selectable' : '', chosen ? 'bp-selected' : ''].join(' ').trim() ||
        undefined,
      tabindex: spec.onSelect ? 0 : undefined,
      'data-index': index,
      'aria-selected': spec.onSelect ? String(key === this.selected) : undefined,
    });
    const moved = spec.changed && changedIn(row, spec.changed) ? spec.changed : undefined;
    spec.columns.forEach((name, i) => {
      const td = dataCell(row[i], this.numericCols[i], this.fracs[i], changeMark(i, moved));
      td.setAttribute('data-column', name); // its label when the table is stacked
      tr.append(td);
    });
    if (spec.onSelect && key !== undefined) this.listen(tr, key, index);
    return tr;
  }

  /** A selectable row: click, Enter or Space choose it; the arrow keys move to the next row. */
  private listen(tr: HTMLElement, key: string, index: number): void {
    tr.addEventListener('click', () => this.choose(key));
    tr.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        this.choose(key);
      } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        this.focusRow(index + (ev.key === 'ArrowDown' ? 1 : -1));
      }
    });
  }

  private footerText(): void {
    const { footer, spec } = this;
    clear(footer);
    const total = spec.totalRows ?? spec.rows.length;
    if (!this.showAll) {
      footer.append(`${spec.cap} of ${spec.rows.length} rows shown `);
      const more = el('button', { type: 'button', class: 'bp-button' }, [
        `Show all ${spec.rows.length} rows`,
      ]);
      more.addEventListener('click', () => {
        this.showAll = true;
        this.body();
      });
      footer.append(more);
    } else if (total > spec.rows.length)
      footer.append(`${spec.rows.length} of ${total} rows (capped by the cell)`);
    if (spec.note) footer.append(el('div', {}, drawParts(spec.note)));
  }

  /** Scrolls row `index` to the middle unless it is `margin` rows inside the view (virtualised). */
  private scrollTo(index: number, margin: number): void {
    const { wrap, viewport } = this;
    const top = index * ROW_HEIGHT;
    const above = top < wrap.scrollTop + margin * ROW_HEIGHT;
    const below = top > wrap.scrollTop + viewport - (1 + margin) * ROW_HEIGHT;
    if (above || below) wrap.scrollTop = Math.max(0, top - viewport / 2);
  }

  private focusIndex(index: number): void {
    (this.tbody.querySelector(`tr[data-index="${index}"]`) as HTMLElement | null)?.focus();
  }

  private focusRow(index: number): void {
    if (index < 0 || index >= this.rows.length) return;
    if (!this.showAll && this.spec.cap !== undefined && index >= this.spec.cap) return;
    if (this.virtual()) {
      this.scrollTo(index, 1);
      this.body();
    }
    this.focusIndex(index);
  }

  private choose(key: string): void {
    this.select(key);
    this.spec.onSelect?.(key);
    // selecting redraws the rows: put the keyboard focus back on the chosen one
    this.focusIndex(this.rows.findIndex((r) => this.spec.rowKey?.(r) === key));
  }

  /** Marks the row with this key as selected (showing all rows if it is past the cap). */
  select(key: string | undefined): void {
    const { spec } = this;
    this.selected = key;
    const index =
      key === undefined || !spec.rowKey ? -1 : this.rows.findIndex((r) => spec.rowKey?.(r) === key);
    if (index >= 0 && !this.showAll && spec.cap !== undefined && index >= spec.cap)
      this.showAll = true;
    if (index >= 0 && this.virtual()) this.scrollTo(index, 0);
    this.body();
  }
}

export function drawTable(spec: TableSpec): TableView {
  const root = el('div', { class: 'bp-item bp-table-item' });
  if (spec.title) root.append(el('div', { class: 'bp-title' }, [spec.title]));
  if (spec.rows.length) root.append(copyButton(spec));
  const table = new LiveTable(spec);
  root.append(table.wrap, table.footer);
  return { element: root, select: (key) => table.select(key) };
}
