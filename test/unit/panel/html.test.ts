import * as assert from 'assert/strict';
import { contentSecurityPolicy, panelHtml } from '../../../src/panel/html';

const inputs = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'AbCdEfGhIjKlMnOpQrStUvWx',
  scriptUri: 'https://x/dist/panel.js',
  styleUri: 'https://x/media/panel.css',
};

describe('panel HTML', () => {
  it(
    'has exactly one Content-Security-Policy, default-src none, scripts only by nonce, ' +
      'no unsafe-*',
    () => {
      const html = panelHtml(inputs);
      const policies = html.match(/http-equiv="Content-Security-Policy"/g) ?? [];
      assert.equal(policies.length, 1);
      const csp =
        /content="([^"]*)"/.exec(html.slice(html.indexOf('Content-Security-Policy')))?.[1] ?? '';
      assert.match(csp, /^default-src 'none';/);
      assert.match(csp, new RegExp(`script-src 'nonce-${inputs.nonce}'(;|$)`));
      assert.ok(!/unsafe-eval|unsafe-inline/.test(html));
      assert.ok(!/\*/.test(csp), 'no wildcards');
    },
  );

  it('every script carries the nonce and none is inline', () => {
    const html = panelHtml(inputs);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts.every((s) => s.includes(`nonce="${inputs.nonce}"`) && s.includes('src=')));
    assert.ok(html.includes('</script>') && !/<script[^>]*>[^<]+<\/script>/.test(html));
  });

  it('refuses a weak nonce and escapes the URIs', () => {
    assert.throws(() => panelHtml({ ...inputs, nonce: 'abc' }));
    assert.throws(() => panelHtml({ ...inputs, nonce: 'abcdefghijklmnop"><script>' }));
    const html = panelHtml({ ...inputs, scriptUri: 'https://x/"><script>alert(1)</script>' });
    assert.ok(!html.includes('"><script>alert'));
  });

  it('keeps styles to the extension origin and the nonce', () => {
    assert.equal(
      contentSecurityPolicy('vscode-src', 'N'),
      "default-src 'none'; script-src 'nonce-N'; style-src vscode-src 'nonce-N'; img-src " +
        'vscode-src data:; font-src vscode-src data:',
    );
  });
});
