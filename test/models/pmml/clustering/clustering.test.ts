// ClusteringModel: load-time refusals name element and attribute; an all-missing record fails
// alone; the nearest center wins.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'y' }];

function km(inner: { measure?: string; fields?: string; clusters?: string; extra?: string } = {}, attrs = 'modelClass="centerBased"'): string {
  const fields = inner.fields ?? '<ClusteringField field="x"/><ClusteringField field="y"/>';
  const clusters = inner.clusters ?? '<Cluster id="o"><Array n="2" type="real">0 0</Array></Cluster><Cluster><Array n="2" type="real">3 4</Array></Cluster>';
  return pmmlDoc(FIELDS, `<ClusteringModel functionName="clustering" ${attrs} numberOfClusters="2">${schema(null, ['x', 'y'])}${inner.extra ?? ''}`
    + `<ComparisonMeasure kind="distance">${inner.measure ?? '<euclidean/>'}</ComparisonMeasure>${fields}${clusters}</ClusteringModel>`);
}

test('refuses modelClass="distributionBased", naming it', () => {
  refuses(km({}, 'modelClass="distributionBased"'), '<ClusteringModel>', 'modelClass="distributionBased"');
});

test('refuses a similarity measure, naming it', () => {
  refuses(km({ measure: '<jaccard/>' }), 'measure <jaccard>');
});

test('refuses gaussSim without similarityScale, naming the field', () => {
  refuses(km({ fields: '<ClusteringField field="x" compareFunction="gaussSim"/><ClusteringField field="y"/>' }), '<ClusteringField field="x" compareFunction="gaussSim">', 'similarityScale');
});

test('refuses a center with the wrong number of coordinates', () => {
  refuses(km({ clusters: '<Cluster id="o"><Array n="1" type="real">0</Array></Cluster>' }), '<Cluster id="o">', '1 coordinates');
});

test('refuses Targets', () => {
  refuses(km({ extra: '<Targets><Target rescaleFactor="2"/></Targets>' }), '<Targets>');
});

test('refuses functionName="regression"', () => {
  refuses(km().replace('functionName="clustering"', 'functionName="regression"'), 'functionName="regression"');
});

test('the nearest center wins; an unnamed cluster is numbered by position', () => {
  const m = loadPmml(km());
  assert.is(m.score({ x: 0.5, y: 0.5 }).value, 'o');
  assert.is(m.score({ x: 2.5, y: 4 }).value, 2);
});

test('a record with every field missing fails alone', () => {
  const [bad, good] = loadPmml(km()).scoreBatch([{ x: null, y: null }, { x: 1, y: 1 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind, 'scored');
});

test.run();
