// The family plug-in contract: a family compiles its element into a scoring function using the
// pipeline's field lookup and expression compiler; the pipeline adds MiningSchema and Targets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../lib/models/index.ts';
import type { ModelFamily } from '../../../lib/models/pmml/family.ts';
import { pmmlDoc, schema } from './snippets.ts';

/** A toy family: <DoubleModel field="x"/> predicts 2·x. */
const doubling: ModelFamily = {
  element: 'DoubleModel',
  compile(model, ctx) {
    const get = ctx.field(model.attrs['field'] ?? '', model).get;
    return { functionName: ctx.functionName, labels: [], score: (s) => { const v = get(s); return { value: v === null ? null : 2 * (v as number) }; } };
  },
};
const doc = pmmlDoc([{ name: 'x' }, { name: 'y' }], `<DoubleModel functionName="regression" field="x">
  ${schema('y', ['<MiningField name="x" missingValueReplacement="5"/>'])}
  <Targets><Target field="y" rescaleConstant="1"/></Targets></DoubleModel>`);

test('a registered family scores through the pipeline (MiningSchema replacement, Targets)', () => {
  const m = loadPmml(doc, { families: new Map([[doubling.element, doubling]]) });
  assert.is(m.score({ x: 3 }).value, 7);
  assert.is(m.score({}).value, 11);
});

test('without the family the element is rejected at load', () => {
  assert.throws(() => loadPmml(doc), /<DoubleModel> is not supported/);
});

test('a family resolving an unknown field fails the load', () => {
  const bad = doc.replace('field="x"', 'field="nope"');
  assert.throws(() => loadPmml(bad, { families: new Map([[doubling.element, doubling]]) }), /unknown field "nope"/);
});

test.run();
