// Records packed for the shadow thread come back as they went: numbers, a shared value, and
// features that vary or are missing in some records.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packRecords, unpackRecords } from '../../../topologies/serving/packed-records.ts';
import type { FeatureRecord } from '../../../lib/models/index.ts';
import { wineRecords } from '../fixtures.ts';

test('wine records round-trip, their 11 features in one typed array and the dataType once', () => {
  const records = wineRecords(50) as unknown as FeatureRecord[];
  const packed = packRecords(records);
  assert.is(packed.numeric.length, 11);
  assert.equal(packed.constant, { dataType: 'wine' });
  assert.equal(unpackRecords(structuredClone(packed)), records);
});

test('features that are not numbers in every record, or missing in some, keep their values', () => {
  const records = [{ a: 1, b: 'x', c: 2 }, { a: 2, b: 'y' }, { a: 3, b: null, c: 4 }];
  const back = unpackRecords(structuredClone(packRecords(records)));
  assert.equal(back.map((r) => [r.a, r.b, r.c]), [[1, 'x', 2], [2, 'y', undefined], [3, null, 4]]);
});

test.run();
