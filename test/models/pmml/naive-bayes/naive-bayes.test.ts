// NaiveBayesModel: load-time refusals name element and attribute; missing inputs are ignored
// (the priors decide); probabilities follow the log-scale product.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { near, pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'c', dataType: 'string' }, { name: 'y', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];
const tvc = (a: number, b: number) => `<TargetValueCounts><TargetValueCount value="a" count="${a}"/><TargetValueCount value="b" count="${b}"/></TargetValueCounts>`;
const X = '<BayesInput fieldName="x"><TargetValueStats><TargetValueStat value="a"><GaussianDistribution mean="0" variance="1"/></TargetValueStat><TargetValueStat value="b"><GaussianDistribution mean="2" variance="4"/></TargetValueStat></TargetValueStats></BayesInput>';
const C = `<BayesInput fieldName="c"><PairCounts value="u">${tvc(3, 1)}</PairCounts><PairCounts value="v">${tvc(1, 3)}</PairCounts></BayesInput>`;

function nb(inputs: string, attrs = 'threshold="0.001"', output = `<BayesOutput fieldName="y">${tvc(1, 1)}</BayesOutput>`): string {
  return pmmlDoc(FIELDS, `<NaiveBayesModel functionName="classification" ${attrs}>${schema('y', ['x', 'c'])}<BayesInputs>${inputs}</BayesInputs>${output}</NaiveBayesModel>`);
}

test('refuses a model without threshold, naming the attribute', () => {
  refuses(nb(X, ''), '<NaiveBayesModel>', 'threshold');
});

test('refuses a PoissonDistribution, naming it', () => {
  refuses(nb(X.replace('<GaussianDistribution mean="0" variance="1"/>', '<PoissonDistribution mean="1"/>')), 'PoissonDistribution', 'fieldName="x"');
});

test('refuses a non-positive variance, naming the attribute', () => {
  refuses(nb(X.replace('variance="1"', 'variance="0"')), '<GaussianDistribution>', 'variance="0"');
});

test('refuses a TargetValueCount class missing from BayesOutput', () => {
  refuses(nb(C.replace('value="b" count="1"', 'value="z" count="1"')), 'value="z"', 'fieldName="c"');
});

test('refuses a BayesOutput fieldName that is not the target', () => {
  refuses(nb(X, undefined, `<BayesOutput fieldName="other">${tvc(1, 1)}</BayesOutput>`), '<BayesOutput fieldName="other">');
});

test('missing inputs are ignored: equal priors give 0.5 each', () => {
  const p = loadPmml(nb(X + C)).score({ x: null, c: null });
  assert.equal(p.probabilities, { a: 0.5, b: 0.5 });
});

test('a categorical input multiplies count / Σ counts per class', () => {
  const p = loadPmml(nb(C)).score({ x: 0, c: 'u' });
  // a: 3/4, b: 1/4 with equal priors.
  assert.ok(near(p.probabilities!['a']!, 0.75) && p.value === 'a', JSON.stringify(p));
});

test('an unseen category contributes nothing', () => {
  assert.equal(loadPmml(nb(C)).score({ x: 0, c: 'w' }).probabilities, { a: 0.5, b: 0.5 });
});

test.run();
