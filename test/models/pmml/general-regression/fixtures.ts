// Small GeneralRegressionModel documents covering what the seed models do not (factors,
// interactions, every link function, offsets/trials, multinomial and ordinal classification),
// with deterministic records; checked against JPMML-Evaluator in jpmml.test.ts.
import type { FeatureRecord } from '../../../../lib/models/api/model.ts';

import type { Fixture } from '../neural-network/against-jpmml.ts';
export type { Fixture };

/** A small deterministic generator (LCG), so that fixtures never change between runs. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function records(n: number, seed: number, withMissing = false): FeatureRecord[] {
  const r = lcg(seed);
  const levels = ['u', 'v', 'w'];
  return Array.from({ length: n }, (_, i) => ({
    x: Math.round((r() * 4 - 1) * 1000) / 1000,
    z: Math.round(r() * 3 * 1000) / 1000 + 0.1,
    c: levels[Math.floor(r() * 3)] as string,
    k: 1 + Math.floor(r() * 5),
    off: Math.round(r() * 100) / 100,
    ...(withMissing && i === n - 1 ? { x: null } : {}),
  }));
}

const doc = (target: string, model: string) => `<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <Header/>
  <DataDictionary>
    ${target}
    <DataField name="x" optype="continuous" dataType="double"/>
    <DataField name="z" optype="continuous" dataType="double"/>
    <DataField name="c" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/><Value value="w"/></DataField>
    <DataField name="k" optype="continuous" dataType="integer"/>
    <DataField name="off" optype="continuous" dataType="double"/>
  </DataDictionary>
  ${model}
</PMML>`;

const SCHEMA = `<MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/><MiningField name="z"/><MiningField name="c"/><MiningField name="k"/><MiningField name="off"/></MiningSchema>`;
const NUMERIC_TARGET = '<DataField name="y" optype="continuous" dataType="double"/>';

/** Parameters: intercept, x, z², c=v, c=w·x (an interaction), x·z. */
const DESIGN = `
    <ParameterList>
      <Parameter name="p0" label="(intercept)"/><Parameter name="p1"/><Parameter name="p2"/>
      <Parameter name="p3"/><Parameter name="p4"/><Parameter name="p5"/>
    </ParameterList>
    <FactorList><Predictor name="c"/></FactorList>
    <CovariateList><Predictor name="x"/><Predictor name="z"/></CovariateList>
    <PPMatrix>
      <PPCell value="1" predictorName="x" parameterName="p1"/>
      <PPCell value="2" predictorName="z" parameterName="p2"/>
      <PPCell value="v" predictorName="c" parameterName="p3"/>
      <PPCell value="w" predictorName="c" parameterName="p4"/>
      <PPCell value="1" predictorName="x" parameterName="p4"/>
      <PPCell value="1" predictorName="x" parameterName="p5"/>
      <PPCell value="1" predictorName="z" parameterName="p5"/>
    </PPMatrix>`;

const pcells = (betas: readonly number[], target?: string) =>
  betas.map((b, i) => `<PCell ${target === undefined ? '' : `targetCategory="${target}" `}parameterName="p${i}" beta="${b}"/>`).join('');

function glm(name: string, attrs: string, betas: readonly number[]): Fixture {
  return {
    name,
    pmml: doc(NUMERIC_TARGET, `<GeneralRegressionModel functionName="regression" ${attrs}>${SCHEMA}${DESIGN}
    <ParamMatrix>${pcells(betas)}</ParamMatrix></GeneralRegressionModel>`),
    records: records(40, name.length * 7919),
  };
}

const SMALL = [0.05, 0.1, -0.04, 0.08, -0.06, 0.02];
const PROB = [-0.3, 0.6, -0.2, 0.5, -0.4, 0.15];

/** The factor c coded by a contrast matrix (rows u, v, w; columns for PPCell values u and v). */
const CONTRAST_DESIGN = DESIGN
  .replace('<FactorList><Predictor name="c"/></FactorList>', `<FactorList><Predictor name="c" contrastMatrixType="Helmert">
      <Categories><Category value="u"/><Category value="v"/><Category value="w"/></Categories>
      <Matrix nbRows="3" nbCols="2"><Array n="2" type="real">.666666666667 0</Array><Array n="2" type="real">-.333333333333 .5</Array><Array n="2" type="real">-.333333333333 -.5</Array></Matrix>
    </Predictor></FactorList>`)
  .replace('<PPCell value="v" predictorName="c" parameterName="p3"/>', '<PPCell value="u" predictorName="c" parameterName="p3"/>')
  .replace('<PPCell value="w" predictorName="c" parameterName="p4"/>', '<PPCell value="v" predictorName="c" parameterName="p4"/>');

