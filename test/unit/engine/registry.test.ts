import * as assert from 'node:assert/strict';
import katex from 'katex';
import {
  ACTIVATION_LIST,
  activationDef,
  createNetwork,
  LOSS_LIST,
  validateSpec,
  type NetworkSpec,
} from '../../../src/engine';
import { ACTIVATIONS, ACTIVATION_ALIASES, LOSSES, parse } from '../../../src/language';

// The records of engine/activations.ts and engine/losses.ts are the one definition of each
// activation and loss; these check what the records promise about themselves.

describe('engine: the activation and loss records', () => {
  const words = [
    ...ACTIVATION_LIST.flatMap((d) => [d.kind, ...d.aliases]),
    ...LOSS_LIST.flatMap((d) => [d.kind, ...d.aliases]),
  ];
  it('no keyword or alias is used twice', () => assert.equal(new Set(words).size, words.length));

  for (const d of [...ACTIVATION_LIST, ...LOSS_LIST]) {
    const forms = 'formula' in d ? [d.latex.g, d.latex.slope] : [d.latex];
    it(`${d.kind}: its LaTeX renders with KaTeX`, () => {
      for (const tex of forms) katex.renderToString(tex, { throwOnError: true });
    });
  }

  it('the language offers exactly the records, with their aliases', () => {
    assert.deepEqual(
      ACTIVATIONS,
      ACTIVATION_LIST.map((d) => d.kind),
    );
    assert.deepEqual(
      LOSSES,
      LOSS_LIST.map((d) => d.kind),
    );
    for (const d of ACTIVATION_LIST)
      for (const alias of d.aliases) assert.equal(ACTIVATION_ALIASES[alias], d.kind);
  });

  it('every activation parses as a layer, with its parameter when it has one', () => {
    for (const d of ACTIVATION_LIST) {
      const written = d.parameter ? `${d.kind}(${d.parameter.default})` : d.kind;
      const { diagnostics, program } = parse(`network 2 -> ${written}`.replace('-> ', '-> 3 '));
      assert.deepEqual(diagnostics, [], written);
      const layer =
        program.statements[0].kind === 'network' ? program.statements[0].layers[1] : undefined;
      assert.equal(layer?.activation?.name, d.kind);
    }
  });

  it('an unknown activation or loss is an invalid spec, never identity', () => {
    const spec = (kind: string, loss = 'half-squared') =>
      ({
        sizes: [1, 1],
        activations: [{ kind }],
        bias: [true],
        loss,
      }) as unknown as NetworkSpec;
    assert.equal(activationDef('sigmod'), undefined);
    assert.equal(activationDef('toString'), undefined);
    assert.match(validateSpec(spec('sigmod')).join(), /unknown activation sigmod/);
    assert.match(validateSpec(spec('sigmoid', 'hinge')).join(), /unknown loss hinge/);
    const made = createNetwork(spec('sigmod'));
    assert.equal(made.ok, false);
  });

  it('a parameter is refused on an activation without one, and below its least value', () => {
    const spec = (kind: string, alpha: number) =>
      ({
        sizes: [1, 1],
        activations: [{ kind, alpha }],
        bias: [true],
        loss: 'half-squared',
      }) as unknown as NetworkSpec;
    for (const d of ACTIVATION_LIST) {
      const p = d.parameter;
      if (p) assert.notDeepEqual(validateSpec(spec(d.kind, p.min - 1)), [], d.kind);
      else assert.match(validateSpec(spec(d.kind, 0.5)).join(), /takes no parameter/, d.kind);
    }
  });
});
