/**
 * The cell language: parse a cell, validate it against a session, format diagnostics, help the
 * editor.
 */
export { parse, isWorkspaceRelative, type ParseResult } from './parser';
export { validate, type NetworkShape, type SessionNames } from './validate';
export {
  formatDiagnostic,
  formatDiagnosticLocation,
  offsetToLineCol,
  DIAGNOSTIC_CODES,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from './diagnostics';
export {
  completionsAt,
  quantityAt,
  quantityLabels,
  nameAt,
  namesIn,
  type Completion,
  type CompletionKind,
  type NameRef,
} from './completion';
export { parseQuantity, quantityLabel } from './quantity';
export {
  expressionRefs,
  expressionRefAt,
  expressionNamesIn,
  type ExprNameRef,
  type ExprRole,
} from './exprRefs';
export { scan, type Token, type TokenKind } from './scanner';
export type * from './ast';
export * from './vocabulary';
export {
  parseExpression,
  checkExpression,
  exprNames,
  EXPRESSION_FUNCTIONS,
  EXPRESSION_CONSTANTS,
  type Expr,
  type ExpressionResult,
} from './expr';
