// SupportVectorMachineModel: load-time refusals name element and attribute; a missing vector
// component or an out-of-range binary prediction fails that record alone; the Coefficients
// representation (which JPMML refuses) computes Σ cᵢ·xᵢ + b.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'y' }, { name: 'label', dataType: 'string', inner: '<Value value="A"/><Value value="B"/>' }];

const DICT = '<VectorDictionary><VectorFields><FieldRef field="x"/><FieldRef field="y"/></VectorFields>'
  + '<VectorInstance id="1"><Array n="2" type="real">1 0</Array></VectorInstance><VectorInstance id="2"><Array n="2" type="real">0 1</Array></VectorInstance></VectorDictionary>';

function machine(attrs = '', svs = '<SupportVector vectorId="1"/><SupportVector vectorId="2"/>', coefs = '<Coefficient value="1"/><Coefficient value="-1"/>'): string {
  return `<SupportVectorMachine${attrs}><SupportVectors>${svs}</SupportVectors><Coefficients absoluteValue="0.5">${coefs}</Coefficients></SupportVectorMachine>`;
}

function svm(opts: { fn?: string; attrs?: string; kernel?: string; dict?: string; machines?: string } = {}): string {
  const fn = opts.fn ?? 'classification';
  return pmmlDoc(FIELDS, `<SupportVectorMachineModel functionName="${fn}"${opts.attrs ?? ' classificationMethod="OneAgainstOne"'}>`
    + `${schema(fn === 'regression' ? null : 'label', ['x', 'y'])}${opts.kernel ?? '<LinearKernelType/>'}${opts.dict ?? DICT}`
    + `${opts.machines ?? machine(' targetCategory="A" alternateTargetCategory="B"')}</SupportVectorMachineModel>`);
}

test('refuses maxWins="true", naming it', () => {
  refuses(svm({ attrs: ' maxWins="true"' }), '<SupportVectorMachineModel>', 'maxWins="true"');
});

test('refuses an unknown kernel element, naming it', () => {
  refuses(svm({ kernel: '<StringKernelType/>' }), '<StringKernelType>');
});

test('refuses a SupportVector naming no VectorInstance', () => {
  refuses(svm({ machines: machine(' targetCategory="A" alternateTargetCategory="B"', '<SupportVector vectorId="1"/><SupportVector vectorId="9"/>') }), '<SupportVector vectorId="9">');
});

test('refuses a VectorInstance of the wrong length', () => {
  refuses(svm({ dict: DICT.replace('<Array n="2" type="real">0 1</Array>', '<Array n="1" type="real">0</Array>') }), '<VectorInstance id="2">', '1 values for 2 VectorFields');
});

test('refuses OneAgainstOne without alternateTargetCategory, naming the attribute', () => {
  refuses(svm({ machines: machine(' targetCategory="A"') }), '<SupportVectorMachine> 1', 'alternateTargetCategory');
});

test('refuses a regression model with two machines', () => {
  refuses(svm({ fn: 'regression', attrs: '', machines: machine() + machine() }), 'functionName="regression"', '2 <SupportVectorMachine>');
});

test('refuses svmRepresentation="Coefficients" with a non-linear kernel', () => {
  refuses(svm({ fn: 'regression', attrs: ' svmRepresentation="Coefficients"', kernel: '<RadialBasisKernelType/>' }), 'svmRepresentation="Coefficients"', 'LinearKernelType');
});

test('OneAgainstOne votes targetCategory when the decision value is below the threshold', () => {
  // f = x - y + 0.5
  const m = loadPmml(svm());
  assert.is(m.score({ x: 0, y: 2 }).value, 'A');
  assert.is(m.score({ x: 2, y: 0 }).value, 'B');
  assert.equal(m.score({ x: 0, y: 2 }).probabilities, { A: 1, B: 0 });
});

test('the Coefficients representation computes the linear function of the VectorFields', () => {
  const m = loadPmml(svm({ fn: 'regression', attrs: ' svmRepresentation="Coefficients"', machines: '<SupportVectorMachine><Coefficients absoluteValue="0.5"><Coefficient value="2"/><Coefficient value="-3"/></Coefficients></SupportVectorMachine>' }));
  assert.is(m.score({ x: 1, y: 1 }).value, 2 - 3 + 0.5);
});

test('a record missing a VectorField fails alone', () => {
  const [bad, good] = loadPmml(svm()).scoreBatch([{ x: null, y: 1 }, { x: 1, y: 1 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind, 'scored');
});

test('alternateBinaryTargetCategory: a decision value not rounding to 0 or 1 fails that record alone', () => {
  const m = loadPmml(svm({ attrs: ' classificationMethod="OneAgainstOne" alternateBinaryTargetCategory="B"', machines: machine(' targetCategory="A"') }));
  const [bad, good] = m.scoreBatch([{ x: 5, y: 0 }, { x: 0.5, y: 0 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind === 'scored' ? good.prediction.value : undefined, 'A');
});

test.run();
