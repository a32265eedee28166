// Cox regression: the cumulative hazard H0(t)·exp(r − s) from the record's stratum and end time,
// the edges (before the first baseline cell, after maxTime, an unknown stratum), named refusals,
// and the same records against JPMML-Evaluator (skipped without Java).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, type FeatureRecord } from '../../../../lib/models/index.ts';
import { generalRegressionFamily } from '../../../../lib/models/pmml/general-regression/family.ts';
import { jpmml, needs } from '../../../requirements.ts';
import { diffAgainstJpmml } from '../neural-network/against-jpmml.ts';
import { refuses } from '../refuses.ts';
import { near, pmmlDoc } from '../snippets.ts';

const FIELDS = [
  { name: 't' }, { name: 'age' }, { name: 'grp', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' },
  { name: 'site', dataType: 'integer', optype: 'categorical' }, { name: 'status' },
];

const TABLES = {
  strata: `<BaseCumHazardTables>
      <BaselineStratum value="1" maxTime="10"><BaselineCell time="2" cumHazard="0.1"/><BaselineCell time="5" cumHazard="0.4"/><BaselineCell time="8" cumHazard="0.9"/></BaselineStratum>
      <BaselineStratum value="2" maxTime="6"><BaselineCell time="4" cumHazard="0.3"/><BaselineCell time="1" cumHazard="0.05"/></BaselineStratum>
    </BaseCumHazardTables>`,
  single: '<BaseCumHazardTables maxTime="10"><BaselineCell time="2" cumHazard="0.1"/><BaselineCell time="5" cumHazard="0.4"/></BaseCumHazardTables>',
};

function cox(tables: string, attrs = 'endTimeVariable="t" statusVariable="status" baselineStrataVariable="site"'): string {
  return pmmlDoc(FIELDS, `<GeneralRegressionModel modelType="CoxRegression" functionName="regression" ${attrs}>
    <MiningSchema><MiningField name="status" usageType="target"/><MiningField name="t"/><MiningField name="age"/><MiningField name="grp"/><MiningField name="site"/></MiningSchema>
    <ParameterList><Parameter name="p1" referencePoint="50"/><Parameter name="p2" referencePoint="0"/></ParameterList>
    <FactorList><Predictor name="grp"/></FactorList><CovariateList><Predictor name="age"/></CovariateList>
    <PPMatrix><PPCell value="1" predictorName="age" parameterName="p1"/><PPCell value="b" predictorName="grp" parameterName="p2"/></PPMatrix>
    <ParamMatrix><PCell parameterName="p1" beta="0.03"/><PCell parameterName="p2" beta="-0.4"/></ParamMatrix>
    <EventValues><Value value="1"/></EventValues>
    ${tables}
  </GeneralRegressionModel>`);
}

const hazard = (h0: number, age: number, grp: string) => h0 * Math.exp(0.03 * age + (grp === 'b' ? -0.4 : 0) - 0.03 * 50);

test('the hazard is the stratum cell at or before t, times exp(r - s)', () => {
  const m = loadPmml(cox(TABLES.strata));
  assert.ok(near(m.score({ t: 6, age: 60, grp: 'a', site: 1 }).value as number, hazard(0.4, 60, 'a')));
  assert.ok(near(m.score({ t: 5, age: 40, grp: 'b', site: 1 }).value as number, hazard(0.4, 40, 'b')));
  // Stratum 2's cells are out of order in the document: they are ranked by time.
  assert.ok(near(m.score({ t: 3.5, age: 50, grp: 'a', site: 2 }).value as number, hazard(0.05, 50, 'a')));
});

test('before the first cell the hazard is 0; after maxTime and in an unknown stratum there is no prediction', () => {
  const m = loadPmml(cox(TABLES.strata));
  assert.is(m.score({ t: 1, age: 60, grp: 'a', site: 1 }).value, 0);
  assert.is(m.score({ t: 7, age: 60, grp: 'a', site: 2 }).value, null);
  assert.is(m.score({ t: 3, age: 60, grp: 'a', site: 3 }).value, null);
});

test('without strata the one table is used', () => {
  const m = loadPmml(cox(TABLES.single, 'endTimeVariable="t"'));
  assert.ok(near(m.score({ t: 9, age: 50, grp: 'b' }).value as number, hazard(0.4, 50, 'b')));
});

test('a missing end time or stratum fails the record alone', () => {
  const out = loadPmml(cox(TABLES.strata)).scoreBatch([{ age: 60, grp: 'a', site: 1 }, { t: 3, age: 60, grp: 'a' }, { t: 3, age: 60, grp: 'a', site: 1 }]);
  assert.equal(out.map((o) => o.kind), ['failed', 'failed', 'scored']);
});

test('refuses a Cox model without endTimeVariable, naming the attribute', () => {
  refuses(cox(TABLES.single, ''), 'modelType="CoxRegression"', 'endTimeVariable');
});

test('refuses a Cox model without BaseCumHazardTables, naming the element', () => {
  refuses(cox(''), '<BaseCumHazardTables>');
});

test('refuses strata without baselineStrataVariable, naming the element', () => {
  refuses(cox(TABLES.strata, 'endTimeVariable="t"'), '<BaselineStratum>', 'baselineStrataVariable');
});

test('refuses a stratum value that is not of the strata field\'s type', () => {
  refuses(cox(TABLES.strata.replace('value="2"', 'value="north"')), '<BaselineStratum value="north">');
});

function records(n: number): FeatureRecord[] {
  const out: FeatureRecord[] = [];
  for (let i = 0; i < n; i++) {
    const r: { [k: string]: number | string } = { t: (i * 7919) % 130 / 10, age: 30 + ((i * 37) % 40), grp: i % 3 === 0 ? 'b' : 'a', site: 1 + (i % 3) };
    if (i % 17 === 5) delete r['age'];
    out.push(r);
  }
  return out;
}

needs(jpmml)('equal to JPMML on strata, edges and missing covariates', async () => {
  const fixtures = [
    { name: 'cox-strata', pmml: cox(TABLES.strata), records: records(60) },
    { name: 'cox-single', pmml: cox(TABLES.single, 'endTimeVariable="t"'), records: records(30) },
  ];
  const diffs = await diffAgainstJpmml(generalRegressionFamily, fixtures);
  for (const f of fixtures) assert.equal(diffs.get(f.name), [], f.name);
});

test.run();
