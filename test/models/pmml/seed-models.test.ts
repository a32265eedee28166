// Each seed model loads and scores the first row of winequality_red.csv. Expected values were
// derived independently of our evaluator (by hand from the coefficients, or by walking the XML
// trees with a separate script); full agreement with JPMML is the conformance suite's job.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, type FeatureRecord } from '../../../lib/models/index.ts';
import { needs, seed, seedFile } from '../../requirements.ts';
import { near } from './snippets.ts';

const row1: FeatureRecord = {
  'fixed acidity': 7.4, 'volatile acidity': 0.7, 'citric acid': 0, 'residual sugar': 1.9, chlorides: 0.076,
  'free sulfur dioxide': 11, 'total sulfur dioxide': 34, density: 0.9978, pH: 3.51, sulphates: 0.56, alcohol: 9.4,
};
const load = (f: string) => loadPmml(readFileSync(seedFile(f)));
const t = needs(seed);

t('LinearRegression: intercept plus coefficients times the first row', () => {
  const expected = 3.282519468977813 + 0.0022749888223266997 * 7.4 - 0.9766327107221001 * 0.7
    - 0.28614341184874237 * 0.076 - 9.71748496814966e-4 * 34 + 0.4897192785787167 * 0.56 + 0.2492508640175212 * 9.4;
  const p = load('winequalityLinearRegression.pmml').score(row1);
  assert.ok(near(p.value as number, expected), `${p.value} vs ${expected}`);
});

t('DecisionTreeClassification: leaf score 5 and its ScoreDistribution as probabilities', () => {
  const p = load('winequalityDecisionTreeClassification.pmml').score(row1);
  assert.is(p.value, 5);
  const want = { 5: 0.8302752293577982, 6: 0.11467889908256881, 7: 0.0045871559633027525, 4: 0.045871559633027525, 3: 0.0045871559633027525, 8: 0 };
  for (const [label, prob] of Object.entries(want)) assert.ok(near(p.probabilities![label]!, prob), `p(${label})`);
});

t('DecisionTreeRegression: the leaf score', () => {
  assert.ok(near(load('winequalityDesisionTreeRegression.pmml').score(row1).value as number, 5.073059360730594));
});

t('RandomForest (MiningModel average of 10 trees): averaged leaf distributions, class 5', () => {
  const p = load('winequalityRandonForrestClassification.pmml').score(row1);
  assert.is(p.value, 5);
  const want = { 5: 0.668530377886014, 6: 0.26750542112612363, 7: 0.014801389682913686, 4: 0.04168404065468367, 3: 0.007478770650265034 };
  for (const [label, prob] of Object.entries(want)) assert.ok(near(p.probabilities![label]!, prob), `p(${label})`);
});

t('proto field names (fixed_acidity) score like DataField names', () => {
  const proto: FeatureRecord = Object.fromEntries(Object.entries(row1).map(([k, v]) => [k.replace(/ /g, '_'), v]));
  const m = load('winequalityRandonForrestClassification.pmml');
  assert.equal(m.score(proto), m.score(row1));
});

t('GLM, MLP: load and give a prediction for the first row', () => {
  for (const f of ['winequalityGeneralizedLinearRegressionGamma.pmml', 'winequalityGeneralizedLinearRegressionGaussian.pmml']) {
    const v = load(f).score(row1).value;
    assert.ok(typeof v === 'number' && v > 3 && v < 8, `${f}: ${v}`);
  }
  const mlp = load('winequalityMultilayerPerceptron.pmml').score(row1);
  const sum = Object.values(mlp.probabilities!).reduce((a, b) => a + b, 0);
  assert.ok(near(sum, 1, 1e-9));
  assert.ok([3, 4, 5, 6, 7, 8].includes(mlp.value as number));
});

test.run();
