/**
 * The Markdown a cell's results become (VS Code's text/markdown output, `bpnb run --format
 * markdown`).
 */
import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import {
  DEFAULT_DIGITS,
  itemsToMarkdown,
  itemsToText,
  partsMarkdown,
  partsText,
  words,
  setDisplayDigits,
} from '../../../src/protocol/text';
import { runOk } from '../runHost';

/**
 * The lines that follow a table row without a blank line between: in CommonMark tables (GitHub,
 * markdown-it) each of them is one more row of the table, so only rows may follow a row.
 */
function textJoinedToTables(markdown: string): string[] {
  const lines = markdown.split('\n');
  return lines.filter(
    (line, i) => i > 0 && lines[i - 1].startsWith('|') && line !== '' && !line.startsWith('|'),
  );
}

describe('protocol/text: the Markdown and the messages of results', () => {
  it(
    'what is written under a table (its note, rows left out, a graph node’s warning) is not a ' +
      'row of it',
    async () => {
      const s = new Session();
      const cells = [
        // the gradient table's note: "old values (before the update with η = 0.1)"
        'network 1 -> 1 identity\nbias off\nw11[1] = 1\ninput x = [1]\ntarget t = ' +
          '[0]\nforward\nbackward\nupdate lr 0.1',
        // a table longer than the rows shown
        'network 2 -> 3 sigmoid -> 1 sigmoid\ndataset circle n 300\nshow data',
        // a graph whose node overflowed: "x * x: Infinity first arose here in the forward pass"
        'x = 1e300\ny = x * x * x\nbackward y',
      ];
      let notes = 0;
      for (const cell of cells) {
        const markdown = itemsToMarkdown((await runOk(s, cell)).items);
        assert.deepEqual(textJoinedToTables(markdown), [], markdown);
        notes += markdown
          .split('\n')
          .filter((l, i, all) => all[i - 1] === '' && all[i - 2]?.startsWith('|')).length;
      }
      assert.ok(notes >= 3, `${notes} lines written under tables`);
    },
  );

  it(
    'messages give at least 10 significant digits, and as many as the digits setting asks ' +
      'above that',
    async () => {
      // by hand: E(w) = (7/3)·(w − 2)², each epoch multiplies w − 2 by 1 − 0.1·14/3 = 8/15, from w
      // = 0
      const E = (28 / 3) * (8 / 15) ** 6;
      const cell =
        'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 2 -> 4; 3 -> 6]\ntrain ' +
        'epochs 3 lr 0.1\nshow loss';
      const shown = async (digits: number) => {
        setDisplayDigits(digits);
        try {
          const r = await runOk(new Session(), cell);
          const texts = r.items.flatMap((i) => (i.kind === 'message' ? [partsText(i.text)] : []));
          const m = texts.map((t) => /^E = (\S+) /.exec(t)).find(Boolean);
          assert.ok(m, texts.join('\n'));
          return m[1];
        } finally {
          setDisplayDigits(DEFAULT_DIGITS);
        }
      };
      for (const [digits, want] of [
        [3, 10],
        [DEFAULT_DIGITS, 10],
        [15, 15],
        [17, 17],
      ]) {
        const text = await shown(digits);
        assert.equal(text.replace(/^0\.0*|\./g, '').length, want, `digits ${digits}: ${text}`);
        // rounded to its digits, beyond the last few bits where sums in another order may differ
        assert.ok(
          Math.abs(Number(text) - E) <= Math.max(0.6 * 10 ** -want, 1e-15),
          `${text} vs ${E}`,
        );
      }
    },
  );

  it(
    'code parts: backticks in the terminal as before, a code span in Markdown, the ' +
      "user's backticks escaped",
    async () => {
      const items = [
        {
          kind: 'message' as const,
          level: 'info' as const,
          text: words`run \`update lr ${0.5}\` on ${'my `odd` *file*'}`,
        },
      ];
      assert.deepEqual(items[0].text, [
        { text: 'run ' },
        { code: 'update lr 0.5' },
        { text: ' on my `odd` *file*' },
      ]);
      assert.equal(itemsToText(items), 'run `update lr 0.5` on my `odd` *file*');
      assert.equal(itemsToMarkdown(items), 'run `update lr 0.5` on my \\`odd\\` \\*file\\*');
      // a backtick inside code takes a longer fence, padded so it cannot touch the fence; code
      // parts side by side are one span
      assert.equal(partsMarkdown([{ code: '`x`' }, { text: '.' }]), '`` `x` ``.');
      assert.equal(partsMarkdown([{ code: 'a' }, { code: 'b``c' }]), '```ab``c```');
      // and a line break inside code would start a new block: it is a space
      assert.equal(partsMarkdown([{ code: 'a\n<b>' }]), '`a <b>`');
      // the update's own line, as the runtime says it
      const r = await runOk(
        new Session(),
        'network 1 -> 1 identity\ninput x = [1]\ntarget t = ' + '[0]\nforward\nbackward\nupdate',
      );
      assert.match(itemsToText(r.items), /\(the default; `update lr η` sets another/);
      assert.match(itemsToMarkdown(r.items), /\(the default; `update lr η` sets another/);
    },
  );

  it('a count of one in a message is singular: 1 row, 1 input, 1 target', async () => {
    const r = await runOk(
      new Session(),
      'network 1 -> 1 identity\ndata = [1 -> 2]\ntrain epochs 1',
    );
    const texts = r.items.flatMap((i) => (i.kind === 'message' ? [partsText(i.text)] : []));
    assert.ok(texts.includes('data data: 1 row, 1 input, 1 target'), texts.join('\n'));
    assert.match(
      texts.find((t) => t.startsWith('trained')) ?? '',
      /^trained 1 epoch \(1 step,.*\(E = ½·Σ\(a − t\)²\); /,
    );
  });
});
