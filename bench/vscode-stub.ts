/**
 * Just enough of the `vscode` module to time the extension outside VS Code (bench/product.ts, which
 * is bundled with `vscode` aliased to this file; the activation child process gets vscodeModule()):
 * the notebook data classes the serializer builds, and for everything else a "do nothing" proxy
 * (every property is a callable that returns another such proxy, usable as a disposable).
 * Not a test double: nothing here checks behaviour.
 */

function inert(): unknown {
  const fn = function () {
    /* nothing */
  };
  return new Proxy(fn, {
    get: (_t, key) =>
      key === Symbol.toPrimitive
        ? () => ''
        : key === 'then'
          ? undefined
          : key === 'get'
            ? (_k: string, def?: unknown) => def
            : inert(),
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

export enum NotebookCellKind {
  Markup = 1,
  Code = 2,
}

export class NotebookCellOutputItem {
  constructor(
    public data: Uint8Array,
    public mime: string,
  ) {}
}

export class NotebookCellOutput {
  constructor(
    public items: NotebookCellOutputItem[],
    public metadata?: Record<string, unknown>,
  ) {}
}

export class NotebookCellData {
  metadata?: Record<string, unknown>;
  outputs?: NotebookCellOutput[];
  executionSummary?: {
    executionOrder?: number;
    success?: boolean;
    timing?: { startTime: number; endTime: number };
  };
  constructor(
    public kind: NotebookCellKind,
    public value: string,
    public languageId: string,
  ) {}
}

export class NotebookData {
  metadata?: Record<string, unknown>;
  constructor(public cells: NotebookCellData[]) {}
}

/** settings: always the default */
export const workspace = {
  getConfiguration: () => ({ get: <T>(_key: string, def?: T): T | undefined => def }),
};

const known: Record<string, unknown> = {
  NotebookCellKind,
  NotebookCellOutputItem,
  NotebookCellOutput,
  NotebookCellData,
  NotebookData,
};

/**
 * The module object for code bundled with `vscode` external (the activation child process): the
 * known classes, and an inert proxy under every other exported name of the API (`names`, read from
 * @types/vscode), since esbuild's CommonJS interop copies the module's own keys.
 */
export function vscodeModule(names: string[]): Record<string, unknown> {
  const module: Record<string, unknown> = {};
  for (const name of names) module[name] = inert();
  return Object.assign(module, known, {
    workspace: new Proxy(workspace, {
      get: (t, k) => (k in t ? t[k as 'getConfiguration'] : inert()),
    }),
  });
}
