// NearestNeighborModel: load-time refusals name element and attribute; a record with every
// KNNInput missing, or whose neighbor lacks a target value, fails alone; the nearest decide.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'y' }, { name: 'label', dataType: 'string', inner: '<Value value="A"/><Value value="B"/>' }];
const ROWS = '<row><x>0</x><y>0</y><label>A</label></row><row><x>1</x><y>1</y><label>A</label></row><row><x>5</x><y>5</y><label>B</label></row>';

function knn(opts: { attrs?: string; rows?: string; measure?: string; inputs?: string; instanceFields?: string; extra?: string } = {}): string {
  const fields = opts.instanceFields ?? '<InstanceField field="x" column="x"/><InstanceField field="y" column="y"/><InstanceField field="label" column="label"/>';
  return pmmlDoc(FIELDS, `<NearestNeighborModel functionName="classification"${opts.attrs ?? ' numberOfNeighbors="1"'}>${schema('label', ['x', 'y'])}`
    + `<TrainingInstances><InstanceFields>${fields}</InstanceFields>${opts.extra ?? `<InlineTable>${opts.rows ?? ROWS}</InlineTable>`}</TrainingInstances>`
    + `<ComparisonMeasure kind="distance">${opts.measure ?? '<euclidean/>'}</ComparisonMeasure>`
    + `<KNNInputs>${opts.inputs ?? '<KNNInput field="x"/><KNNInput field="y"/>'}</KNNInputs></NearestNeighborModel>`);
}

test('refuses numberOfNeighbors beyond the training instances, naming it', () => {
  refuses(knn({ attrs: ' numberOfNeighbors="4"' }), '<NearestNeighborModel>', 'numberOfNeighbors="4"');
});

test('refuses a missing numberOfNeighbors', () => {
  refuses(knn({ attrs: '' }), '<NearestNeighborModel>', 'numberOfNeighbors');
});

test('refuses a similarity measure, naming it', () => {
  refuses(knn({ measure: '<jaccard/>' }), 'measure <jaccard>');
});

test('refuses gaussSim on a KNNInput, naming the attribute', () => {
  refuses(knn({ inputs: '<KNNInput field="x" compareFunction="gaussSim"/><KNNInput field="y"/>' }), '<KNNInput', 'compareFunction="gaussSim"');
});

test('refuses a KNNInput that is no InstanceField', () => {
  refuses(knn({ instanceFields: '<InstanceField field="x" column="x"/><InstanceField field="label" column="label"/>' }), '<KNNInput field="y">', 'not an <InstanceField>');
});

test('refuses a TableLocator', () => {
  refuses(knn({ extra: '<TableLocator/>' }), '<TableLocator>');
});

test('refuses a training cell that is not of its field\'s dataType', () => {
  refuses(knn({ rows: '<row><x>zero</x><y>0</y><label>A</label></row>' }), 'x="zero"', 'double');
});

test('the nearest instance decides; entity ids are row numbers without instanceIdVariable', () => {
  const m = loadPmml(knn().replace('</NearestNeighborModel>', '<Output><OutputField name="id" feature="entityId" dataType="string"/></Output></NearestNeighborModel>'));
  const p = m.score({ x: 4, y: 4.5 });
  assert.is(p.value, 'B');
  assert.equal(p.outputs, { id: '3' });
});

test('a record with every KNNInput missing fails alone', () => {
  const [bad, good] = loadPmml(knn()).scoreBatch([{ x: null, y: null }, { x: 1, y: 1 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind, 'scored');
});

test('a neighbor without a target value fails that record alone', () => {
  const m = loadPmml(knn({ rows: ROWS.replace('<label>B</label>', '<label></label>') }));
  const [bad, good] = m.scoreBatch([{ x: 5, y: 5 }, { x: 0, y: 0 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind, 'scored');
});

test.run();
