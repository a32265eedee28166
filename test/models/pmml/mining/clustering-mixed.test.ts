// MiningModel functionName="clustering" (a vote over ClusteringModel segments) and
// x-multiModelChain (functionName="mixed": every selected segment's target, each segment's
// Output fields while it ran), and the methods each refuses, by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'y' }];

/** A one-dimensional k-means segment with clusters at the given centers (ids c0, c1, ...). */
const kmeans = (centers: readonly number[], weight = 1, when = '<True/>') => `<Segment weight="${weight}">${when}
  <ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="${centers.length}">${schema(null, ['x'])}
    <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure><ClusteringField field="x"/>
    ${centers.map((c, i) => `<Cluster id="c${i}"><Array n="1" type="real">${c}</Array></Cluster>`).join('')}
  </ClusteringModel></Segment>`;

const ensembleDoc = (method: string, segs: string) => pmmlDoc(FIELDS,
  `<MiningModel functionName="clustering">${schema(null, ['x'])}<Output><OutputField name="cluster" feature="predictedValue" dataType="string"/></Output>
   <Segmentation multipleModelMethod="${method}">${segs}</Segmentation></MiningModel>`);
const ensemble = (method: string, segs: string) => loadPmml(ensembleDoc(method, segs));

test('majorityVote: the cluster most segments choose', () => {
  const m = ensemble('majorityVote', kmeans([0, 10]) + kmeans([10, 0]) + kmeans([0, 10]));
  // Segments 1 and 3 put x=1 in c0, segment 2 in c1.
  assert.equal(m.score({ x: 1 }), { value: 'c0', outputs: { cluster: 'c0' } });
});

test('majorityVote: a tie goes to the cluster voted for first', () => {
  assert.is(ensemble('majorityVote', kmeans([10, 0]) + kmeans([0, 10])).score({ x: 1 }).value, 'c1');
});

test('weightedMajorityVote: segment weights count', () => {
  assert.is(ensemble('weightedMajorityVote', kmeans([0, 10], 1) + kmeans([10, 0], 3)).score({ x: 1 }).value, 'c1');
});

test('selectFirst: the first selected segment\'s cluster', () => {
  const m = ensemble('selectFirst', kmeans([10, 0], 1, '<SimplePredicate field="x" operator="lessThan" value="1.5"/>') + kmeans([0, 10]));
  // x=1: the first segment (c1 at 0) is selected, though the second would say c0; x=2: only the second is.
  assert.is(m.score({ x: 1 }).value, 'c1');
  assert.is(m.score({ x: 2 }).value, 'c0');
});

test('refuses an averaging method for clustering, naming it', () => {
  refuses(ensembleDoc('average', kmeans([0, 1])), 'multipleModelMethod="average"', 'functionName="clustering"');
});

const CHAIN_FIELDS = [{ name: 'x' }, { name: 'y1', dataType: 'string', inner: '<Value value="lo"/><Value value="hi"/>' }, { name: 'y2' }, { name: 'y3' }];

function mixedDoc(method: string, segs: string, functionName = 'mixed'): string {
  return pmmlDoc(CHAIN_FIELDS, `<MiningModel functionName="${functionName}">
    <MiningSchema><MiningField name="x"/><MiningField name="y1" usageType="target"/><MiningField name="y2" usageType="target"/><MiningField name="y3" usageType="target"/></MiningSchema>
    <Segmentation multipleModelMethod="${method}">${segs}</Segmentation></MiningModel>`);
}

const CHAIN = `<Segment><SimplePredicate field="x" operator="isNotMissing"/>
    <TreeModel functionName="classification"><MiningSchema><MiningField name="x"/><MiningField name="y1" usageType="target"/></MiningSchema>
      <Output><OutputField name="p_hi" feature="probability" value="hi" dataType="double"/></Output>
      <Node score="lo"><True/><ScoreDistribution value="lo" recordCount="3"/><ScoreDistribution value="hi" recordCount="1"/>
        <Node score="hi"><SimplePredicate field="x" operator="greaterThan" value="0"/><ScoreDistribution value="lo" recordCount="1"/><ScoreDistribution value="hi" recordCount="4"/></Node>
      </Node></TreeModel></Segment>
  <Segment><True/><RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y2" usageType="target"/></MiningSchema>
    <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></Segment>
  <Segment><True/><RegressionModel functionName="regression"><MiningSchema><MiningField name="p_hi"/><MiningField name="y3" usageType="target"/></MiningSchema>
    <RegressionTable intercept="0"><NumericPredictor name="p_hi" coefficient="10"/></RegressionTable></RegressionModel></Segment>`;

test('x-multiModelChain: every target, the first one\'s value and probabilities, a later segment reading an earlier one\'s output', () => {
  const p = loadPmml(mixedDoc('x-multiModelChain', CHAIN)).score({ x: 2 });
  assert.is(p.value, 'hi');
  assert.equal(p.probabilities, { lo: 0.2, hi: 0.8 });
  assert.equal(p.targets, { y1: 'hi', y2: 5, y3: 8 });
  assert.equal(p.outputs, { p_hi: 0.8 });
});

test('x-multiModelChain: a segment that did not run gives its target and outputs as null', () => {
  const chain = CHAIN.replace('<NumericPredictor name="p_hi" coefficient="10"/>', '');
  const p = loadPmml(mixedDoc('x-multiModelChain', chain)).score({});
  assert.is(p.value, null);
  assert.equal(p.targets, { y1: null, y2: null, y3: 0 });
  assert.equal(p.outputs, { p_hi: null });
});

test('refuses functionName="mixed" with another method, naming both', () => {
  refuses(mixedDoc('modelChain', CHAIN), 'multipleModelMethod="modelChain"', 'functionName="mixed"');
});

test('modelChain of a classification and a regression: OutputField segmentId reports that segment\'s entity', () => {
  const tree = CHAIN.slice(0, CHAIN.indexOf('<Segment><True/><RegressionModel')).replace('<Segment>', '<Segment id="t">')
    .replace('<Node score="lo">', '<Node id="root" score="lo">').replace('<Node score="hi">', '<Node id="right" score="hi">');
  const doc = pmmlDoc(CHAIN_FIELDS, `<MiningModel functionName="regression">
    <MiningSchema><MiningField name="x"/><MiningField name="y3" usageType="target"/></MiningSchema>
    <Output><OutputField name="node" feature="entityId" segmentId="t"/><OutputField name="final" feature="predictedValue"/></Output>
    <Segmentation multipleModelMethod="modelChain">${tree}
      <Segment><True/><RegressionModel functionName="regression"><MiningSchema><MiningField name="p_hi"/><MiningField name="y3" usageType="target"/></MiningSchema>
        <RegressionTable intercept="0"><NumericPredictor name="p_hi" coefficient="10"/></RegressionTable></RegressionModel></Segment>
    </Segmentation></MiningModel>`);
  const m = loadPmml(doc);
  assert.equal(m.score({ x: 2 }).outputs, { node: 'right', final: 8 });
});

test('refuses OutputField segmentId with entityId outside a MiningModel, naming it', () => {
  refuses(pmmlDoc(FIELDS, `<RegressionModel functionName="regression">${schema('y', ['x'])}<Output><OutputField name="n" feature="entityId" segmentId="1"/></Output>
    <RegressionTable intercept="1"/></RegressionModel>`), '<OutputField name="n" segmentId="1">', 'MiningModel');
});

test.run();
