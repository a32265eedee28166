// Cox regression documents shared by the unit tests (cox.test.ts) and the JPMML comparison
// (jpmml.test.ts, in the one JVM of the GeneralRegressionModel fixtures).
import type { FeatureRecord } from '../../../../lib/models/index.ts';
import type { Fixture } from '../neural-network/against-jpmml.ts';
import { pmmlDoc } from '../snippets.ts';

const FIELDS = [
  { name: 't' }, { name: 'age' }, { name: 'grp', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' },
  { name: 'site', dataType: 'integer', optype: 'categorical' }, { name: 'status' },
];

export const TABLES = {
  strata: `<BaseCumHazardTables>
      <BaselineStratum value="1" maxTime="10"><BaselineCell time="2" cumHazard="0.1"/><BaselineCell time="5" cumHazard="0.4"/><BaselineCell time="8" cumHazard="0.9"/></BaselineStratum>
      <BaselineStratum value="2" maxTime="6"><BaselineCell time="4" cumHazard="0.3"/><BaselineCell time="1" cumHazard="0.05"/></BaselineStratum>
    </BaseCumHazardTables>`,
  single: '<BaseCumHazardTables maxTime="10"><BaselineCell time="2" cumHazard="0.1"/><BaselineCell time="5" cumHazard="0.4"/></BaseCumHazardTables>',
};

export function cox(tables: string, attrs = 'endTimeVariable="t" statusVariable="status" baselineStrataVariable="site"'): string {
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

function records(n: number): FeatureRecord[] {
  const out: FeatureRecord[] = [];
  for (let i = 0; i < n; i++) {
    const r: { [k: string]: number | string } = { t: (i * 7919) % 130 / 10, age: 30 + ((i * 37) % 40), grp: i % 3 === 0 ? 'b' : 'a', site: 1 + (i % 3) };
    if (i % 17 === 5) delete r['age'];
    out.push(r);
  }
  return out;
}

export const COX_FIXTURES: readonly Fixture[] = [
  { name: 'cox-strata', pmml: cox(TABLES.strata), records: records(60) },
  { name: 'cox-single', pmml: cox(TABLES.single, 'endTimeVariable="t"'), records: records(30) },
];
