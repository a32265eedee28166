import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelLoadError, RecordError } from '../../../../lib/models/api/model.ts';
import { generalRegressionFamily } from '../../../../lib/models/pmml/general-regression/family.ts';
import { compileWith } from '../neural-network/fake-context.ts';
import { FEATURES, seedPmml, seedRows } from '../neural-network/seed.ts';
import { needs, seed } from '../../../requirements.ts';

const withSeed = needs(seed);

const close = (actual: unknown, expected: number, rel = 1e-12) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

/** The betas of a seed model, read with a regular expression rather than our XML code. */
function betas(xml: string): Map<string, number> {
  return new Map([...xml.matchAll(/<PCell parameterName="(p\d+)" beta="([^"]+)"\/>/g)].map((m) => [m[1] as string, Number(m[2])]));
}

for (const name of ['winequalityGeneralizedLinearRegressionGamma.pmml', 'winequalityGeneralizedLinearRegressionGaussian.pmml']) {
  withSeed(`${name}: every CSV row scores intercept + Σ beta·feature (identity link)`, () => {
    const xml = seedPmml(name);
    const b = betas(xml);
    assert.is(b.size, 12);
    const { model, slots } = compileWith(generalRegressionFamily, xml);
    assert.is(model.functionName, 'regression');
    for (const row of seedRows()) {
      // In both seed models parameter p(i) is the i-th feature and p0 the intercept.
      let expected = b.get('p0') as number;
      FEATURES.forEach((f, i) => (expected += (b.get(`p${i + 1}`) as number) * (row[f] as number)));
      close(model.score(slots(row)).value, expected);
    }
  });
}

withSeed('gamma seed model: the first CSV row by hand', () => {
  const { model, slots } = compileWith(generalRegressionFamily, seedPmml('winequalityGeneralizedLinearRegressionGamma.pmml'));
  const row = seedRows()[0] as { [k: string]: number };
  // 7.4;0.7;0;1.9;0.076;11;34;0.9978;3.51;0.56;9.4 with the ParamMatrix betas.
  const expected = 2.558204953024672 + 0.05274008868326803 * 7.4 - 0.112266028957389 * 0.7 + 0.04478368542359958 * 0
    + 0.001446012959707688 * 1.9 - 0.007581693955199139 * 0.076 + 0.007376526314283259 * 11 - 0.00392382955610902 * 34
    - 3.187271296618442e-4 * 0.9978 - 0.020250777189684124 * 3.51 + 0.07497638411719085 * 0.56 + 0.26442850605626217 * 9.4;
  close(model.score(slots(row)).value, expected);
});

withSeed('a missing feature yields no prediction', () => {
  const { model, slots } = compileWith(generalRegressionFamily, seedPmml('winequalityGeneralizedLinearRegressionGaussian.pmml'));
  const row = { ...(seedRows()[0] as object), alcohol: null };
  assert.is(model.score(slots(row)).value, null);
});

const pmml = (attrs: string, body: string, target = '<DataField name="y" optype="continuous" dataType="double"/>') => `<?xml version="1.0"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <DataDictionary>${target}
    <DataField name="x" optype="continuous" dataType="double"/>
    <DataField name="c" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/></DataField>
  </DataDictionary>
  <GeneralRegressionModel ${attrs}>
    <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/><MiningField name="c"/></MiningSchema>
    ${body}
  </GeneralRegressionModel>
</PMML>`;

const GLM_BODY = `
    <ParameterList><Parameter name="p0"/><Parameter name="p1"/><Parameter name="p2"/></ParameterList>
    <FactorList><Predictor name="c"/></FactorList>
    <CovariateList><Predictor name="x"/></CovariateList>
    <PPMatrix>
      <PPCell value="1" predictorName="x" parameterName="p1"/>
      <PPCell value="v" predictorName="c" parameterName="p2"/>
      <PPCell value="2" predictorName="x" parameterName="p2"/>
    </PPMatrix>
    <ParamMatrix><PCell parameterName="p0" beta="0.1"/><PCell parameterName="p1" beta="0.2" df="1"/><PCell parameterName="p2" beta="-0.05"/></ParamMatrix>`;

test('an inline generalizedLinear model with a factor-by-squared-covariate interaction and log link', () => {
  const { model, slots } = compileWith(generalRegressionFamily, pmml('modelType="generalizedLinear" functionName="regression" linkFunction="log" distribution="poisson" offsetValue="0.5"', GLM_BODY));
  close(model.score(slots({ x: 3, c: 'v' })).value, Math.exp(0.1 + 0.2 * 3 - 0.05 * 9 + 0.5));
  close(model.score(slots({ x: 3, c: 'u' })).value, Math.exp(0.1 + 0.2 * 3 + 0.5));
});

test('an inline power-link model uses linkParameter', () => {
  const { model, slots } = compileWith(generalRegressionFamily, pmml('modelType="generalizedLinear" functionName="regression" linkFunction="power" linkParameter="0.5"', GLM_BODY));
  close(model.score(slots({ x: 3, c: 'u' })).value, (0.1 + 0.2 * 3) ** 2);
});

const MULTI = `
    <ParameterList><Parameter name="p0"/><Parameter name="p1"/></ParameterList>
    <CovariateList><Predictor name="x"/></CovariateList>
    <PPMatrix><PPCell value="1" predictorName="x" parameterName="p1"/></PPMatrix>
    <ParamMatrix>
      <PCell targetCategory="good" parameterName="p0" beta="-1"/><PCell targetCategory="good" parameterName="p1" beta="0.8"/>
      <PCell targetCategory="fair" parameterName="p0" beta="0.3"/><PCell targetCategory="fair" parameterName="p1" beta="0.1"/>
    </ParamMatrix>`;
const CLASS_TARGET = '<DataField name="y" optype="categorical" dataType="string"><Value value="bad"/><Value value="fair"/><Value value="good"/></DataField>';

test('an inline multinomialLogistic model predicts the most probable class with probabilities by label', () => {
  const { model, slots } = compileWith(generalRegressionFamily, pmml('modelType="multinomialLogistic" functionName="classification"', MULTI, CLASS_TARGET));
  assert.equal(model.labels, ['fair', 'good', 'bad']);
  const s = model.score(slots({ x: 4 }));
  const e = [Math.exp(0.3 + 0.4), Math.exp(-1 + 3.2), 1];
  const sum = e[0]! + e[1]! + e[2]!;
  assert.is(s.value, 'good');
  e.forEach((v, i) => close(s.probabilities?.[i], v / sum));
});

for (const [attrs, pattern] of [
  ['modelType="CoxRegression" functionName="regression"', /CoxRegression/],
  ['modelType="generalizedLinear" functionName="regression" linkFunction="cauchit"', /linkFunction="cauchit"/],
  ['modelType="generalizedLinear" functionName="regression" linkFunction="oddspower"', /linkParameter/],
  ['modelType="generalizedLinear" functionName="regression" linkFunction="log" distribution="weibull"', /distribution="weibull"/],
  ['modelType="bogus" functionName="regression"', /modelType="bogus"/],
] as const) {
  test(`load rejects ${attrs}`, () => {
    assert.throws(() => compileWith(generalRegressionFamily, pmml(attrs, GLM_BODY)), (e: unknown) => e instanceof ModelLoadError && pattern.test((e as Error).message));
  });
}

test('a factor with a contrast matrix contributes the element at (value row, PPCell column)', () => {
  const body = GLM_BODY.replace('<Predictor name="c"/>', `<Predictor name="c"><Categories><Category value="u"/><Category value="v"/></Categories>
    <Matrix><MatCell row="1" col="1">0.25</MatCell><MatCell row="1" col="2">2</MatCell><MatCell row="2" col="1">-4</MatCell><MatCell row="2" col="2">0.5</MatCell></Matrix></Predictor>`);
  const { model, slots } = compileWith(generalRegressionFamily, pmml('modelType="regression" functionName="regression"', body));
  // p2 = c(column of "v" = 2) · x²; the row is the record's level of c.
  close(model.score(slots({ x: 3, c: 'u' })).value, 0.1 + 0.2 * 3 - 0.05 * 2 * 9);
  close(model.score(slots({ x: 3, c: 'v' })).value, 0.1 + 0.2 * 3 - 0.05 * 0.5 * 9);
});

test('a contrast-coded factor value outside its Categories is a RecordError', () => {
  const body = GLM_BODY.replace('<Predictor name="c"/>', '<Predictor name="c"><Categories><Category value="v"/></Categories><Matrix><Array n="1">1</Array></Matrix></Predictor>');
  const { model, slots } = compileWith(generalRegressionFamily, pmml('modelType="regression" functionName="regression"', body));
  assert.throws(() => model.score(slots({ x: 3, c: 'u' })), (e: unknown) => e instanceof RecordError);
});

test('load rejects a PPCell value that is not among the contrast Categories', () => {
  const body = GLM_BODY.replace('<Predictor name="c"/>', '<Predictor name="c"><Categories><Category value="u"/></Categories><Matrix><Array n="1">1</Array></Matrix></Predictor>');
  assert.throws(() => compileWith(generalRegressionFamily, pmml('modelType="regression" functionName="regression"', body)),
    (e: unknown) => e instanceof ModelLoadError && /PPCell value="v"/.test((e as Error).message));
});

test('load rejects a PCell without beta, naming the element and attribute', () => {
  const body = GLM_BODY.replace('beta="0.1"', '');
  assert.throws(() => compileWith(generalRegressionFamily, pmml('modelType="regression" functionName="regression"', body)),
    (e: unknown) => e instanceof ModelLoadError && /<PCell>.*beta/.test((e as Error).message));
});

test('load rejects an unknown child element', () => {
  const body = GLM_BODY + '<BaseCumHazardTables maxTime="1"/>';
  assert.throws(() => compileWith(generalRegressionFamily, pmml('modelType="regression" functionName="regression"', body)),
    (e: unknown) => e instanceof ModelLoadError && /BaseCumHazardTables/.test((e as Error).message));
});

test.run();
