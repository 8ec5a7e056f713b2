import * as vscode from 'vscode';
import {
  parse,
  validate,
  completionsAt,
  quantityAt,
  formatDiagnostic,
  namesIn,
  nameAt,
  expressionRefs,
  expressionRefAt,
  expressionNamesIn,
  type Completion,
  type ExprNameRef,
  type QuantityRef,
} from '../language';
import type { BpnbController, CellValues } from './controller';
import { STALE_REASON } from './staleCells';
import type { RecordedValue } from '../runtime/types';
import { fmt } from '../runtime/errors';
import { firstPass } from '../runtime/statements';

const SELECTOR: vscode.DocumentSelector = { language: 'bpnb' };

/** Meaning of a quantity in the seed's words, for hovers before anything has run. */
function meaning(q: QuantityRef): string {
  switch (q.kind) {
    case 'loss':
      return 'the error E';
    case 'input':
      return `input x${q.node} (node ${q.node}[1])`;
    case 'target':
      return `target t${q.node} for output node ${q.node}`;
    case 'preActivation':
      return `weighted input of node ${q.node}[${q.layer}]`;
    case 'activation':
      return `output of node ${q.node}[${q.layer}]: g(z)`;
    case 'delta':
      return `error propagated by node ${q.node}[${q.layer}]: ∂E/∂z`;
    case 'bias':
      return `bias of node ${q.node}[${q.layer}]`;
    case 'weight':
      return `weight from node ${q.from}[${q.layer}] to node ${q.to}[${q.layer + 1}]`;
    case 'weightGrad':
      return (
        `derivative of E with respect to the weight from ${q.from}[${q.layer}] to ${q.to}[` +
        `${q.layer + 1}]`
      );
    case 'biasGrad':
      return `derivative of E with respect to the bias of ${q.node}[${q.layer}]`;
    case 'activationGrad':
      return q.layer === 1
        ? `derivative of E with respect to input x${q.node}: Σj w${q.node}j[1]·δj[2]`
        : `derivative of E with respect to the output of node ${q.node}[${q.layer}]`;
  }
}

function cellOf(
  doc: vscode.TextDocument,
): { notebook: vscode.NotebookDocument; index: number } | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.notebookType !== 'bpnb') continue;
    const index = notebook.getCells().findIndex((c) => c.document === doc);
    if (index >= 0) return { notebook, index };
  }
  return undefined;
}

/**
 * The text of the code cells before this one and of this one, joined, with the offset where
 * this cell starts: validating the whole prefix tracks the network that earlier cells define.
 */
function withEarlierCells(doc: vscode.TextDocument): { text: string; start: number } {
  const at = cellOf(doc);
  const earlier = at
    ? at.notebook
        .getCells()
        .slice(0, at.index)
        .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'bpnb')
    : [];
  const prefix = earlier.map((c) => c.document.getText() + '\n').join('');
  return { text: prefix + doc.getText(), start: prefix.length };
}

/**
 * The values of this cell's own last run, while its text is the text that ran (their offsets are
 * into it); 'not run' for a cell that has not run in this session, 'edited' for one changed since.
 */
function ownRun(
  controller: BpnbController,
  doc: vscode.TextDocument,
): { run: CellValues; at: Map<number, RecordedValue> } | 'not run' | 'edited' {
  const at = cellOf(doc);
  const run = at && controller.valuesOf(at.notebook.cellAt(at.index));
  if (!run) return 'not run';
  if (run.text !== doc.getText()) return 'edited';
  return { run, at: new Map(run.values.map((v) => [v.start, v])) };
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function diagnose(doc: vscode.TextDocument, collection: vscode.DiagnosticCollection): void {
  if (doc.languageId !== 'bpnb') return;
  const { text, start } = withEarlierCells(doc);
  const { program, diagnostics } = parse(text);
  const all = [...diagnostics, ...validate(program)];
  const own = all.filter((d) => d.span.start >= start);
  collection.set(
    doc.uri,
    own.map((d) => {
      const range = new vscode.Range(
        doc.positionAt(d.span.start - start),
        doc.positionAt(Math.max(d.span.end, d.span.start) - start),
      );
      const diag = new vscode.Diagnostic(range, formatDiagnostic(d), SEVERITY[d.severity]);
      diag.code = d.code;
      diag.source = 'bpnb';
      return diag;
    }),
  );
}

const COMPLETION_KIND: Record<Completion['kind'], vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  activation: vscode.CompletionItemKind.Function,
  loss: vscode.CompletionItemKind.Function,
  dataset: vscode.CompletionItemKind.Module,
  quantity: vscode.CompletionItemKind.Variable,
  group: vscode.CompletionItemKind.Enum,
  optimiser: vscode.CompletionItemKind.Function,
  init: vscode.CompletionItemKind.Function,
  option: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  name: vscode.CompletionItemKind.Variable,
  function: vscode.CompletionItemKind.Function,
};

