/**
 * A very small stand-in for the browser DOM, enough for the views' SVG/HTML building code.
 * It records every use of innerHTML so tests can prove user text only ever becomes text nodes.
 */
export class FakeNode {
  parent: FakeElement | undefined;
  constructor(readonly nodeType: number) {}
  remove(): void {
    if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = undefined;
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super(3);
  }
}

export class FakeElement extends FakeNode {
  children: FakeNode[] = [];
  attributes = new Map<string, string>();
  listeners = new Map<string, ((ev: unknown) => void)[]>();
  style: Record<string, string> = {};
  innerHTMLWrites: string[] = [];
  id = '';
  nonce = '';
  constructor(
    readonly tagName: string,
    readonly doc: FakeDocument,
  ) {
    super(1);
  }
  get firstChild(): FakeNode | undefined {
    return this.children[0];
  }
  get ownerDocument(): FakeDocument {
    return this.doc;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  /** KaTeX sets its classes through `className` */
  set className(c: string) {
    this.attributes.set('class', c);
  }
  get className(): string {
    return this.attributes.get('class') ?? '';
  }
  appendChild(node: FakeNode): FakeNode {
    this.append(node);
    return node;
  }
  append(...nodes: (FakeNode | string)[]): void {
    for (const n of nodes) {
      const node = typeof n === 'string' ? new FakeText(n) : n;
      node.remove();
      node.parent = this;
      this.children.push(node);
    }
  }
  replaceChildren(...nodes: (FakeNode | string)[]): void {
    this.children.forEach((c) => (c.parent = undefined));
    this.children = [];
    this.append(...nodes);
  }
  addEventListener(type: string, f: (ev: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]);
  }
  set innerHTML(html: string) {
    this.innerHTMLWrites.push(html);
    this.doc.innerHTMLWrites.push(html);
  }
  set textContent(text: string) {
    this.replaceChildren(new FakeText(text));
  }
  get textContent(): string {
    return this.children
      .map((c) => (c instanceof FakeText ? c.data : (c as FakeElement).textContent))
      .join('');
  }
  get classList() {
    const cls = () => new Set((this.attributes.get('class') ?? '').split(/\s+/).filter(Boolean));
    const write = (s: Set<string>) => this.attributes.set('class', [...s].join(' '));
    return {
      add: (c: string) => write(cls().add(c)),
      remove: (c: string) => {
        const s = cls();
        s.delete(c);
        write(s);
      },
      toggle: (c: string, on?: boolean) => {
        const s = cls();
        if (on ?? !s.has(c)) s.add(c);
        else s.delete(c);
        write(s);
      },
      contains: (c: string) => cls().has(c),
    };
  }
  querySelector(): null {
    return null;
  }
  get parentNode(): FakeElement | undefined {
    return this.parent;
  }
  scrollTop = 0;
  /** every element below this one, depth first */
  *walk(): Generator<FakeElement> {
    for (const c of this.children)
      if (c instanceof FakeElement) {
        yield c;
        yield* c.walk();
      }
  }
  /** every text node below this one */
  texts(): string[] {
    return this.children.flatMap((c) =>
      c instanceof FakeText ? [c.data] : (c as FakeElement).texts(),
    );
  }
}

export class FakeDocument {
  innerHTMLWrites: string[] = [];
  head = new FakeElement('head', this);
  body = new FakeElement('body', this);
  createElement(tag: string): FakeElement {
    return new FakeElement(tag, this);
  }
  createElementNS(_ns: string, tag: string): FakeElement {
    return new FakeElement(tag, this);
  }
  createDocumentFragment(): FakeElement {
    return new FakeElement('#fragment', this);
  }
  createTextNode(text: string): FakeText {
    return new FakeText(text);
  }
  getElementById(id: string): FakeElement | undefined {
    return [...this.head.walk(), ...this.body.walk()].find((e) => e.id === id);
  }
}

/** Installs a fresh fake `document` as a global for the duration of a test. */
export function withFakeDocument<T>(f: (doc: FakeDocument) => T): T {
  const g = globalThis as unknown as { document?: unknown };
  const previous = g.document;
  const doc = new FakeDocument();
  g.document = doc;
  try {
    return f(doc);
  } finally {
    g.document = previous;
  }
}
