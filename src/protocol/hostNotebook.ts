/**
 * What a file notebook becomes in VS Code's NotebookData, apart from the vscode classes
 * (src/notebook/serializer.ts builds those): the serializer's own metadata keys, kept apart from
 * a user's keys of the same name, and the outputs kept when a file is opened.
 */
import type { FileOutput } from './notebookFile';
import { RESULT_MIME, type ResultItem } from './results';
import { itemsToMarkdown } from './text';

/** VS Code's mime for an error output; its data is the JSON text of {name, message, stack}. */
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
const STDOUT_MIME = 'application/vnd.code.notebook.stdout';

/**
 * The outputs a file may bring into VS Code: those the extension writes (src/notebook/outputs.ts,
 * src/cli/write.ts) and plain text, which VS Code shows as text. Anything else (text/html,
 * application/javascript, image/svg+xml, …) would reach one of VS Code's built-in renderers
 * though the extension never wrote it, so it is dropped on load with a note.
 */
export const OUTPUT_MIMES: readonly string[] = [
  RESULT_MIME,
  'text/markdown',
  ERROR_MIME,
  STDERR_MIME,
  STDOUT_MIME,
  'text/plain',
];

/**
 * The Markdown the extension writes beside a result payload, made again from that payload: the
 * file's own text/markdown is never shown (VS Code's Markdown renderer keeps raw HTML, images and
 * command links). undefined when the payload cannot be read (its renderer then says why).
 */
function markdownOf(output: FileOutput): string | undefined {
  const payload = output.items.find((i) => i.mime === RESULT_MIME)?.data as
    { items?: unknown } | undefined;
  if (!payload || !Array.isArray(payload.items)) return undefined;
  try {
    return itemsToMarkdown(payload.items as ResultItem[]);
  } catch {
    return undefined;
  }
}

/**
 * The outputs of allowed mimes, then (when any item was dropped) one stderr output saying which.
 * A text/markdown item is kept only beside a result payload, with its text made again from it.
 */
export function keepKnownOutputs(outputs: FileOutput[]): FileOutput[] {
  const kept: FileOutput[] = [];
  const dropped: string[] = [];
  const drop = (mime: string) => {
    const shown = mime.length > 60 ? `${mime.slice(0, 60)}…` : mime;
    if (!dropped.includes(shown)) dropped.push(shown);
  };
  for (const output of outputs) {
    const markdown = output.items.some((i) => i.mime === 'text/markdown')
      ? markdownOf(output)
      : undefined;
    const items = output.items.flatMap((item) => {
      if (item.mime === 'text/markdown') {
        if (markdown !== undefined) return [{ ...item, data: markdown }];
        // a lone Markdown output, not one the extension wrote
        if (!output.items.some((i) => i.mime === RESULT_MIME)) drop(item.mime);
        return [];
      }
      if (OUTPUT_MIMES.includes(item.mime)) return [item];
      drop(item.mime);
      return [];
    });
    const same =
      items.length === output.items.length && items.every((item, i) => item === output.items[i]);
    if (same) kept.push(output);
    else if (items.length) kept.push({ ...output, items });
  }
  if (dropped.length) kept.push({ items: [{ mime: STDERR_MIME, data: droppedNote(dropped) }] });
  return kept;
}

export function droppedNote(mimes: string[]): string {
  const listed = mimes.length > 5 ? [...mimes.slice(0, 5), `${mimes.length - 5} more`] : mimes;
  // two short lines: VS Code's stderr output does not wrap
  return (
    `Not shown: outputs of type ${listed.join(', ')} from the file.\nBackprop Notebook ` +
    `shows only the outputs it writes; run the cell to make them again.`
  );
}

/** The serializer's own keys in VS Code's notebook, cell and output metadata. */
export const OWN_KEYS = { id: '__bpnbId', extra: '__bpnbExtra', version: '__bpnbVersion' };
/** A user's key starting with this is stored as ESCAPE + key, so it never meets an own key. */
const PREFIX = '__bpnb';
const ESCAPE = '__bpnb:';

function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty keeps a key named "__proto__" as plain data
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** VS Code metadata: the user's keys (those starting with __bpnb escaped) and the own keys set. */
export function withOwnKeys(
  user: Record<string, unknown> | undefined,
  own: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(user ?? {}))
    put(out, key.startsWith(PREFIX) ? ESCAPE + key : key, (user as Record<string, unknown>)[key]);
  for (const key of Object.keys(own)) if (own[key] !== undefined) put(out, key, own[key]);
  return out;
}

/** The inverse of withOwnKeys: the own keys asked for, and the user's keys unescaped. */
export function splitOwnKeys(
  metadata: Record<string, unknown> | undefined,
  ownKeys: string[],
): { own: Record<string, unknown>; user: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  for (const key of Object.keys(metadata ?? {})) {
    const value = (metadata as Record<string, unknown>)[key];
    if (ownKeys.includes(key)) put(own, key, value);
    else if (key.startsWith(ESCAPE)) put(user, key.slice(ESCAPE.length), value);
    else put(user, key, value);
  }
  return { own, user };
}
