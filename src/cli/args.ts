/**
 * Command-line arguments of `bpnb`: parsed into a request, or a usage error to print with exit
 * status 2.
 */
import { DEFAULT_DIGITS, DIGITS_RANGE, isDigits } from '../protocol/text';

export type Format = 'text' | 'markdown' | 'json';

export type Request =
  | { command: 'help' }
  | { command: 'version' }
  | {
      command: 'run';
      files: string[];
      format: Format;
      write: boolean;
      quiet: boolean;
      /** significant digits of the numbers printed (the `backpropNotebook.digits` rule) */
      digits: number;
    }
  | { command: 'check'; files: string[]; format: Format }
  | { command: 'export'; file: string; format: ExportFormat; out?: string };

export type ExportFormat = 'py' | 'ipynb';

export class UsageError extends Error {}

export const USAGE =
  `Usage:
  bpnb run FILE…   [--format text|markdown|json] [--digits N] [--write] [--quiet]
  bpnb check FILE… [--format text|json]
  bpnb export FILE [--format py|ipynb] [-o OUT]
  bpnb --help | --version

run     runs every code cell of each notebook in order and prints the results
check   parses and validates every code cell without running anything
export  writes the notebook as PyTorch: a Python script (py, the default) or a
        Jupyter notebook (ipynb) that prints the notebook's numbers; to OUT, or stdout

Options:
  --format F   text (default), markdown or json (the result payloads; see docs/cli.md)
  --digits N   significant digits of the numbers in tables and text, ${DIGITS_RANGE.min}–` +
  `${DIGITS_RANGE.max}
               (default ${DEFAULT_DIGITS}, as the setting backpropNotebook.digits); expect always
               prints every digit, and json every number exactly
  -w, --write  store the outputs back into the notebook, as VS Code does when it runs it
  -q, --quiet  print only the cells that failed, and the summary
  -o, --out F  export: the file to write (its extension .ipynb chooses that format)
  -h, --help   show this help
  --version    show the version

Exit status: 0 all cells ran and every expect held; 1 a cell failed or an expect
did not hold (export: a line that cannot be exported); 2 usage error or a file that
cannot be read or parsed; 3 --write could not store the outputs (or the file changed
while it ran: they went beside it); 130 stopped by Ctrl-C.`;

const FORMATS: readonly Format[] = ['text', 'markdown', 'json'];

export function parseArgs(argv: readonly string[]): Request {
  if (argv.length === 0) throw new UsageError('no command given');
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  if (command === '-v' || command === '--version' || command === 'version')
    return { command: 'version' };
  if (command === 'export') return parseExport(rest);
  if (command !== 'run' && command !== 'check')
    throw new UsageError(`unknown command '${command}' (use run, check or export)`);
  const files: string[] = [];
  let format: Format = 'text';
  let write = false;
  let quiet = false;
  let digits = DEFAULT_DIGITS;
  let optionsEnded = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    switch (name) {
      case '--digits': {
        if (command !== 'run') throw new UsageError('--digits goes with run');
        const value = inline ?? rest[++i];
        const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
        if (!isDigits(n))
          throw new UsageError(
            `--digits needs a whole number from ${DIGITS_RANGE.min} to ${DIGITS_RANGE.max}` +
              `${value === undefined ? '' : `, got '${value}'`}`,
          );
        digits = n;
        break;
      }
      case '--':
        optionsEnded = true;
        break;
      case '-h':
      case '--help':
        return { command: 'help' };
      case '--format':
      case '-f': {
        const value = inline ?? rest[++i];
        if (value === undefined)
          throw new UsageError('--format needs a value: text, markdown or json');
        if (!(FORMATS as readonly string[]).includes(value))
          throw new UsageError(`unknown format '${value}' (use text, markdown or json)`);
        format = value as Format;
        break;
      }
      case '--write':
      case '-w':
        if (command !== 'run') throw new UsageError('--write goes with run');
        write = true;
        break;
      case '--quiet':
      case '-q':
        if (command !== 'run') throw new UsageError('--quiet goes with run');
        quiet = true;
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (files.length === 0) throw new UsageError(`${command} needs at least one notebook file`);
  if (command === 'check') {
    if (format === 'markdown') throw new UsageError('check prints text or json');
    return { command, files, format };
  }
  return { command, files, format, write, quiet, digits };
}

function parseExport(rest: readonly string[]): Request {
  const files: string[] = [];
  let format: ExportFormat | undefined;
  let out: string | undefined;
  let optionsEnded = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--':
        optionsEnded = true;
        break;
      case '-h':
      case '--help':
        return { command: 'help' };
      case '--format':
      case '-f': {
        const v = value();
        if (v !== 'py' && v !== 'ipynb')
          throw new UsageError(`unknown export format '${v}' (use py or ipynb)`);
        format = v;
        break;
      }
      case '-o':
      case '--out':
        out = value();
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (files.length !== 1) throw new UsageError('export needs exactly one notebook file');
  const chosen = format ?? (out?.endsWith('.ipynb') ? 'ipynb' : 'py');
  return { command: 'export', file: files[0], format: chosen, ...(out ? { out } : {}) };
}
