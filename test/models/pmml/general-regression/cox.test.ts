// Cox regression: the cumulative hazard H0(t)·exp(r − s) from the record's stratum and end time,
// the edges (before the first baseline cell, after maxTime, an unknown stratum) and named
// refusals; the same documents against JPMML-Evaluator are in jpmml.test.ts (COX_FIXTURES).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { near } from '../snippets.ts';
import { cox, TABLES } from './cox-fixtures.ts';

const hazard = (h0: number, age: number, grp: string) => h0 * Math.exp(0.03 * age + (grp === 'b' ? -0.4 : 0) - 0.03 * 50);

test('the hazard is the stratum cell at or before t, times exp(r - s)', () => {
  const m = loadPmml(cox(TABLES.strata));
  assert.ok(near(m.score({ t: 6, age: 60, grp: 'a', site: 1 }).value as number, hazard(0.4, 60, 'a')));
  assert.ok(near(m.score({ t: 5, age: 40, grp: 'b', site: 1 }).value as number, hazard(0.4, 40, 'b')));
  // Stratum 2's cells are out of order in the document: they are ranked by time.
  assert.ok(near(m.score({ t: 3.5, age: 50, grp: 'a', site: 2 }).value as number, hazard(0.05, 50, 'a')));
});

test('before the first cell the hazard is 0; after maxTime and in an unknown stratum there is no prediction', () => {
  const m = loadPmml(cox(TABLES.strata));
  assert.is(m.score({ t: 1, age: 60, grp: 'a', site: 1 }).value, 0);
  assert.is(m.score({ t: 7, age: 60, grp: 'a', site: 2 }).value, null);
  assert.is(m.score({ t: 3, age: 60, grp: 'a', site: 3 }).value, null);
});

test('without strata the one table is used', () => {
  const m = loadPmml(cox(TABLES.single, 'endTimeVariable="t"'));
  assert.ok(near(m.score({ t: 9, age: 50, grp: 'b' }).value as number, hazard(0.4, 50, 'b')));
});

test('a missing end time or stratum fails the record alone', () => {
  const out = loadPmml(cox(TABLES.strata)).scoreBatch([{ age: 60, grp: 'a', site: 1 }, { t: 3, age: 60, grp: 'a' }, { t: 3, age: 60, grp: 'a', site: 1 }]);
  assert.equal(out.map((o) => o.kind), ['failed', 'failed', 'scored']);
});

test('refuses a Cox model without endTimeVariable, naming the attribute', () => {
  refuses(cox(TABLES.single, ''), 'modelType="CoxRegression"', 'endTimeVariable');
});

test('refuses a Cox model without BaseCumHazardTables, naming the element', () => {
  refuses(cox(''), '<BaseCumHazardTables>');
});

test('refuses strata without baselineStrataVariable, naming the element', () => {
  refuses(cox(TABLES.strata, 'endTimeVariable="t"'), '<BaselineStratum>', 'baselineStrataVariable');
});

test('refuses a stratum value that is not of the strata field\'s type', () => {
  refuses(cox(TABLES.strata.replace('value="2"', 'value="north"')), '<BaselineStratum value="north">');
});

test.run();
