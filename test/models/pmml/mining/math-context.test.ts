// x-mathContext="float": JPMML computes such a model in float32 (XGBoost exports declare it on
// every model), so the sum of tree scores, its Targets rescaling and a softmax over it are each
// rounded to float32 at every step; in doubles they differ from JPMML by about 1e-8.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const f = Math.fround;
const fields = [{ name: 'x', dataType: 'float' }, { name: 'y' }];
const leaf = (score: string, ctx: string) => `<Segment><True/><TreeModel functionName="regression"${ctx}>${schema(null, ['x'])}<Node score="${score}"><True/></Node></TreeModel></Segment>`;
const sum = (ctx: string) => loadPmml(pmmlDoc(fields, `<MiningModel functionName="regression"${ctx}>${schema('y', ['x'])}
  <Targets><Target field="y" rescaleConstant="0.5"/></Targets>
  <Segmentation multipleModelMethod="sum">${leaf('0.1', ctx)}${leaf('0.2', ctx)}${leaf('0.3', ctx)}</Segmentation></MiningModel>`));

test('a float sum of tree scores and its rescaling are rounded to float32 at every step', () => {
  const want = f(f(f(f(0.1) + f(0.2)) + f(0.3)) + 0.5);
  const v = sum(' x-mathContext="float"').score({ x: 1 }).value as number;
  assert.is(v, want);
  assert.is.not(v, 0.1 + 0.2 + 0.3 + 0.5);
});

test('without x-mathContext the same model computes in doubles', () => {
  assert.is(sum('').score({ x: 1 }).value, 0.1 + 0.2 + 0.3 + 0.5);
});

test('a float softmax RegressionModel gives float32 probabilities computed as JPMML does', () => {
  const cls = [{ name: 'a' }, { name: 'b' }, { name: 'c', dataType: 'string', inner: '<Value value="p"/><Value value="q"/><Value value="r"/>' }];
  const m = loadPmml(pmmlDoc(cls, `<RegressionModel functionName="classification" normalizationMethod="softmax" x-mathContext="float">${schema('c', ['a', 'b'])}
    <RegressionTable intercept="0.1" targetCategory="p"><NumericPredictor name="a" coefficient="1.3"/></RegressionTable>
    <RegressionTable intercept="0" targetCategory="q"><NumericPredictor name="b" coefficient="0.7"/></RegressionTable>
    <RegressionTable intercept="0" targetCategory="r"/></RegressionModel>`));
  const p = m.score({ a: 0.4, b: 0.9 }).probabilities!;
  const y = [f(f(f(1.3) * f(0.4)) + f(0.1)), f(f(0.7) * f(0.9)), 0];
  const max = Math.max(...y);
  const e = y.map((v) => f(Math.pow(2.7182817, f(v - max))));
  const s = f(f(e[0]! + e[1]!) + e[2]!);
  assert.equal([p['p'], p['q'], p['r']], e.map((v) => f(v / s)));
});

test.run();
