/**
 * `bpnb check`: parses and validates every code cell without running anything. Each cell is
 * validated after the cells before it (their `network` lines give it a shape), as if run in order.
 */
import { parse } from '../language/parser';
import { validateInOrder } from '../language/validate';
import { formatDiagnostic, offsetToLineCol, type Diagnostic } from '../language/diagnostics';
import type { LoadedNotebook } from './load';
import { FileLocator } from './locate';

export interface CheckedProblem {
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  /** 1-based cell index in the file */
  cell: number;
  /** position in the .bpnb file, or undefined when the source could not be found in it */
  line?: number;
  column?: number;
  /** position inside the cell's text */
  cellLine: number;
  cellColumn: number;
}

export function checkNotebook(loaded: LoadedNotebook): {
  problems: CheckedProblem[];
  cellsChecked: number;
} {
  const problems: CheckedProblem[] = [];
  const locator = new FileLocator(loaded.text);
  // one validator for the whole notebook: each cell is checked after the ones before it, once
  const validateNext = validateInOrder();
  let cellsChecked = 0;
  loaded.notebook.cells.forEach((cell, index) => {
    if (cell.kind !== 'code' || cell.language !== 'bpnb') return;
    cellsChecked++;
    const { program, diagnostics } = parse(cell.source);
    for (const d of diagnostics.concat(validateNext(program.statements))) {
      const at = locator.position(index, d.span.start);
      const inCell = offsetToLineCol(cell.source, d.span.start);
      problems.push({
        severity: d.severity,
        code: d.code,
        message: formatDiagnostic(d),
        cell: index + 1,
        line: at?.line,
        column: at?.column,
        cellLine: inCell.line,
        cellColumn: inCell.col,
      });
    }
    locator.done(index);
  });
  return { problems, cellsChecked };
}

/**
 * `file:line:col: severity: message [code]` (file:cellN:line:col when the cell's text cannot be
 * found in the file).
 */
export function checkedLine(path: string, p: CheckedProblem): string {
  const where =
    p.line !== undefined ? `${p.line}:${p.column}` : `cell${p.cell}:${p.cellLine}:${p.cellColumn}`;
  return `${path}:${where}: ${p.severity}: ${p.message} [${p.code}]`;
}
