// NearestNeighborModel documents for the comparison with JPMML: clustering under each binary
// similarity, mixed (two targets), KNNInputs over DerivedFields, minkowski with every instance
// ranked or only the k nearest needed, and training cells under MiningField treatments.
import type { FeatureRecord } from '../../../../lib/models/index.ts';
import type { Document } from '../loaded-against-jpmml.ts';

/** A small deterministic generator (LCG), so the records are the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

function doc(dd: string, model: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/><DataDictionary>${dd}</DataDictionary>${model}</PMML>`;
}

const row = (cells: { readonly [col: string]: string | number }) => `<row>${Object.entries(cells).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</row>`;

// Clustering: marital status and dependents as flags, derived per instance as JPMML does.
const MARITAL = ['s', 'd', 'm'];
const CLUSTER_ROWS = [[1, 's', 0], [2, 's', 2], [3, 'd', 0], [4, 'm', 0], [5, 'm', 2], [6, 'd', 3]]
  .map(([id, ms, deps]) => row({ ID: id!, ms: ms!, deps: deps! })).join('');

function clustering(measure: string): string {
  return doc(`<DataField name="marital" optype="categorical" dataType="string">${MARITAL.map((v) => `<Value value="${v}"/>`).join('')}</DataField>
    <DataField name="deps" optype="continuous" dataType="integer"/>`,
  `<NearestNeighborModel functionName="clustering" numberOfNeighbors="3" instanceIdVariable="ID">
    <MiningSchema><MiningField name="marital"/><MiningField name="deps"/></MiningSchema>
    <Output><OutputField name="n1" dataType="string" feature="entityId" rank="1"/><OutputField name="n2" dataType="string" feature="entityId" rank="2"/>
      <OutputField name="n3" dataType="string" feature="entityId" rank="3"/><OutputField name="a2" dataType="double" feature="affinity" rank="2"/></Output>
    <LocalTransformations>${MARITAL.map((v) => `<DerivedField name="is_${v}" optype="continuous" dataType="double"><NormDiscrete field="marital" value="${v}"/></DerivedField>`).join('')}
      <DerivedField name="has_deps" optype="continuous" dataType="double"><Apply function="if"><Apply function="greaterThan"><FieldRef field="deps"/><Constant dataType="integer">0</Constant></Apply><Constant>1</Constant><Constant>0</Constant></Apply></DerivedField>
    </LocalTransformations>
    <TrainingInstances><InstanceFields><InstanceField field="ID" column="ID"/><InstanceField field="marital" column="ms"/><InstanceField field="deps" column="deps"/></InstanceFields>
      <InlineTable>${CLUSTER_ROWS}</InlineTable></TrainingInstances>
    <ComparisonMeasure kind="similarity">${measure}</ComparisonMeasure>
    <KNNInputs>${MARITAL.map((v) => `<KNNInput field="is_${v}"/>`).join('')}<KNNInput field="has_deps"/></KNNInputs>
  </NearestNeighborModel>`);
}

const clusterRecords: FeatureRecord[] = [
  ...MARITAL.flatMap((marital) => [0, 1, 4].map((deps) => ({ marital, deps }))),
  { deps: 1 }, { marital: 'd' },
];

// Numeric instances shared by the distance documents: x, y, z and two targets.
function numericRows(n: number, seed: number): { x: number; y: number; z: number; t: number; k: string }[] {
  const r = random(seed);
  return Array.from({ length: n }, () => {
    const x = Math.round(r() * 100) / 10, y = Math.round(r() * 100) / 10, z = Math.round(r() * 40) / 10;
    return { x, y, z, t: Math.round((x + 2 * y - z) * 100) / 100, k: x > y ? 'hi' : x + z > 6 ? 'mid' : 'lo' };
  });
}

function numericRecords(n: number, seed: number): FeatureRecord[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const rec: { [k: string]: number } = { x: Math.round(r() * 110) / 10, y: Math.round(r() * 110) / 10, z: Math.round(r() * 45) / 10 };
    if (i % 9 === 4) delete rec['y'];
    return rec;
  });
}

const NUMERIC_DD = `<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="z" optype="continuous" dataType="double"/><DataField name="t" optype="continuous" dataType="double"/>
  <DataField name="k" optype="categorical" dataType="string"><Value value="lo"/><Value value="mid"/><Value value="hi"/></DataField>`;
const TRAIN = numericRows(24, 7);
const instanceFields = (fields: readonly string[]) => `<InstanceFields>${fields.map((f) => `<InstanceField field="${f}" column="c_${f}"/>`).join('')}</InstanceFields>`;
const table = (fields: readonly string[], blank?: { row: number; field: string }) => `<InlineTable>${TRAIN.map((t, i) => row(Object.fromEntries(fields
  .filter((f) => !(blank && blank.row === i && blank.field === f)).map((f) => [`c_${f}`, t[f as keyof typeof t]])))).join('')}</InlineTable>`;

function mixed(scoring: string): string {
  const fields = ['x', 'y', 'z', 't', 'k'];
  return doc(NUMERIC_DD, `<NearestNeighborModel functionName="mixed" numberOfNeighbors="3" ${scoring}>
    <MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="z"/><MiningField name="t" usageType="target"/><MiningField name="k" usageType="target"/></MiningSchema>
    <Output><OutputField name="pt" dataType="double" feature="predictedValue" targetField="t"/><OutputField name="pk" dataType="string" feature="predictedValue" targetField="k"/></Output>
    <TrainingInstances>${instanceFields(fields)}${table(fields)}</TrainingInstances>
    <ComparisonMeasure kind="distance"><euclidean/></ComparisonMeasure>
    <KNNInputs><KNNInput field="x"/><KNNInput field="y"/><KNNInput field="z" fieldWeight="2"/></KNNInputs></NearestNeighborModel>`);
}

function derivedInputs(): string {
  const fields = ['x', 'y', 'k'];
  return doc(NUMERIC_DD, `<NearestNeighborModel functionName="classification" numberOfNeighbors="3">
    <MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="k" usageType="target"/></MiningSchema>
    <Output><OutputField name="n1" dataType="string" feature="entityId" rank="1"/><OutputField name="n2" dataType="string" feature="entityId" rank="2"/></Output>
    <LocalTransformations><DerivedField name="nx" optype="continuous" dataType="double"><NormContinuous field="x"><LinearNorm orig="0" norm="0"/><LinearNorm orig="4" norm="0.6"/><LinearNorm orig="10" norm="1"/></NormContinuous></DerivedField>
      <DerivedField name="sum" optype="continuous" dataType="double"><Apply function="+"><FieldRef field="nx"/><Apply function="/"><FieldRef field="y"/><Constant>10</Constant></Apply></Apply></DerivedField></LocalTransformations>
    <TrainingInstances>${instanceFields(fields)}${table(fields)}</TrainingInstances>
    <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure>
    <KNNInputs><KNNInput field="nx"/><KNNInput field="sum"/></KNNInputs></NearestNeighborModel>`);
}

function minkowski(p: number, outputs: boolean): string {
  const fields = ['x', 'y', 'z', 't'];
  const out = outputs ? `<Output>${[1, 2, 3, 4].map((r) => `<OutputField name="n${r}" dataType="string" feature="entityId" rank="${r}"/>`).join('')}<OutputField name="a3" dataType="double" feature="affinity" rank="3"/></Output>` : '';
  return doc(NUMERIC_DD, `<NearestNeighborModel functionName="regression" numberOfNeighbors="4" continuousScoringMethod="weightedAverage">
    <MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="z"/><MiningField name="t" usageType="target"/></MiningSchema>${out}
    <TrainingInstances>${instanceFields(fields)}${table(fields)}</TrainingInstances>
    <ComparisonMeasure kind="distance"><minkowski p-parameter="${p}"/></ComparisonMeasure>
    <KNNInputs><KNNInput field="x"/><KNNInput field="y" fieldWeight="0.5"/><KNNInput field="z"/></KNNInputs></NearestNeighborModel>`);
}

function trainingTreatment(): string {
  const fields = ['x', 'y', 'k'];
  return doc(NUMERIC_DD, `<NearestNeighborModel functionName="classification" numberOfNeighbors="1">
    <MiningSchema><MiningField name="x" missingValueReplacement="5"/><MiningField name="y"/><MiningField name="k" usageType="target"/></MiningSchema>
    <Output><OutputField name="n1" dataType="string" feature="entityId"/></Output>
    <TrainingInstances>${instanceFields(fields)}${table(fields, { row: 3, field: 'x' })}</TrainingInstances>
    <ComparisonMeasure kind="distance"><cityBlock/></ComparisonMeasure>
    <KNNInputs><KNNInput field="x"/><KNNInput field="y"/></KNNInputs></NearestNeighborModel>`);
}

const records = numericRecords(40, 11);

export const KNN_DOCUMENTS: readonly Document[] = [
  { name: 'knn-clustering-simpleMatching', pmml: clustering('<simpleMatching/>'), records: clusterRecords },
  { name: 'knn-clustering-jaccard', pmml: clustering('<jaccard/>'), records: clusterRecords },
  { name: 'knn-clustering-tanimoto', pmml: clustering('<tanimoto/>'), records: clusterRecords },
  { name: 'knn-clustering-binarySimilarity', pmml: clustering('<binarySimilarity c00-parameter="0" c01-parameter="0.5" c10-parameter="0.5" c11-parameter="1" d00-parameter="1" d01-parameter="1" d10-parameter="1" d11-parameter="1"/>'), records: clusterRecords },
  { name: 'knn-mixed-average-vote', pmml: mixed('continuousScoringMethod="average" categoricalScoringMethod="majorityVote"'), records },
  { name: 'knn-mixed-weighted', pmml: mixed('continuousScoringMethod="weightedAverage" categoricalScoringMethod="weightedMajorityVote"'), records },
  { name: 'knn-derived-inputs', pmml: derivedInputs(), records },
  { name: 'knn-minkowski-ranked', pmml: minkowski(3, true), records },
  { name: 'knn-minkowski-nearest-only', pmml: minkowski(2.5, false), records },
  { name: 'knn-training-missing-replaced', pmml: trainingTreatment(), records },
];
