/**
 * Static pages that load the built views (dist/renderer.js, dist/panel.js) with VS Code-like theme
 * variables and a fake `acquireVsCodeApi`: for the preview screenshots and the browser tests.
 */
import * as path from 'path';
import type { ResultItem } from '../../src/protocol/results';
import type { PanelState, UpdateMessage } from '../../src/protocol/panelMessages';
import { updateMessage } from '../../src/panel/messages';

const root = path.resolve(__dirname, '../../..');

export type Theme = 'light' | 'dark' | 'hc-dark' | 'hc-light';

/**
 * The text colours are VS Code's: light and dark from its Light/Dark Modern themes, the
 * high-contrast ones from its colour registry (VS Code 1.99, the oldest we support), e.g.
 * textPreformat.foreground is black in HC dark, meant for the white textPreformat.background.
 */
export const THEMES: Record<Theme, Record<string, string>> = {
  light: {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-editorWidget-border': '#e5e5e5',
    '--vscode-list-activeSelectionBackground': '#e8e8e8',
    '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#fff',
    '--vscode-errorForeground': '#f85149',
    '--vscode-textPreformat-foreground': '#3b3b3b',
    '--vscode-textPreformat-background': '#0000001f',
    '--vscode-textCodeBlock-background': '#f8f8f8',
  },
  dark: {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-editorWidget-border': '#454545',
    '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#fff',
    '--vscode-errorForeground': '#f85149',
    '--vscode-textPreformat-foreground': '#d0d0d0',
    '--vscode-textPreformat-background': '#3c3c3c',
    '--vscode-textCodeBlock-background': '#2b2b2b',
  },
  'hc-dark': {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-editor-background': '#000000',
    '--vscode-editor-foreground': '#ffffff',
    '--vscode-descriptionForeground': '#ffffffb3',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-yellow': '#ffd700',
    '--vscode-focusBorder': '#f38518',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-editorWidget-border': '#6fc3df',
    '--vscode-list-activeSelectionBackground': '#000000',
    '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-button-secondaryBackground': '#000000',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-button-border': '#6fc3df',
    '--vscode-button-background': '#000000',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-errorForeground': '#f48771',
    '--vscode-textPreformat-foreground': '#000000',
    '--vscode-textPreformat-background': '#ffffff',
    '--vscode-textCodeBlock-background': '#000000',
  },
  'hc-light': {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#292929',
    '--vscode-descriptionForeground': '#292929',
    '--vscode-charts-blue': '#0f4a85',
    '--vscode-charts-red': '#b5200d',
    '--vscode-charts-orange': '#8f4f00',
    '--vscode-charts-yellow': '#5c4a00',
    '--vscode-focusBorder': '#006bbd',
    '--vscode-contrastBorder': '#0f4a85',
    '--vscode-editorWidget-border': '#0f4a85',
    '--vscode-list-activeSelectionBackground': '#ffffff',
    '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-button-secondaryBackground': '#ffffff',
    '--vscode-button-secondaryForeground': '#292929',
    '--vscode-button-border': '#0f4a85',
    '--vscode-button-background': '#0f4a85',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-errorForeground': '#b5200d',
    '--vscode-textPreformat-foreground': '#ffffff',
    '--vscode-textPreformat-background': '#09345f',
    '--vscode-textCodeBlock-background': '#f2f2f2',
  },
};

/** The class VS Code puts on a webview's body for each kind of theme. */
const BODY_CLASS: Record<Theme, string> = {
  light: 'vscode-light',
  dark: 'vscode-dark',
  'hc-dark': 'vscode-high-contrast',
  'hc-light': 'vscode-high-contrast-light',
};

function page(theme: Theme, body: string): string {
  const vars = Object.entries(THEMES[theme])
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  return (
    `<!DOCTYPE html><html lang="en" style="${vars}"><head><meta ` +
    `charset="utf-8"><title>Backprop Notebook preview</title><style>body { margin: 0; padding: ` +
    `12px 16px; background: var(--vscode-editor-background); color: ` +
    `var(--vscode-editor-foreground); font-family: var(--vscode-font-family); ` +
    `}</style></head><body class="${BODY_CLASS[theme]}">${body}</body></html>`
  );
}

export function rendererPage(theme: Theme, payloads: ResultItem[][]): string {
  const data = JSON.stringify(payloads.map((items) => ({ version: 1, items }))).replace(
    /</g,
    '\\u003c',
  );
  return page(
    theme,
    `<div id="out"></div><script type="module">
import { activate } from '${path.join(root, 'dist/renderer.js')}';
const r = activate({});
const payloads = ${data};
const out = document.getElementById('out');
payloads.forEach((p, i) => { const d = document.createElement('div'); d.className = ` +
      `'cell-output'; out.append(d); r.renderOutputItem({ id: 'o' + i, mime: ` +
      `'application/vnd.bpnb.result+json', json: () => p }, d); });
window.__done = true;
</script>`,
  );
}

export function panelPage(
  theme: Theme,
  message: UpdateMessage,
  select?: string,
  phaseClicks = 0,
  state?: PanelState,
): string {
  const data = JSON.stringify(message).replace(/</g, '\\u003c');
  const saved = JSON.stringify(state ?? null).replace(/</g, '\\u003c');
  return page(
    theme,
    `<link rel="stylesheet" href="${path.join(root, 'media/panel.css')}">
<script>
window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => ` +
      `(${saved} ?? undefined), setState: (s) => { window.__state = s; } });
</script>
<script src="${path.join(root, 'dist/panel.js')}"></script>
<script>
window.postMessage(${data}, '*');
const wait = () => {
  if (!document.querySelector('.bp-header')) return requestAnimationFrame(wait);
  window.__drawMs = Number(document.body.dataset.renderMs);
  ${
    select
      ? `const row = [...document.querySelectorAll('.bp-grad tbody tr')].find((r) => ` +
        `r.firstChild && r.firstChild.textContent === ${JSON.stringify(select)}); if (row) ` +
        `row.click();`
      : ''
  }
  for (let i = 0; i < ${phaseClicks}; i++) document.querySelector('[data-phase="next"]').click();
  window.__done = true;
};
requestAnimationFrame(wait);
</script>`,
  );
}

/** What the panel host sends for a session (src/panel/messages.ts, as the panel sends it). */
export function panelUpdate(
  session: Parameters<typeof updateMessage>[0],
  notebook: string,
): UpdateMessage {
  return updateMessage(session, notebook, false);
}
