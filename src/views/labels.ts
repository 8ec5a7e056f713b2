/**
 * Where the drawing's words go so that none overlaps another or a node: node value lines above and
 * below each node, and one label per edge slid along its own line to the first free spot (with the
 * weight's value when that fits, the name alone otherwise, nothing when the net is too dense: then
 * the tooltip and the table view carry it). Pure geometry; text widths are a safe overestimate of
 * the view's fonts (the browser test measures the real boxes).
 */

export interface Box {
  /** left, top, width, height in drawing coordinates */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedLabel {
  /** centre of the text */
  x: number;
  y: number;
  text: string;
  box: Box;
}

/** Font sizes of the drawing's texts (px), as in styles.ts. */
export const LABEL_FONT = 11;
export const LINE_HEIGHT = 13;

/** Width of a text in px at `font` px: generous per character so the real text is never wider. */
export function textWidth(text: string, font = LABEL_FONT): number {
  let w = 0;
  // the typographic minus (shownNumber's) is as wide as + and = in the math fonts: 0.84 em in
  // DejaVu Sans
  for (const ch of text)
    w += ch === '−' ? 0.85 : /[0-9.\-+e=δ]/.test(ch) ? 0.6 : /[\[\]()·,\s]/.test(ch) ? 0.4 : 0.7;
  return Math.ceil(w * font) + 4;
}

/** A box of this text centred at (x, y). */
export function textBox(text: string, x: number, y: number, font = LABEL_FONT): Box {
  const w = textWidth(text, font);
  const h = Math.ceil(font * 1.3);
  return { x: x - w / 2, y: y - h / 2, w, h };
}

export function overlaps(a: Box, b: Box, gap = 1): boolean {
  return (
    a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
  );
}

export function inside(a: Box, width: number, height: number): boolean {
  return a.x >= 0 && a.y >= 0 && a.x + a.w <= width && a.y + a.h <= height;
}

/** Positions along an edge (0 = source, 1 = target) to try, nearest `start` first. */
export function alongFrom(start: number): number[] {
  const out = [start];
  for (let d = 0.06; d <= 0.6; d += 0.06)
    for (const t of [start - d, start + d]) if (t >= 0.15 && t <= 0.85) out.push(t);
  return out;
}

export interface Point {
  x: number;
  y: number;
}

/** The point at t of the straight line from `from` (t = 0) to `to` (t = 1). */
export function straight(from: Point, to: Point): (t: number) => Point {
  return (t) => ({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
}

export interface EdgeLabelRequest {
  /** the point of the edge at t (0 = source, 1 = target): `straight(from, to)`, or a curve's */
  at: (t: number) => Point;
  /** texts to try, the most informative first (e.g. `w11[1] = 0.15`, then `w11[1]`) */
  texts: string[];
  /**
   * where along the edge to try first (0 = source, 1 = target): staggered by source node so a fan
   * of edges does not stack its labels at the crossings
   */
  start?: number;
}

/**
 * Places one label per edge on its own line (text centred on the point, `font` px), avoiding
 * `obstacles` (nodes, value lines, layer labels) and labels placed before it; undefined where
 * nothing fits. Edges are taken in order. The network and the computation graph both use it.
 */
export function placeEdgeLabels(
  edges: EdgeLabelRequest[],
  obstacles: Box[],
  width: number,
  height: number,
  font = LABEL_FONT,
): (PlacedLabel | undefined)[] {
  const taken: Box[] = [];
  return edges.map((e) => {
    for (const text of e.texts) {
      for (const t of alongFrom(e.start ?? 0.5)) {
        const { x, y } = e.at(t);
        const box = textBox(text, x, y, font);
        if (!inside(box, width, height)) continue;
        if (obstacles.some((o) => overlaps(o, box)) || taken.some((o) => overlaps(o, box)))
          continue;
        taken.push(box);
        return { x, y, text, box };
      }
    }
    return undefined;
  });
}
