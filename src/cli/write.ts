/**
 * `--write`: stores what ran back into the notebook, in the shape VS Code itself saves
 * (see src/notebook/outputs.ts and the serializer), so the outputs show when the file is opened.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ERROR_MIME, STDERR_MIME } from '../protocol/hostNotebook';
import { printNotebookFile, type FileNotebook, type FileOutput } from '../protocol/notebookFile';
import { PAYLOAD_VERSION, RESULT_MIME } from '../protocol/results';
import { itemsToMarkdown } from '../protocol/text';
import { errorOutput, STOPPED_TEXT } from '../runtime/errors';
import type { CellRun } from '../runtime/types';
import type { CellReport } from './runner';

/**
 * The outputs VS Code's controller would give this run (cellOutputs in src/notebook/outputs.ts).
 */
export function fileOutputs(run: CellRun): FileOutput[] {
  const outputs: FileOutput[] = [];
  if (run.items.length) {
    outputs.push({
      items: [
        { mime: RESULT_MIME, data: { version: PAYLOAD_VERSION, items: run.items } },
        { mime: 'text/markdown', data: itemsToMarkdown(run.items) },
      ],
    });
  }
  const error = errorOutput(run);
  if (error) outputs.push({ items: [{ mime: ERROR_MIME, data: JSON.stringify(error) }] });
  if (run.cancelled) outputs.push({ items: [{ mime: STDERR_MIME, data: STOPPED_TEXT }] });
  return outputs;
}

/**
 * A copy of the notebook with the outputs and execution facts of the cells that ran; cells not run
 * keep theirs.
 */
export function withOutputs(notebook: FileNotebook, reports: CellReport[]): FileNotebook {
  const cells = notebook.cells.slice();
  let order = 0;
  for (const report of reports) {
    if (!report.run) continue;
    const outputs = fileOutputs(report.run);
    const cell = {
      ...cells[report.index],
      execution: {
        order: ++order,
        success: report.status === 'ok',
        durationMs: report.durationMs ?? 0,
      },
    };
    if (outputs.length) cell.outputs = outputs;
    else delete cell.outputs;
    cells[report.index] = cell;
  }
  return { ...notebook, cells };
}

export class WriteError extends Error {
  constructor(
    message: string,
    /** where the outputs were stored instead, when the file had changed during the run */
    readonly besidePath?: string,
  ) {
    super(message);
  }
}

/**
 * `.NAME.PID.RANDOM.tmp` (96 random bits): the pid tells a later run whether the writer is alive.
 */
export function temporaryName(base: string): string {
  return `.${base}.${process.pid}.${randomBytes(12).toString('hex')}.tmp`;
}

const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{24}\.tmp$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of `base` that a killed run left in `folder`: only regular files
 * or links of ours (never another user's file), whose writer is gone. Returns how many went.
 */
export function removeStaleTemporaries(folder: string, base: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (!m || m[1] !== base || isAlive(Number(m[2]))) continue;
    try {
      const st = lstatSync(join(folder, name));
      if (uid !== undefined && st.uid !== uid) continue;
      if (!st.isFile() && !st.isSymbolicLink()) continue;
      unlinkSync(join(folder, name)); // unlinking a link removes the link, never its target
      removed++;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** Makes the rename itself durable; not every system can open a folder (Windows cannot). */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the rename is done; only its durability across a power cut is not forced
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** `name.bpnb` → `name.outputs-2026-12-01T21-40-05.bpnb`, created only if it does not exist. */
function besideName(path: string): string {
  const ext = extname(path);
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  return join(dirname(path), `${basename(path, ext)}.outputs-${stamp}${ext || '.bpnb'}`);
}

/**
 * Writes `text` to a new file in the target's folder (created exclusively, O_CREAT|O_EXCL, under
 * an unpredictable name, so a link planted there makes the write fail instead of being followed),
 * sets the original's mode (and, where allowed, owner) on the open descriptor, fsyncs it, then
 * renames it over the target. A symbolic link named as the notebook is the user's own: the file
 * it points at is replaced. With `expected`, the file must still hold those bytes: if it changed
 * meanwhile it is left alone and the text goes to a new file beside it (a WriteError says where).
 */
export function writeFileAtomically(
  linkOrPath: string,
  text: string,
  expected?: Uint8Array,
  nameFor: (base: string) => string = temporaryName,
): void {
  const path = realpathSync(linkOrPath);
  const folder = dirname(path);
  const base = basename(path);
  const original = statSync(path);
  if (!original.isFile()) throw new WriteError(`${linkOrPath} is not a regular file`);
  removeStaleTemporaries(folder, base);
  const temporary = join(folder, nameFor(base));
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    try {
      fchownSync(fd, original.uid, original.gid);
    } catch {
      // only root may give a file away (and only a member may set the group): it stays ours
    }
    fchmodSync(fd, original.mode & 0o7777); // after fchown, which may clear set-id bits
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temporary);
    throw e;
  }
  closeSync(fd);
  try {
    if (expected && !sameBytes(readFileSync(path), expected)) {
      const beside = besideName(path);
      try {
        linkSync(temporary, beside); // fails if it exists: nothing is overwritten
      } catch (e) {
        throw new WriteError(
          `${linkOrPath} changed on disk while it ran, so it was not overwritten, and the ` +
            `outputs could not be stored beside it: ${(e as Error).message}`,
        );
      }
      throw new WriteError(
        `${linkOrPath} changed on disk while it ran, so it was not overwritten; the outputs are ` +
          `in ${beside}`,
        beside,
      );
    }
    renameSync(temporary, path);
    syncFolder(folder);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // renamed or linked away already
    }
    throw e;
  }
}

/** Stores the outputs; `expected` (the bytes that were read) guards edits made during the run. */
export function writeOutputs(
  path: string,
  notebook: FileNotebook,
  reports: CellReport[],
  expected?: Uint8Array,
): void {
  writeFileAtomically(path, printNotebookFile(withOutputs(notebook, reports), true), expected);
}