/**
 * Semantic token types of computation-graph names (the TextMate grammar cannot know which words are
 * names).
 */
const TOKEN_TYPES: Record<ExprNameRef['role'], string> = {
  value: 'variable',
  function: 'function',
  parameter: 'parameter',
  builtin: 'function',
  constant: 'variable',
};
const LEGEND = new vscode.SemanticTokensLegend(
  ['variable', 'function', 'parameter'],
  ['declaration', 'readonly', 'defaultLibrary'],
);

/** The hover of a computation-graph name: what it is, and its value and gradient after a run. */
function expressionHover(
  ref: ExprNameRef,
  session: ReturnType<BpnbController['sessionFor']>,
): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  md.supportHtml = false;
  const info = session?.describeExpression(ref.name);
  switch (ref.role) {
    case 'builtin':
      md.appendText(`${ref.name}: a built-in function`);
      return md;
    case 'constant':
      md.appendText(`${ref.name}: a constant`);
      return md;
    case 'parameter':
      md.appendText(
        `${ref.name}: a parameter of ${ref.what ?? 'function'} ${ref.owner ?? ''}`.trimEnd(),
      );
      return md;
    case 'function':
      md.appendText(`${ref.name}: a user-defined ${ref.what ?? 'activation or loss'}`);
      if (info?.kind === 'function') md.appendText(`\n\n${info.formula}\n${info.derivative}`);
      else md.appendText('\n\n(run the cell that defines it to see its formula)');
      return md;
    case 'value':
      md.appendText(`${ref.name}: a value of the computation graph`);
      if (info?.kind === 'value') {
        md.appendText(`\n\n${ref.name} = ${fmt(info.value)}`);
        if (info.gradient)
          md.appendText(
            `\n∂${info.gradient.of}/∂${ref.name} = ${fmt(info.gradient.value)} (backward ` +
              `${info.gradient.of})`,
          );
        else md.appendText(`\n(no backward pass has reached ${ref.name} yet)`);
      } else md.appendText('\n\n(run the cells to see its value)');
      return md;
  }
}

/**
 * Diagnostics as you type, completion, hovers and inlay values from each cell's own run, go to
 * definition, code lenses.
 */
