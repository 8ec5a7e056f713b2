/**
 * The stylesheet shared by the notebook renderer and the panel. Colours come from VS Code's theme
 * variables, so light, dark and high-contrast themes follow without code.
 */
export const VIEW_STYLE_ID = 'bpnb-view-style';
/**
 * The class of the document's root once KaTeX's stylesheet has loaded (derivation.ts): KaTeX's
 * HTML shows only then; before, its MathML.
 */
export const KATEX_READY = 'bp-katex';

export const VIEW_CSS =
  `
.bp-root { font-family: var(--vscode-font-family, sans-serif); font-size: ` +
  `var(--vscode-font-size, 13px); color: var(--vscode-editor-foreground, #333); --bp-pos: ` +
  `var(--vscode-charts-blue, #1a85ff); --bp-neg: var(--vscode-charts-red, #d4463b); --bp-warn: ` +
  `var(--vscode-charts-orange, #d18616); --bp-muted: var(--vscode-descriptionForeground, ` +
  `#717171); --bp-border: var(--vscode-editorWidget-border, var(--vscode-panel-border, ` +
  `#8884)); --bp-focus: var(--vscode-focusBorder, #007fd4); --bp-hl: ` +
  `var(--vscode-charts-yellow, #e2c08d); }
.bp-root * { box-sizing: border-box; }
.bp-item { margin: 6px 0 10px; }
.bp-title { font-weight: 600; margin: 4px 0; }
.bp-note, .bp-muted { color: var(--bp-muted); font-size: 0.92em; }
.bp-root code { font-family: var(--vscode-editor-font-family, monospace); font-size: 0.95em; ` +
  `color: var(--vscode-textPreformat-foreground, var(--vscode-editor-foreground, #333)); ` +
  `background: var(--vscode-textPreformat-background, transparent); padding: 0 2px; ` +
  `border-radius: 3px; }
.bp-message.warning { color: var(--vscode-editorWarning-foreground, var(--bp-warn)); }
.bp-message.error, .bp-error { color: var(--vscode-errorForeground, var(--bp-neg)); }
.bp-expect.pass::before { content: '✓ '; color: var(--vscode-testing-iconPassed, #388a34); }
.bp-expect.fail::before { content: '✗ '; color: var(--vscode-testing-iconFailed, var(--bp-neg)); }
.bp-table-wrap { max-width: 100%; overflow: auto; border: 1px solid var(--bp-border); }
.bp-table-wrap.bp-virtual { max-height: 360px; position: relative; }
table.bp-table { border-collapse: collapse; font-variant-numeric: tabular-nums; width: ` +
  `max-content; }
.bp-table-wrap { width: max-content; }
.bp-table th, .bp-table td { padding: 2px 6px; border-bottom: 1px solid var(--bp-border); ` +
  `text-align: left; white-space: nowrap; height: 22px; }
.bp-table td.num { text-align: right; font-family: var(--vscode-editor-font-family, monospace); }
.bp-spark { vertical-align: middle; margin-left: 8px; }
.bp-spark .bp-line { fill: none; stroke: var(--bp-pos); stroke-width: 1.5; }
.bp-table td.num .bp-frac { display: inline-block; text-align: left; }
.bp-table td.num .bp-minus { font-weight: 700; }
.bp-table td.num.bp-old { color: var(--bp-muted); }
.bp-table td.num.bp-new { font-weight: 700; background: color-mix(in srgb, var(--bp-hl) 28%, ` +
  `transparent); }
.bp-table td.num.bp-new::before { content: '→ '; font-weight: 400; color: var(--bp-muted); }
.bp-table th { position: sticky; top: 0; background: var(--vscode-editor-background, #fff); ` +
  `font-weight: 600; }
.bp-table th button { all: unset; cursor: pointer; }
.bp-table th button:focus-visible, .bp-table tr:focus-visible, .bp-focusable:focus-visible { ` +
  `outline: 2px solid var(--bp-focus); outline-offset: -2px; }
.bp-table tbody tr.bp-selectable { cursor: pointer; }
.bp-table tbody tr:hover { background: var(--vscode-list-hoverBackground, #8881); }
.bp-table tbody tr.bp-selected { background: var(--vscode-list-activeSelectionBackground, ` +
  `#0060c0); color: var(--vscode-list-activeSelectionForeground, #fff); }
.bp-table tr.bp-spacer td { border: none; padding: 0; }
/* a table wider than its room (tables.ts fit): a row is a block, its first cell a heading, each
   other cell on a line of its own after its column's name */
.bp-table-wrap.bp-stacked { width: auto; }
.bp-stacked table.bp-table, .bp-stacked .bp-table thead, .bp-stacked .bp-table tbody, ` +
  `.bp-stacked .bp-table tr, .bp-stacked .bp-table td { display: block; width: auto; }
.bp-stacked .bp-table thead tr { display: flex; flex-wrap: wrap; gap: 0 4px; }
.bp-stacked .bp-table th { border: none; height: auto; }
.bp-stacked .bp-table tr { border-bottom: 1px solid var(--bp-border); padding: 2px 0; }
.bp-stacked .bp-table td { border: none; height: auto; white-space: normal; text-align: right; }
.bp-stacked .bp-table td:first-child { text-align: left; font-weight: 600; }
.bp-stacked .bp-table td:not(:first-child)::before { content: attr(data-column); float: left; ` +
  `margin-right: 8px; font-family: var(--vscode-font-family, sans-serif); font-weight: 400; ` +
  `color: var(--bp-muted); }
.bp-button { font: inherit; color: var(--vscode-button-secondaryForeground, inherit); ` +
  `background: var(--vscode-button-secondaryBackground, #8882); border: 1px solid ` +
  `var(--vscode-button-border, transparent); padding: 2px 8px; cursor: pointer; margin: 4px ` +
  `4px 0 0; }
.bp-select { font: inherit; color: var(--vscode-dropdown-foreground, inherit); background: ` +
  `var(--vscode-dropdown-background, transparent); border: 1px solid ` +
  `var(--vscode-dropdown-border, var(--bp-border)); margin: 4px 4px 0 0; padding: 1px 2px; }
.bp-phase label { margin: 4px 4px 0 6px; }
.bp-phase .bp-rule { color: var(--bp-muted); margin: 2px 0; }
.bp-phase .bp-building { font-family: var(--vscode-editor-font-family, monospace); font-size: ` +
  `1.12em; padding: 3px 8px; margin: 4px 0; border-left: 3px solid var(--bp-hl); }
.bp-net .bp-pulse { fill: var(--bp-hl); stroke: var(--vscode-editor-foreground, #333); ` +
  `stroke-width: 1.5; }
.bp-net .bp-term rect { fill: var(--vscode-editor-background, #fff); stroke: var(--bp-hl); ` +
  `stroke-width: 1.5; }
.bp-net .bp-term text { font-size: 12px; font-weight: 600; text-anchor: middle; ` +
  `dominant-baseline: central; fill: var(--vscode-editor-foreground, #333); }
.bp-button:focus-visible { outline: 1px solid var(--bp-focus); }
.bp-button[aria-pressed="true"] { background: var(--vscode-button-background, #0e639c); color: ` +
  `var(--vscode-button-foreground, #fff); }
.bp-derivation { margin: 4px 0; max-width: 100%; }
.bp-derivation .bp-step { margin: 4px 0 4px 12px; overflow-x: auto; overflow-y: hidden; ` +
  `overflow-wrap: anywhere; padding-bottom: 2px; }
.bp-derivation math { font-size: 1.15em; text-indent: 0; }
.bp-math .katex-html { display: none; }
.${KATEX_READY} .bp-math .katex-html { display: inline; }
.bp-derivation .bp-math { display: block; padding-left: 2em; text-indent: -2em; }
.bp-net-scroll { max-width: 100%; overflow-x: auto; overflow-y: hidden; }
.bp-net-scroll:focus-visible { outline: 1px solid var(--bp-focus); outline-offset: -1px; }
.bp-net-scroll > svg, .bp-net-scroll > canvas { display: block; height: auto; }
.bp-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 ` +
  `0); white-space: nowrap; }
.bp-timeline { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 6px 0; }
.bp-timeline input[type=range] { flex: 1 1 240px; accent-color: var(--vscode-focusBorder); }
.bp-row-pick { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 6px 0; }
.bp-row-pick input { width: 4.5em; margin: 0; }
.bp-net .bp-layer-label { fill: var(--bp-muted); font-size: 12px; text-anchor: middle; }
.bp-net .bp-edge { fill: none; stroke-linecap: round; opacity: 0.8; }
.bp-net .bp-edge.pos { stroke: var(--bp-pos); }
.bp-net .bp-edge.neg { stroke: var(--bp-neg); stroke-dasharray: 6 4; }
.bp-net .bp-edge-hit { stroke: transparent; stroke-width: 10; fill: none; cursor: pointer; }
.bp-net g.bp-edge-g:hover .bp-edge, .bp-net g.bp-edge-g:focus .bp-edge { opacity: 1; stroke: ` +
  `var(--bp-focus); }
.bp-net g.bp-edge-g:focus { outline: none; }
.bp-net .bp-edge-label { cursor: pointer; }
.bp-net .bp-edge-label text { font-size: 11px; text-anchor: middle; dominant-baseline: central; ` +
  `fill: var(--vscode-editor-foreground, #333); }
.bp-net .bp-label-bg { fill: var(--vscode-editor-background, #fff); fill-opacity: 0.88; stroke: ` +
  `var(--bp-border); stroke-width: 0.6; }
.bp-net .bp-node circle.bp-ring, .bp-net .bp-map-bg { stroke: var(--vscode-editor-foreground, ` +
  `#333); stroke-width: 1.2; fill: var(--vscode-editor-background, #fff); }
.bp-net .bp-node rect.bp-ring { fill: none; stroke: var(--vscode-editor-foreground, #333); ` +
  `stroke-width: 1.2; }
.bp-net .bp-map-point { stroke: #000; stroke-width: 0.5; }
.bp-net .bp-map-point.one { fill: rgb(230,140,40); }
.bp-net .bp-map-point.zero { fill: rgb(49,120,198); }
.bp-net .bp-node .bp-fill.pos { fill: var(--bp-pos); }
.bp-net .bp-node .bp-fill.neg { fill: var(--bp-neg); }
.bp-net .bp-node text.bp-node-name { font-size: 11px; text-anchor: middle; dominant-baseline: ` +
  `central; fill: var(--vscode-editor-foreground, #333); paint-order: stroke; stroke: ` +
  `var(--vscode-editor-background, #fff); stroke-width: 3px; }
.bp-net .bp-values text { font-size: 11px; text-anchor: middle; dominant-baseline: central; ` +
  `fill: var(--vscode-editor-foreground, #333); }
.bp-net .bp-value-bg { fill: var(--vscode-editor-background, #fff); stroke: none; }
.bp-net .bp-node.saturated .bp-ring { stroke: var(--bp-warn); stroke-width: 2.5; ` +
  `stroke-dasharray: 3 2; }
.bp-net .bp-node.dead .bp-ring { stroke: var(--bp-muted); stroke-width: 2.5; ` +
  `stroke-dasharray: 1 2; }
.bp-net .bp-flag { fill: var(--bp-warn) !important; font-weight: 600; }
.bp-net .bp-node { cursor: pointer; }
.bp-net .bp-node:focus { outline: none; }
.bp-net .bp-node:focus .bp-ring, .bp-net .bp-node:hover .bp-ring { stroke: var(--bp-focus); ` +
  `stroke-width: 2.5; }
.bp-net .bp-hl .bp-edge, .bp-net .bp-edge-g.bp-hl .bp-edge { stroke: var(--bp-hl); opacity: 1; ` +
  `stroke-width: 5px; }
.bp-net .bp-node.bp-hl .bp-ring { stroke: var(--bp-hl); stroke-width: 4; }
.bp-legend { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--bp-muted); font-size: ` +
  `0.92em; margin: 2px 0 6px; }
.bp-legend > span { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
/* the long entry wraps its words (a narrow panel, 200% zoom); 'low', its ramp and 'high' stay on
   one line */
.bp-legend > span.bp-legend-wrap { display: block; white-space: normal; max-width: 100%; }
.bp-legend-keep { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; ` +
  `vertical-align: middle; }
.bp-legend svg { flex: none; display: inline-block; }
.bp-ramp { display: inline-block; width: 44px; height: 9px; border: 1px solid var(--bp-border); ` +
  `background: linear-gradient(to right, rgb(49,120,198), rgb(235,235,235), rgb(230,140,40)); }
.bp-curve svg, .bp-boundary canvas { display: block; max-width: 100%; height: auto; }
.bp-curve .bp-axis { stroke: var(--bp-muted); stroke-width: 1; }
.bp-curve .bp-grid { stroke: var(--bp-border); stroke-width: 1; }
.bp-curve .bp-line { fill: none; stroke: var(--bp-pos); stroke-width: 2; }
.bp-curve text { fill: var(--bp-muted); font-size: 11px; }
.bp-progress { font-family: var(--vscode-editor-font-family, monospace); }
body.vscode-high-contrast .bp-net .bp-edge, body.vscode-high-contrast-light .bp-net .bp-edge { ` +
  `opacity: 1; }
.bp-graph-pair { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.bp-graph-scroll { max-width: 100%; max-height: 640px; overflow: auto; border: 1px solid ` +
  `var(--bp-border); }
.bp-graph svg { display: block; }
.bp-graph .bp-gbox { fill: var(--vscode-editor-background, #fff); stroke: ` +
  `var(--vscode-editor-foreground, #333); stroke-width: 1.2; }
.bp-graph .bp-gnode.leaf .bp-gbox { stroke: var(--bp-pos); stroke-width: 2; }
.bp-graph .bp-gnode.root .bp-gbox { stroke-width: 2.5; }
.bp-graph .bp-gnode.issue .bp-gbox { stroke: var(--bp-neg); stroke-width: 2.5; ` +
  `stroke-dasharray: 4 2; }
.bp-graph .bp-gnode.bp-hl .bp-gbox { stroke: var(--bp-hl); stroke-width: 4; }
.bp-graph .bp-gnode.bp-dim { opacity: 0.45; }
.bp-graph .bp-gnode:focus { outline: none; }
.bp-graph .bp-gnode:focus .bp-gbox { stroke: var(--bp-focus); stroke-width: 3; }
.bp-graph .bp-gnode text { text-anchor: middle; font-size: 11.5px; fill: ` +
  `var(--vscode-editor-foreground, #333); font-family: var(--vscode-editor-font-family, ` +
  `monospace); }
.bp-graph .bp-glabel { font-weight: 600; }
.bp-graph .bp-ggrad { fill: var(--bp-neg) !important; }
.bp-graph .bp-gedge-line { fill: none; stroke: var(--bp-muted); stroke-width: 1.3; }
.bp-graph .bp-gedge.bp-hl .bp-gedge-line { stroke: var(--bp-hl); stroke-width: 3.5; }
.bp-graph .bp-arrowhead { fill: var(--bp-muted); }
.bp-graph .bp-gedge-label { font-size: 10.5px; text-anchor: middle; dominant-baseline: central; ` +
  `fill: var(--vscode-editor-foreground, #333); paint-order: stroke; stroke: ` +
  `var(--vscode-editor-background, #fff); stroke-width: 3px; font-family: ` +
  `var(--vscode-editor-font-family, monospace); }
.bp-plot .bp-line.bp-series-1 { stroke: var(--bp-neg); }
.bp-plot .bp-line.bp-series-2 { stroke: var(--bp-warn); }
.bp-plot .bp-line.bp-series-3 { stroke: var(--bp-muted); }
.bp-plot .bp-line.dashed { stroke-dasharray: 6 4; }
.bp-legend .bp-line { stroke-width: 2; stroke: var(--bp-pos); }
.bp-curve .bp-mark { stroke: var(--bp-hl); stroke-width: 2; stroke-dasharray: 3 3; }
@media (prefers-reduced-motion: reduce) { .bp-root *, .bp-root *::before, .bp-root *::after { ` +
  `animation: none !important; transition: none !important; scroll-behavior: auto !important; } }
`;
