import * as assert from 'assert/strict';
import { parseQuantity, quantityLabel } from '../../../src/language/quantity';

function q(text: string): string {
  const r = parseQuantity(text, 0);
  if (!r.quantity) return r.diagnostics.map((d) => d.code).join(',');
  return JSON.stringify(r.quantity, (key, value) =>
    key === 'text' || key === 'span' ? undefined : value,
  );
}

describe('language/quantity', () => {
  const cases: [string, string][] = [
    ['E', '{"kind":"loss"}'],
    ['x2', '{"kind":"input","node":2}'],
    ['x12', '{"kind":"input","node":12}'],
    ['t1', '{"kind":"target","node":1}'],
    ['z1[2]', '{"kind":"preActivation","node":1,"layer":2}'],
    ['a3[2]', '{"kind":"activation","node":3,"layer":2}'],
    ['δ1[3]', '{"kind":"delta","node":1,"layer":3}'],
    ['d2[3]', '{"kind":"delta","node":2,"layer":3}'],
    ['delta2[3]', '{"kind":"delta","node":2,"layer":3}'],
    ['b1[2]', '{"kind":"bias","node":1,"layer":2}'],
    ['w21[2]', '{"kind":"weight","from":2,"to":1,"layer":2}'],
    ['w(12,3)[2]', '{"kind":"weight","from":12,"to":3,"layer":2}'],
    ['w( 1 , 2 )[1]', '{"kind":"weight","from":1,"to":2,"layer":1}'],
    ['z(12)[2]', '{"kind":"preActivation","node":12,"layer":2}'],
    ['δ(12)[3]', '{"kind":"delta","node":12,"layer":3}'],
    ['dE/dw11[1]', '{"kind":"weightGrad","from":1,"to":1,"layer":1}'],
    ['∂E/∂w(10,2)[1]', '{"kind":"weightGrad","from":10,"to":2,"layer":1}'],
    ['dE/db1[2]', '{"kind":"biasGrad","node":1,"layer":2}'],
    ['dE/dz1[2]', '{"kind":"delta","node":1,"layer":2}'],
    ['w123[1]', 'BPNB120'],
    ['w1[1]', 'BPNB120'],
    ['z12[2]', 'BPNB120'],
    ['w11', 'BPNB121'],
    ['z1[]', 'BPNB121'],
    ['w01[1]', 'BPNB123'],
    ['z1[0]', 'BPNB123'],
    ['w(1)[1]', 'BPNB102'],
    ['z(1,2)[1]', 'BPNB102'],
    ['dE/da1[2]', '{"kind":"activationGrad","node":1,"layer":2}'],
    ['∂E/∂a(12)[3]', '{"kind":"activationGrad","node":12,"layer":3}'],
    ['dE/dx2', '{"kind":"activationGrad","node":2,"layer":1}'],
    ['dE/da2[1]', '{"kind":"activationGrad","node":2,"layer":1}'],
    ['dE/dx1(s3)', '{"kind":"activationGrad","node":1,"layer":1,"row":3}'],
    ['dE/dx1[1]', 'BPNB124'],
    ['dE/dt1', 'BPNB124'],
    ['dE/dw11[1](s2)', 'BPNB124'],
    ['x1[1]', 'BPNB124'],
  ];
  for (const [text, expected] of cases)
    it(`${text} → ${expected}`, () => assert.equal(q(text), expected));

  it('the ambiguity diagnostic suggests the parenthesised form', () => {
    assert.equal(parseQuantity('z12[2]', 0).diagnostics[0].args.suggestion, 'z(12)[2]');
  });
  it('spans are offset by the token start', () => {
    assert.deepEqual(parseQuantity('w11[1]', 10).quantity?.span, { start: 10, end: 16 });
  });
  const labels: [string, string][] = [
    ['δ1[2]', 'd1[2]'],
    ['∂E/∂w11[1]', 'dE/dw11[1]'],
    ['w(12,3)[2]', 'w(12,3)[2]'],
    ['z(12)[2]', 'z(12)[2]'],
    ['∂E/∂b1[2]', 'dE/db1[2]'],
    ['∂E/∂x1', 'dE/dx1'],
    ['∂E/∂x2', 'dE/da2[1]'],
    ['∂E/∂a1[2]', 'dE/da1[2]'],
  ];
  for (const [label, written] of labels) {
    it(`label of ${written} is ${label}`, () =>
      assert.equal(quantityLabel(parseQuantity(written, 0).quantity!), label));
  }
  it('every label parses back to the same quantity', () => {
    for (const written of ['E', 'x3', 't(11)', 'a1[1]', 'b(10)[3]', 'w(1,10)[1]', 'dE/db2[2]']) {
      const first = parseQuantity(written, 0).quantity!;
      const again = parseQuantity(quantityLabel(first), 0).quantity!;
      assert.equal(quantityLabel(again), quantityLabel(first), written);
    }
  });
});