export function registerLanguageFeatures(controller: BpnbController): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('bpnb');
  const refreshAll = () => vscode.workspace.textDocuments.forEach((d) => diagnose(d, collection));
  refreshAll();
  const hintsChanged = new vscode.EventEmitter<void>();
  return [
    collection,
    hintsChanged,
    controller.onDidRun(() => hintsChanged.fire()),
    vscode.workspace.onDidChangeTextDocument((e) => diagnose(e.document, collection)),
    vscode.workspace.onDidOpenTextDocument((d) => diagnose(d, collection)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        provideCompletionItems(doc, position) {
          const at = cellOf(doc);
          const shape = at ? controller.sessionFor(at.notebook)?.shape() : undefined;
          const offset = doc.offsetAt(position);
          // names defined before the cursor (earlier cells too) and those the last run left
          const { text, start } = withEarlierCells(doc);
          const typed = expressionNamesIn(text.slice(0, start + offset));
          const ran = at ? controller.sessionFor(at.notebook)?.names().expressions : undefined;
          const names = {
            values: [...new Set([...typed.values, ...(ran?.values ?? [])])],
            functions: [...typed.functions, ...(ran?.functions ?? [])].filter(
              (f, i, all) => all.findIndex((g) => g.name === f.name) === i,
            ),
          };
          return completionsAt(doc.getText(), offset, shape, names).map((c) => {
            const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
            item.range = new vscode.Range(doc.positionAt(c.span.start), doc.positionAt(c.span.end));
            if (c.detail) item.detail = c.detail;
            return item;
          });
        },
      },
      '[',
      ' ',
    ),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(doc, position) {
        const q = quantityAt(doc.getText(), doc.offsetAt(position));
        const at = cellOf(doc);
        if (!q) {
          const ref = expressionRefAt(doc.getText(), doc.offsetAt(position));
          if (!ref) return undefined;
          return new vscode.Hover(
            expressionHover(ref, at ? controller.sessionFor(at.notebook) : undefined),
            new vscode.Range(doc.positionAt(ref.span.start), doc.positionAt(ref.span.end)),
          );
        }
        const own = ownRun(controller, doc);
        const value = typeof own === 'string' ? undefined : own.at.get(q.span.start);
        const md = new vscode.MarkdownString();
        md.isTrusted = false;
        md.supportHtml = false;
        md.appendText(`${q.text}: ${meaning(q)}`);
        if (value) {
          md.appendText(`\n\n${q.text} = ${fmt(value.value)}`);
          if (value.gradient !== undefined)
            md.appendText(`\n∂E/∂${q.text} = ${fmt(value.gradient)}`);
          md.appendText('\n(as this line left it when the cell ran)');
        } else if (own === 'edited')
          md.appendText('\n\n(the cell changed since it ran: run it to see its value)');
        else if (own === 'not run') md.appendText('\n\n(run this cell to see its value)');
        else md.appendText('\n\n(no value: this line did not run, or has none)');
        if (typeof own !== 'string' && own.run.stale)
          md.appendText(
            `\n\nThis cell is stale: ${STALE_REASON}. These are the numbers of its own run, ` +
              'on the network as it was; run it again to see the current network.',
          );
        return new vscode.Hover(
          md,
          new vscode.Range(doc.positionAt(q.span.start), doc.positionAt(q.span.end)),
        );
      },
    }),
    vscode.languages.registerDocumentSemanticTokensProvider(
      SELECTOR,
      {
        provideDocumentSemanticTokens(doc) {
          const builder = new vscode.SemanticTokensBuilder(LEGEND);
          for (const r of expressionRefs(doc.getText())) {
            const start = doc.positionAt(r.span.start);
            const end = doc.positionAt(r.span.end);
            if (start.line !== end.line) continue;
            const modifiers = [
              ...(r.defines ? ['declaration'] : []),
              ...(r.role === 'constant' ? ['readonly'] : []),
              ...(r.role === 'builtin' || r.role === 'constant' ? ['defaultLibrary'] : []),
            ];
            builder.push(new vscode.Range(start, end), TOKEN_TYPES[r.role], modifiers);
          }
          return builder.build();
        },
      },
      LEGEND,
    ),
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      provideDefinition(doc, position) {
        const at = cellOf(doc);
        const ref = at ? nameAt(doc.getText(), doc.offsetAt(position)) : undefined;
        if (!at || !ref) return undefined;
        for (const cell of at.notebook.getCells()) {
          const def = namesIn(cell.document.getText()).find(
            (r) => r.defines && r.kind === ref.kind && r.name === ref.name,
          );
          if (def)
            return new vscode.Location(cell.document.uri, cell.document.positionAt(def.span.start));
        }
        return undefined;
      },
    }),
    vscode.languages.registerInlayHintsProvider(SELECTOR, {
      onDidChangeInlayHints: hintsChanged.event,
      provideInlayHints(doc, range) {
        if (
          !vscode.workspace.getConfiguration('backpropNotebook').get<boolean>('inlayValues', true)
        )
          return [];
        // the numbers of this cell's own run, as each line left them (none before it runs)
        const own = ownRun(controller, doc);
        if (typeof own === 'string') return [];
        const text = doc.getText();
        // not on the target of `w11[1] = 0.15`
        const targets = new Set(
          parse(text).program.statements.flatMap((st) =>
            st.kind === 'assign' ? [st.target.span.start] : [],
          ),
        );
        const hints: vscode.InlayHint[] = [];
        for (const value of own.run.values) {
          if (hints.length >= 200) break;
          const end = doc.positionAt(value.end);
          if (!range.contains(end) || targets.has(value.start)) continue;
          hints.push(
            new vscode.InlayHint(end, ` ${fmt(value.value)}`, vscode.InlayHintKind.Parameter),
          );
        }
        return hints;
      },
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, {
      provideCodeLenses(doc) {
        const pass = firstPass(parse(doc.getText()).program);
        if (!pass) return [];
        const line = doc.lineAt(doc.positionAt(pass.span.start).line);
        return [
          new vscode.CodeLens(line.range, {
            title: 'Show in Network Panel',
            command: 'backpropNotebook.showPanel',
          }),
        ];
      },
    }),
  ];
}
