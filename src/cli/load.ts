/** Reading a notebook from disk: bytes → text → FileNotebook, or a reason it cannot be read. */
import { readFileSync } from 'node:fs';
import {
  NotebookFileError,
  decodeNotebookBytes,
  parseNotebookFile,
  type FileNotebook,
} from '../protocol/notebookFile';

export interface LoadedNotebook {
  path: string;
  /** the file as it was read, to compare before writing */
  bytes: Uint8Array;
  /** the decoded text (no byte order mark), for mapping cell lines to file lines */
  text: string;
  notebook: FileNotebook;
}

/** A file that cannot be read or parsed: `path:line: message` when the line is known. */
export class LoadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${path}${line !== undefined ? `:${line}` : ''}: error: ${reason}`);
  }
}

export function loadNotebook(path: string): LoadedNotebook {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'is a directory, not a notebook file'
          : err.message;
    throw new LoadError(path, `cannot read the file: ${reason}`);
  }
  try {
    const text = decodeNotebookBytes(bytes);
    return { path, bytes, text: text.replace(/^\uFEFF/, ''), notebook: parseNotebookFile(text) };
  } catch (e) {
    if (e instanceof NotebookFileError) throw new LoadError(path, e.message, e.line);
    throw e;
  }
}
