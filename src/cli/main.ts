/**
 * `bpnb`: runs and checks .bpnb notebooks from a terminal, with the same language, runtime and
 * engine as the VS Code extension. Exit status: 0 all ran and held; 1 a cell failed or an expect
 * did not hold; 2 usage error or unreadable file; 3 --write could not store the outputs (or the
 * file changed meanwhile: they went beside it); 130 stopped with Ctrl-C. See docs/cli.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setDisplayDigits } from '../protocol/text';
import { exportPyTorch, toIpynb, toScript } from '../runtime/pytorch';
import { FileLocator } from './locate';
import { parseArgs, UsageError, USAGE, type Request } from './args';
import { checkNotebook, checkedLine } from './check';
import { loadNotebook, LoadError, type LoadedNotebook } from './load';
import { ProgressLine } from './progress';
import { formatFile, runJson, summaryLines, totals, type FileReport } from './report';
import { notebookBinaryReader, notebookFileReader, runNotebook } from './runner';
import { WriteError, writeOutputs } from './write';

export const EXIT = { ok: 0, failed: 1, usage: 2, notWritten: 3, interrupted: 130 } as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function load(path: string): LoadedNotebook | LoadError {
  try {
    return loadNotebook(path);
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
}

async function run(
  req: Extract<Request, { command: 'run' }>,
  interrupt: { requested: boolean },
): Promise<number> {
  const progress = new ProgressLine(process.stderr);
  const reports: FileReport[] = [];
  // the numbers the runtime writes into text (derivations, messages) and the tables printed
  setDisplayDigits(req.digits);
  for (const path of req.files) {
    if (interrupt.requested) break;
    const loaded = load(path);
    if (loaded instanceof LoadError) {
      reports.push({
        path,
        loadError: {
          message: loaded.reason,
          ...(loaded.line !== undefined ? { line: loaded.line } : {}),
        },
        cells: [],
      });
      process.stderr.write(`${loaded.message}\n`);
      continue;
    }
    const cells = await runNotebook(loaded, {
      isCancelled: () => interrupt.requested,
      onProgress: progress.enabled
        ? (cell, items) => progress.update(`${path} cell ${cell.index + 1}`, items)
        : undefined,
    });
    progress.clear();
    const report: FileReport = { path, notebook: loaded.notebook, cells };
    if (req.write && cells.some((c) => c.run)) {
      try {
        writeOutputs(path, loaded.notebook, cells, loaded.bytes);
        report.written = true;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        report.written = false;
        report.writeError = {
          message: e instanceof WriteError ? message : `cannot write the outputs: ${message}`,
          ...(e instanceof WriteError && e.besidePath ? { besidePath: e.besidePath } : {}),
        };
        process.stderr.write(`${path}: error: ${report.writeError.message}\n`);
      }
    }
    reports.push(report);
    const shown = req.format === 'json' ? '' : formatFile(report, req.format, req.quiet);
    if (shown) process.stdout.write(shown + '\n');
  }
  const code = exitCode(reports, interrupt.requested);
  if (req.format === 'json')
    process.stdout.write(JSON.stringify(runJson(reports, code), null, 2) + '\n');
  for (const report of reports) process.stderr.write(summaryLines(report).join('\n') + '\n');
  if (interrupt.requested) process.stderr.write('Stopped by Ctrl-C.\n');
  return code;
}

export function exitCode(reports: FileReport[], interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  if (reports.some((r) => r.loadError)) return EXIT.usage;
  if (reports.some((r) => r.writeError)) return EXIT.notWritten;
  const failed = reports.some((r) => {
    const t = totals(r.cells);
    return (
      t.failed > 0 ||
      t.notRun > 0 ||
      t.expectations.failed > 0 ||
      r.cells.some((c) => c.status !== 'ok')
    );
  });
  return failed ? EXIT.failed : EXIT.ok;
}

function check(req: Extract<Request, { command: 'check' }>): number {
  let unreadable = false;
  let errors = 0;
  const json: unknown[] = [];
  for (const path of req.files) {
    const loaded = load(path);
    if (loaded instanceof LoadError) {
      unreadable = true;
      process.stderr.write(`${loaded.message}\n`);
      json.push({
        file: path,
        error: {
          message: loaded.reason,
          ...(loaded.line !== undefined ? { line: loaded.line } : {}),
        },
      });
      continue;
    }
    const { problems, cellsChecked } = checkNotebook(loaded);
    const fileErrors = problems.filter((p) => p.severity === 'error').length;
    errors += fileErrors;
    if (req.format === 'json') json.push({ file: path, cellsChecked, problems });
    else for (const p of problems) process.stdout.write(checkedLine(path, p) + '\n');
    process.stderr.write(
      `${path}: ${cellsChecked} code cells checked, ${fileErrors} errors, ` +
        `${problems.length - fileErrors} warnings or notes\n`,
    );
  }
  const code = unreadable ? EXIT.usage : errors ? EXIT.failed : EXIT.ok;
  if (req.format === 'json')
    process.stdout.write(
      JSON.stringify({ version: 1, exitCode: code, files: json }, null, 2) + '\n',
    );
  return code;
}

/** `bpnb export`: the notebook as PyTorch, or the first line that cannot be exported. */
async function exportCommand(req: Extract<Request, { command: 'export' }>): Promise<number> {
  const loaded = load(req.file);
  if (loaded instanceof LoadError) {
    process.stderr.write(`${loaded.message}\n`);
    return EXIT.usage;
  }
  const cells = loaded.notebook.cells.map((c) => ({
    kind: c.kind === 'code' ? ('code' as const) : ('markdown' as const),
    source: c.source,
  }));
  const title = basename(req.file);
  const result = await exportPyTorch(cells, {
    title,
    readTextFile: notebookFileReader(loaded.path),
    readBinaryFile: notebookBinaryReader(loaded.path),
  });
  if (!result.ok) {
    const { cell, line, offset, message } = result.error;
    const at = new FileLocator(loaded.text).position(cell - 1, offset);
    process.stderr.write(
      `${req.file}:${at ? `${at.line}:${at.column}` : '1:1'}: error: ${message} (cell ${cell}, ` +
        `line ${line})\n`,
    );
    return EXIT.failed;
  }
  const text =
    req.format === 'ipynb' ? toIpynb(result.cells, title) : toScript(result.cells, title);
  if (!req.out) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  try {
    writeFileSync(req.out, text);
  } catch (e) {
    process.stderr.write(
      `${req.out}: error: cannot write: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return EXIT.usage;
  }
  process.stderr.write(
    `${req.file}: exported as ` +
      `${req.format === 'ipynb' ? 'a Jupyter notebook' : 'a Python script'} to ${req.out} (` +
      `${result.checks.length} numbers printed; run it with python3, needs torch)\n`,
  );
  return EXIT.ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  let req: Request;
  try {
    req = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bpnb: ${e.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  switch (req.command) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return EXIT.ok;
    case 'version':
      process.stdout.write(`bpnb ${version()}\n`);
      return EXIT.ok;
    case 'check':
      return check(req);
    case 'export':
      return exportCommand(req);
    case 'run': {
      const interrupt = { requested: false };
      const onSigint = () => {
        if (interrupt.requested) process.exit(EXIT.interrupted); // a second Ctrl-C does not wait
        interrupt.requested = true;
      };
      process.on('SIGINT', onSigint);
      try {
        return await run(req, interrupt);
      } finally {
        process.off('SIGINT', onSigint);
      }
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `bpnb: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 70;
  },
);
