// What the provider reads from files: wine CSV rows and model descriptors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ModelType, WINE_FEATURES, decodeModelDescriptor, encodeModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { ProviderInputError, descriptorForFile, findDataFiles, modelFilesIn, readWineCsv } from '../../../topologies/client/sources.ts';

const tmp = mkdtempSync(join(tmpdir(), 'modelstream-sources-'));

test('readWineCsv maps each row\'s 11 numbers to the proto fields in order and leaves quality out', () => {
  const lines = readFileSync('data/wine.csv', 'utf8').trim().split('\n');
  const records = readWineCsv('data/wine.csv', 'red');
  assert.is(records.length, lines.length);
  const cells = lines[0]!.split(';');
  assert.is(cells.length, 12);
  WINE_FEATURES.forEach((name, i) => assert.is(records[0]![name], Number(cells[i]), name));
  assert.is(records[0]!.dataType, 'red');
  assert.not.ok('quality' in records[0]!);
});

test('readWineCsv skips a header and blank lines', () => {
  const path = join(tmp, 'header.csv');
  writeFileSync(path, `"fixed acidity";"volatile acidity";a;b;c;d;e;f;g;h;i;quality\n\n7.4;0.7;0;1.9;0.076;11;34;0.9978;3.51;0.56;9.4;5\n\n`);
  const records = readWineCsv(path);
  assert.is(records.length, 1);
  assert.is(records[0]!.alcohol, 9.4);
  assert.is(records[0]!.dataType, 'wine');
});

test('a CSV without a single wine row is a ProviderInputError saying what is expected', () => {
  const path = join(tmp, 'commas.csv');
  writeFileSync(path, '7.4,0.7,0,1.9,0.076,11,34,0.9978,3.51,0.56,9.4,5\n');
  assert.throws(() => readWineCsv(path), (e: Error) => e instanceof ProviderInputError && /separated by ';'/.test(e.message));
  assert.throws(() => readWineCsv(join(tmp, 'absent.csv')), (e: Error) => e instanceof ProviderInputError && /absent\.csv/.test(e.message));
});

test('modelFilesIn lists only .pmml, .pb and .onnx files, sorted', () => {
  const dir = join(tmp, 'models');
  mkdirSync(dir);
  for (const name of ['b.pmml', 'a.pb', 'notes.txt', 'c.PMML', 'd.onnx']) writeFileSync(join(dir, name), 'x');
  assert.equal(modelFilesIn(dir).map((f) => f.slice(dir.length + 1)), ['a.pb', 'b.pmml', 'c.PMML', 'd.onnx']);
  assert.throws(() => modelFilesIn(tmp), (e: Error) => e instanceof ProviderInputError && /no models in/.test(e.message));
});

test('descriptorForFile sends a PMML file by value, named after the file', () => {
  const path = 'data/models/wine-linear-regression.pmml';
  const d = descriptorForFile(path, { dataType: 'red' });
  assert.is(d.name, 'wine-linear-regression');
  assert.is(d.dataType, 'red');
  assert.is(d.modelType, ModelType.PMML);
  assert.ok(d.data && Buffer.from(d.data).equals(readFileSync(path)));
  assert.is(d.location, undefined);
});

test('descriptorForFile sends a .pb as TensorFlow, by reference as an absolute path', () => {
  const d = descriptorForFile('data/models/wine-tf.pb', { byReference: true });
  assert.is(d.modelType, ModelType.TENSORFLOW);
  assert.is(d.location, resolve('data/models/wine-tf.pb'));
  assert.is(d.data, undefined);
});

test('descriptorForFile sends an .onnx file as ONNX, by value', () => {
  const d = descriptorForFile('data/models/wine-onnx.onnx');
  assert.is(d.modelType, ModelType.ONNX);
  assert.is(d.description, 'ONNX model from wine-onnx.onnx');
  assert.ok(d.data && Buffer.from(d.data).equals(readFileSync('data/models/wine-onnx.onnx')));
});

test('descriptorForFile gives the model the role and weight asked for, which survive the encoding', () => {
  const d = descriptorForFile('data/models/wine-onnx.onnx', { role: 'split', weight: 0.25 });
  const back = decodeModelDescriptor(encodeModelDescriptor(d));
  assert.equal([back.role, back.weight, back.modelType], ['split', 0.25, ModelType.ONNX]);
});

test('descriptorForFile refuses another extension and a missing file by name', () => {
  writeFileSync(join(tmp, 'model.h5'), 'x');
  assert.throws(() => descriptorForFile(join(tmp, 'model.h5')), (e: Error) => e instanceof ProviderInputError && /not '\.h5'/.test(e.message));
  assert.throws(() => descriptorForFile(join(tmp, 'gone.pmml'), { byReference: true }), (e: Error) => e instanceof ProviderInputError && /gone\.pmml/.test(e.message));
});

test('findDataFiles finds our data/ layout: wine.csv and models/', () => {
  const found = findDataFiles('data');
  assert.is(found.csv, join('data', 'wine.csv'));
  assert.is(found.modelsDir, join('data', 'models'));
});

test('findDataFiles finds the seed layout: winequality_red.csv with the models beside it', () => {
  const dir = join(tmp, 'seed');
  mkdirSync(dir);
  writeFileSync(join(dir, 'winequality_red.csv'), '7.4;0.7;0;1.9;0.076;11;34;0.9978;3.51;0.56;9.4;5\n');
  const found = findDataFiles(dir);
  assert.is(found.csv, join(dir, 'winequality_red.csv'));
  assert.is(found.modelsDir, dir);
});

test.run();
