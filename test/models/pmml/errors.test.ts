// Bad models fail at load with a ModelLoadError that names what is wrong.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, ModelLoadError } from '../../../lib/models/index.ts';
import { linear, pmmlDoc, schema } from './snippets.ts';

function rejects(xml: string | Uint8Array, pattern: RegExp): void {
  try {
    loadPmml(xml);
  } catch (err) {
    assert.instance(err, ModelLoadError);
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable('the model loaded');
}
const fields = [{ name: 'x' }, { name: 'y' }];

test('malformed XML', () => rejects('<PMML><DataDictionary></PMML>', /not well-formed/));
test('a document that is not PMML', () => rejects('<?xml version="1.0"?><html><body/></html>', /<html>.*expected <PMML>/));
test('bytes are decoded as UTF-8', () => rejects(new TextEncoder().encode('<nope/>'), /<nope>/));
test('no DataDictionary', () => rejects('<PMML version="4.4"><Header/></PMML>', /DataDictionary/));
test('no model element', () => rejects(pmmlDoc(fields, ''), /no model element/));
test('an unsupported model element is named', () => rejects(pmmlDoc(fields, `<AnomalyDetectionModel functionName="regression" algorithmType="iforest">${schema(null, ['x'])}</AnomalyDetectionModel>`), /<AnomalyDetectionModel> is not supported/));
test('a missing required attribute is named', () => rejects(pmmlDoc(fields, linear('y', { x: 1 }).replace(' coefficient="1"', '')), /<NumericPredictor> lacks the required attribute coefficient/));
test('a reference to an unknown field is named', () => rejects(pmmlDoc(fields, linear('y', { x: 1 }).replace('<NumericPredictor name="x"', '<NumericPredictor name="nope"')), /unknown field "nope"/));
test('a MiningField that is not a DataField', () => rejects(pmmlDoc(fields, linear('y', { x: 1, w: 2 })), /MiningField name="w"/));
test('an unsupported attribute value is named', () => rejects(pmmlDoc(fields, linear('y', { x: 1 }).replace('functionName="regression"', 'functionName="clustering"')), /functionName="clustering"/));
test('an unsupported dataType is named', () => rejects(pmmlDoc([{ name: 'x', dataType: 'date' }, { name: 'y' }], linear('y', { x: 1 })), /dataType="date"/));
test('a non-numeric coefficient is named', () => rejects(pmmlDoc(fields, linear('y', { x: 1 }).replace('coefficient="1"', 'coefficient="one"')), /coefficient="one" is not a number/));

test.run();
