import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inverseCumulativeLink, inverseLink, MissingLinkParameterError } from '../../../../lib/models/pmml/general-regression/link.ts';
import { erfc, normalCdf } from '../../../../lib/models/pmml/general-regression/normal-cdf.ts';

const close = (actual: number, expected: number, rel = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

const ETAS = [-3.5, -1, -0.25, 0, 0.4, 1.7, 3];

// Each inverse link must undo its forward link g(μ) as the PMML General Regression page defines it.
const forward: { [name: string]: (mu: number) => number } = {
  identity: (mu) => mu,
  log: (mu) => Math.log(mu),
  logc: (mu) => Math.log(1 - mu),
  logit: (mu) => Math.log(mu / (1 - mu)),
  cloglog: (mu) => Math.log(-Math.log(1 - mu)),
  loglog: (mu) => -Math.log(-Math.log(mu)),
};

for (const [name, g] of Object.entries(forward)) {
  test(`inverse ${name} link undoes the ${name} link`, () => {
    const inv = inverseLink(name as 'identity');
    for (const eta of ETAS) {
      const mu = inv(eta);
      if (name === 'logc' && eta >= 0) continue; // 1 − e^η ≤ 0 has no logarithm
      close(g(mu), eta, 1e-9);
    }
  });
}

test('inverse power link with linkParameter a undoes η = μ^a', () => {
  const inv = inverseLink('power', { linkParameter: 0.5 });
  for (const mu of [0.3, 2, 7.5]) close(inv(Math.pow(mu, 0.5)), mu);
  const inv3 = inverseLink('power', { linkParameter: -1 });
  close(inv3(1 / 4), 4);
});

test('inverse power link with linkParameter 0 is the exponential', () => {
  close(inverseLink('power', { linkParameter: 0 })(1.3), Math.exp(1.3));
});

test('inverse oddspower link undoes η = ((μ/(1−μ))^a − 1)/a', () => {
  const a = 0.7;
  const inv = inverseLink('oddspower', { linkParameter: a });
  for (const mu of [0.1, 0.5, 0.83]) close(inv((Math.pow(mu / (1 - mu), a) - 1) / a), mu);
});

test('inverse oddspower link with linkParameter 0 is the inverse logit', () => {
  close(inverseLink('oddspower', { linkParameter: 0 })(0.8), 1 / (1 + Math.exp(-0.8)));
});

test('inverse negbin link undoes η = ln(μ/(μ + 1/k))', () => {
  const k = 2.5;
  const inv = inverseLink('negbin', { distParameter: k });
  for (const mu of [0.2, 3, 40]) close(inv(Math.log(mu / (mu + 1 / k))), mu, 1e-10);
});

test('power, oddspower and negbin without their parameter are rejected', () => {
  assert.throws(() => inverseLink('power'), (e: unknown) => e instanceof MissingLinkParameterError && e.attribute === 'linkParameter');
  assert.throws(() => inverseLink('oddspower'), (e: unknown) => e instanceof MissingLinkParameterError);
  assert.throws(() => inverseLink('negbin'), (e: unknown) => e instanceof MissingLinkParameterError && e.attribute === 'distParameter');
});

// Reference values computed with Python's math.erfc (an independent implementation).
test('erfc matches an independent implementation across its three approximation intervals', () => {
  const cases: [number, number][] = [
    [0.3, 0.6713732405408726], [0.46875, 0.507386526782062], [0.47, 0.5062549491139179],
    [3, 2.2090496998585438e-05], [4.01, 1.4196939421371052e-08], [6.5, 3.8421483271206475e-20],
    [-0.7, 1.6778011938374184], [-3, 1.9999779095030015],
  ];
  for (const [x, expected] of cases) close(erfc(x), expected, 1e-14);
});

test('probit inverse link is the standard normal CDF', () => {
  close(inverseLink('probit')(1), 0.8413447460685429, 1e-14);
  close(normalCdf(-10), 7.619853024160593e-24, 1e-12);
  close(normalCdf(0), 0.5, 0);
  assert.is(normalCdf(-41), 0);
  assert.is(normalCdf(41), 1);
});

test('cumulative links are distribution functions: increasing from 0 to 1, cauchit through ½ at 0', () => {
  for (const name of ['logit', 'probit', 'cloglog', 'loglog', 'cauchit'] as const) {
    const f = inverseCumulativeLink(name);
    let prev = -Infinity;
    for (const eta of [-30, -2, -0.5, 0, 0.5, 2, 30]) {
      const p = f(eta);
      assert.ok(p >= 0 && p <= 1 && p > prev, `${name}(${eta}) = ${p}`);
      prev = p;
    }
  }
  close(inverseCumulativeLink('cauchit')(0), 0.5, 0);
  close(inverseCumulativeLink('cauchit')(1), 0.75);
});

test.run();