export const GR_FIXTURES: readonly Fixture[] = [
  {
    name: 'gr-contrast-matrix',
    pmml: doc('<DataField name="y" optype="categorical" dataType="string"><Value value="lo"/><Value value="hi"/></DataField>',
      `<GeneralRegressionModel functionName="classification" modelType="multinomialLogistic" targetReferenceCategory="hi">${SCHEMA}${CONTRAST_DESIGN}
    <ParamMatrix>${pcells([0.7, -0.4, 0.2, 1.3, -0.9, 0.15], 'lo')}</ParamMatrix></GeneralRegressionModel>`),
    records: records(40, 5150),
  },
  glm('gr-regression-factors', 'modelType="regression"', [1.5, -0.7, 0.3, 2.1, -1.2, 0.45]),
  glm('gr-generalLinear', 'modelType="generalLinear"', [0.5, 1.7, -0.3, 0.9, 0.2, -0.05]),
  glm('gr-glm-log-offset-trials', 'modelType="generalizedLinear" linkFunction="log" distribution="poisson" offsetVariable="off" trialsVariable="k"', SMALL),
  glm('gr-glm-logit-trials', 'modelType="generalizedLinear" linkFunction="logit" distribution="binomial" trialsValue="3"', PROB),
  glm('gr-glm-probit', 'modelType="generalizedLinear" linkFunction="probit" distribution="binomial" offsetValue="0.25"', PROB),
  glm('gr-glm-cloglog', 'modelType="generalizedLinear" linkFunction="cloglog" distribution="binomial"', PROB),
  glm('gr-glm-loglog', 'modelType="generalizedLinear" linkFunction="loglog" distribution="binomial"', PROB),
  glm('gr-glm-logc', 'modelType="generalizedLinear" linkFunction="logc" distribution="binomial"', [-3, 0.2, -0.1, 0.3, -0.2, 0.05]),
  glm('gr-glm-power', 'modelType="generalizedLinear" linkFunction="power" linkParameter="0.5" distribution="gamma"', [3, 0.2, -0.1, 0.3, -0.2, 0.05]),
  glm('gr-glm-power-zero', 'modelType="generalizedLinear" linkFunction="power" linkParameter="0" distribution="gamma"', SMALL),
  glm('gr-glm-oddspower', 'modelType="generalizedLinear" linkFunction="oddspower" linkParameter="0.4" distribution="binomial"', [0.5, 0.2, -0.1, 0.3, -0.2, 0.05]),
  glm('gr-glm-negbin', 'modelType="generalizedLinear" linkFunction="negbin" distParameter="2" distribution="negbin"', [-1.5, 0.1, -0.1, 0.2, -0.2, 0.05]),
  {
    name: 'gr-multinomial',
    pmml: doc('<DataField name="y" optype="categorical" dataType="string"><Value value="low"/><Value value="mid"/><Value value="high"/></DataField>',
      `<GeneralRegressionModel functionName="classification" modelType="multinomialLogistic">${SCHEMA}${DESIGN}
    <ParamMatrix>${pcells([0.4, -1.1, 0.3, 0.8, -0.5, 0.2], 'high')}${pcells([-0.2, 0.5, 0.1, -0.6, 0.9, -0.3], 'low')}</ParamMatrix></GeneralRegressionModel>`),
    records: records(40, 4242),
  },
  {
    name: 'gr-binomial-probit-classification',
    pmml: doc('<DataField name="y" optype="categorical" dataType="string"><Value value="no"/><Value value="yes"/></DataField>',
      `<GeneralRegressionModel functionName="classification" modelType="generalizedLinear" linkFunction="probit" distribution="binomial" targetReferenceCategory="no">${SCHEMA}${DESIGN}
    <ParamMatrix>${pcells(PROB)}</ParamMatrix></GeneralRegressionModel>`),
    records: records(40, 977),
  },
  ...(['logit', 'probit', 'cloglog', 'loglog', 'cauchit'] as const).map((link, li): Fixture => ({
    name: `gr-ordinal-${link}`,
    pmml: doc('<DataField name="y" optype="ordinal" dataType="string"><Value value="1-bad"/><Value value="2-ok"/><Value value="3-good"/><Value value="4-great"/></DataField>',
      `<GeneralRegressionModel functionName="classification" modelType="ordinalMultinomial" cumulativeLink="${link}"${li === 1 ? ' offsetValue="0.3"' : ''}>${SCHEMA}${DESIGN}
    <ParamMatrix>
      <PCell targetCategory="1-bad" parameterName="p0" beta="-1.2"/><PCell targetCategory="2-ok" parameterName="p0" beta="0.1"/><PCell targetCategory="3-good" parameterName="p0" beta="1.4"/>
      <PCell parameterName="p1" beta="0.35"/><PCell parameterName="p2" beta="-0.2"/><PCell parameterName="p3" beta="0.5"/><PCell parameterName="p4" beta="-0.3"/><PCell parameterName="p5" beta="0.1"/>
    </ParamMatrix></GeneralRegressionModel>`),
    records: records(40, 31 + li),
  })),
];
