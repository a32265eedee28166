// Scorecard: load-time refusals name the element and attribute; records that leave a
// Characteristic without a true Attribute fail alone; reason codes are ranked by points.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, ModelLoadError, RecordError } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'y' }, { name: 's' }];

function card(attrs: string, characteristics: string, output = ''): string {
  return pmmlDoc(FIELDS, `<Scorecard functionName="regression" ${attrs}>${schema('s', ['x', 'y'])}${output}<Characteristics>${characteristics}</Characteristics></Scorecard>`);
}

const X = `<Characteristic name="cx" reasonCode="RX" baselineScore="5">
  <Attribute partialScore="1"><SimplePredicate field="x" operator="lessThan" value="0"/></Attribute>
  <Attribute partialScore="9"><SimplePredicate field="x" operator="greaterOrEqual" value="0"/></Attribute></Characteristic>`;
const Y = `<Characteristic name="cy" reasonCode="RY" baselineScore="5">
  <Attribute partialScore="2"><SimplePredicate field="y" operator="lessThan" value="0"/></Attribute>
  <Attribute partialScore="4"><True/></Attribute></Characteristic>`;
const REASONS = `<Output><OutputField name="r1" feature="reasonCode" rank="1" dataType="string"/><OutputField name="r2" feature="reasonCode" rank="2" dataType="string"/></Output>`;

function refuses(xml: string, ...parts: string[]): void {
  try {
    loadPmml(xml);
  } catch (err) {
    assert.instance(err, ModelLoadError);
    for (const p of parts) assert.match((err as Error).message, p);
    return;
  }
  assert.unreachable('expected a ModelLoadError');
}

test('refuses a Characteristic without baselineScore while reason codes are used, naming both', () => {
  refuses(card('', X.replace(' baselineScore="5"', '')), '<Characteristic name="cx">', 'baselineScore');
});

test('accepts a missing baselineScore when useReasonCodes="false"', () => {
  assert.is(loadPmml(card('useReasonCodes="false"', X.replace(' baselineScore="5"', ''))).score({ x: 1, y: 1 }).value, 9);
});

test('refuses an Attribute without a reasonCode anywhere, naming reasonCode', () => {
  refuses(card('', X.replace(' reasonCode="RX"', '')), '<Attribute>', 'reasonCode');
});

test('refuses an Attribute with neither partialScore nor ComplexPartialScore', () => {
  refuses(card('', X.replace('partialScore="1"', '')), 'partialScore', 'ComplexPartialScore');
});

test('refuses an unknown reasonCodeAlgorithm, naming it', () => {
  refuses(card('reasonCodeAlgorithm="pointsAround"', X), '<Scorecard>', 'reasonCodeAlgorithm="pointsAround"');
});

test('refuses functionName="classification"', () => {
  refuses(card('', X).replace('functionName="regression"', 'functionName="classification"'), '<Scorecard functionName="classification">');
});

test('a record with no true Attribute in a Characteristic is a RecordError naming it; the next record scores', () => {
  const model = loadPmml(card('', X.replace('<SimplePredicate field="x" operator="greaterOrEqual" value="0"/>', '<SimplePredicate field="x" operator="greaterThan" value="0"/>')));
  const [bad, good] = model.scoreBatch([{ x: 0, y: 1 }, { x: 1, y: 1 }]);
  assert.is(bad?.kind, 'failed');
  assert.match(bad?.kind === 'failed' ? bad.error.message : '', 'Characteristic "cx"');
  assert.equal(good?.kind === 'scored' ? good.prediction.value : undefined, 9);
});

test('a missing input makes its predicates UNKNOWN: the Attribute is skipped, and none left is a RecordError', () => {
  assert.throws(() => loadPmml(card('', X)).score({ x: null, y: 1 }), (e: unknown) => e instanceof RecordError);
});

test('reason codes rank by points below baseline, dropping negative ones; a rank past the list is null', () => {
  const model = loadPmml(card('initialScore="100"', X + Y, REASONS));
  // x<0: 5-1=4 below for RX; y<0: 5-2=3 for RY.
  assert.equal(model.score({ x: -1, y: -1 }).outputs, { r1: 'RX', r2: 'RY' });
  // x>=0: 5-9=-4 (dropped); y>=0: 5-4=1.
  assert.equal(model.score({ x: 1, y: 1 }), { value: 113, outputs: { r1: 'RY', r2: null } });
});

test('pointsAbove ranks by points above baseline', () => {
  const model = loadPmml(card('reasonCodeAlgorithm="pointsAbove"', X + Y, REASONS));
  assert.equal(model.score({ x: 1, y: -1 }).outputs, { r1: 'RX', r2: null });
});

test.run();
