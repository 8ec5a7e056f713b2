/**
 * The Network panel's HTML: exactly one Content-Security-Policy (`default-src 'none'`, scripts and
 * styles only by a fresh nonce or from the extension's own folders), one script, one stylesheet.
 * Pure (no vscode import) so the policy is unit-tested.
 */

export interface PanelHtmlInputs {
  /** `webview.cspSource` */
  cspSource: string;
  /** a fresh random nonce for this render */
  nonce: string;
  /** webview URIs (as strings) of dist/panel.js and media/panel.css */
  scriptUri: string;
  styleUri: string;
}

/** Escapes a value for a double-quoted attribute. */
const attr = (s: string) =>
  s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource} data:`,
  ].join('; ');
}

export function panelHtml(i: PanelHtmlInputs): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(i.nonce))
    throw new Error('nonce must be at least 16 base64 characters');
  return (
    `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="` +
    `${attr(contentSecurityPolicy(i.cspSource, i.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(i.styleUri)}" nonce="${i.nonce}">
<title>Network</title>
</head>
<body>
<script nonce="${i.nonce}" src="${attr(i.scriptUri)}"></script>
</body>
</html>`
  );
}
