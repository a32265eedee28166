// NearestNeighborModel: load-time refusals name element and attribute; a record with every
// KNNInput missing, a missing flag under a similarity, or a neighbor without a target value
// fails alone; the nearest decide. Comparisons with JPMML are in jpmml.test.ts.
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

test('refuses an unknown measure, naming it', () => {
  refuses(knn({ measure: '<cosine/>' }), 'measure <cosine>');
});

test('refuses a weighted vote under a similarity measure, naming the attribute', () => {
  const flags = '<row><x>0</x><y>1</y><label>A</label></row><row><x>1</x><y>1</y><label>B</label></row>';
  refuses(knn({ attrs: ' numberOfNeighbors="1" categoricalScoringMethod="weightedMajorityVote"', measure: '<jaccard/>', rows: flags }), 'categoricalScoringMethod="weightedMajorityVote"', 'similarity');
});

test('refuses a training value that is not a flag under a similarity measure, naming the row', () => {
  refuses(knn({ measure: '<jaccard/>' }), '<TrainingInstances> row 3', 'KNNInput "x"');
});

test('refuses clustering without instanceIdVariable, naming the attribute', () => {
  const xml = knn().replace('functionName="classification"', 'functionName="clustering"').replace('<MiningField name="label" usageType="target"/>', '');
  refuses(xml, 'functionName="clustering"', 'instanceIdVariable');
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

test('refuses a training cell its MiningField finds invalid, naming the row and the field', () => {
  refuses(knn({ rows: '<row><x>zero</x><y>0</y><label>A</label></row>' }), '<TrainingInstances> row 1', '<KNNInput field="x">', '"zero"');
});

test('a missing input under a similarity measure fails that record alone', () => {
  const flags = '<row><x>0</x><y>1</y><label>A</label></row><row><x>1</x><y>1</y><label>B</label></row>';
  const [bad, good] = loadPmml(knn({ measure: '<simpleMatching/>', rows: flags })).scoreBatch([{ x: null, y: 1 }, { x: 1, y: 1 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind === 'scored' && good.prediction.value, 'B');
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
