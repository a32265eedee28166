// SupportVectorMachineModel Output: a OneAgainstAll result is a set of decision values, not a
// probability distribution, so JPMML fails every record for which a feature="probability"
// OutputField is computed (TypeCheckException: no HasProbability); ours fails them too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError, loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'label', dataType: 'string', inner: '<Value value="A"/><Value value="B"/>' }];
const DICT = '<VectorDictionary><VectorFields><FieldRef field="x"/></VectorFields>'
  + '<VectorInstance id="1"><Array n="1" type="real">1</Array></VectorInstance></VectorDictionary>';
const machine = (target: string, b: number) => `<SupportVectorMachine targetCategory="${target}"><SupportVectors><SupportVector vectorId="1"/></SupportVectors>`
  + `<Coefficients absoluteValue="${b}"><Coefficient value="1"/></Coefficients></SupportVectorMachine>`;

const model = (output: string) => loadPmml(pmmlDoc(FIELDS, `<SupportVectorMachineModel functionName="classification" classificationMethod="OneAgainstAll">`
  + `${schema('label', ['x'])}<Output>${output}</Output><LinearKernelType/>${DICT}${machine('A', 0)}${machine('B', 1)}</SupportVectorMachineModel>`));

test('OneAgainstAll: the smallest decision value wins and predictedValue is reported', () => {
  const p = model('<OutputField name="pred" feature="predictedValue"/>').score({ x: 2 });
  assert.is(p.value, 'A');
  assert.is(p.outputs?.['pred'], 'A');
});

test('OneAgainstAll: an OutputField feature="probability" fails the record', () => {
  const m = model('<OutputField name="pA" optype="continuous" dataType="double" feature="probability" value="A"/>');
  assert.throws(() => m.score({ x: 2 }), (e: unknown) => e instanceof RecordError && /probabilit/.test((e as Error).message));
});

test.run();
