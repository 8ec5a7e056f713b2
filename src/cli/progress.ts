/**
 * A one-line progress display for long training, drawn on stderr only when stderr is a terminal.
 */
import type { ResultItem } from '../protocol/results';
import { formatNumber } from '../protocol/text';

/** Shortest gap between two redraws (about ten a second). */
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export class ProgressLine {
  private lastDraw = 0;
  private shown = false;

  constructor(private readonly stream: ProgressStream) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /**
   * Draws the last progress item; its `epochs` (what the running `train` asks for) sizes the bar.
   */
  update(label: string, items: ResultItem[]): void {
    if (!this.enabled) return;
    const progress = [...items].reverse().find((i) => i.kind === 'progress');
    if (!progress || progress.kind !== 'progress') return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS && !progress.done) return;
    this.lastDraw = now;
    const totalEpochs = progress.epochs;
    let bar = '';
    if (totalEpochs && totalEpochs > 0) {
      const filled = Math.min(BAR_WIDTH, Math.round((progress.epoch / totalEpochs) * BAR_WIDTH));
      bar =
        `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${progress.epoch}/` +
        `${totalEpochs} `;
    } else bar = `epoch ${progress.epoch} `;
    const line = `${label} ${bar}loss ${formatNumber(progress.loss)}  (Ctrl-C stops)`;
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`\r\x1b[K${line.slice(0, width)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
