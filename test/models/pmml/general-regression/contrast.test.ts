import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelLoadError } from '../../../../lib/models/api/model.ts';
import { readMatrix } from '../../../../lib/models/pmml/general-regression/contrast.ts';
import { parsePmmlXml } from '../../../../lib/models/pmml/xml.ts';
import type { XmlElement } from '../../../../lib/models/pmml/xml.ts';

const matrix = (inner: string, attrs = ''): number[][] =>
  readMatrix(parsePmmlXml(`<PMML><Matrix ${attrs}>${inner}</Matrix></PMML>`).children[0] as XmlElement);

test('a kind="any" Matrix is its Array rows', () => {
  assert.equal(matrix('<Array n="2" type="real">1 2</Array><Array n="2" type="real">3 .5</Array>'), [[1, 2], [3, 0.5]]);
});

test('a diagonal Matrix fills off-diagonal elements with offDiagDefault', () => {
  assert.equal(matrix('<Array n="2">4 5</Array>', 'kind="diagonal" offDiagDefault="-1"'), [[4, -1], [-1, 5]]);
});

test('a symmetric Matrix mirrors its lower triangle', () => {
  assert.equal(matrix('<Array n="1">1</Array><Array n="2">2 3</Array>', 'kind="symmetric"'), [[1, 2], [2, 3]]);
});

test('MatCell elements override diagDefault and offDiagDefault', () => {
  assert.equal(matrix('<MatCell row="2" col="1">7</MatCell>', 'nbRows="2" nbCols="2" diagDefault="1" offDiagDefault="0"'), [[1, 0], [7, 1]]);
});

test('rows of different lengths are rejected at load', () => {
  assert.throws(() => matrix('<Array n="2">1 2</Array><Array n="1">3</Array>'), (e: unknown) => e instanceof ModelLoadError);
});

test('an unknown kind is rejected at load, naming the attribute', () => {
  assert.throws(() => matrix('<Array n="1">1</Array>', 'kind="sparse"'), (e: unknown) => e instanceof ModelLoadError && /kind="sparse"/.test((e as Error).message));
});

test.run();
