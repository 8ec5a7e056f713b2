/**
 * `bpnb check`: parses and validates every code cell without running anything. Each cell is
 * validated after the cells before it (their `network` lines give it a shape), as if run in order.
 */
import { parse } from '../language/parser';
import { validate } from '../language/validate';
import { formatDiagnostic, offsetToLineCol, type Diagnostic } from '../language/diagnostics';
import type { Statement } from '../language/ast';
import type { LoadedNotebook } from './load';
import { cellOffsetToFile } from './locate';

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
  const earlier: Statement[] = [];
  let cellsChecked = 0;
  let validatedBefore = 0;
  loaded.notebook.cells.forEach((cell, index) => {
    if (cell.kind !== 'code' || cell.language !== 'bpnb') return;
    cellsChecked++;
    const { program, diagnostics } = parse(cell.source);
    // validation runs over all statements so far; the diagnostics past the earlier cells' count are this cell's
    const all = validate({ statements: [...earlier, ...program.statements] });
    const own = [...diagnostics, ...all.slice(validatedBefore)];
    validatedBefore = all.length;
    earlier.push(...program.statements);
    for (const d of own) {
      const at = cellOffsetToFile(loaded.text, index, d.span.start);
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
  });
  return { problems, cellsChecked };
}

/** `file:line:col: severity: message [code]` (file:cellN:line:col when the cell's text cannot be found in the file). */
export function checkedLine(path: string, p: CheckedProblem): string {
  const where =
    p.line !== undefined ? `${p.line}:${p.column}` : `cell${p.cell}:${p.cellLine}:${p.cellColumn}`;
  return `${path}:${where}: ${p.severity}: ${p.message} [${p.code}]`;
}
