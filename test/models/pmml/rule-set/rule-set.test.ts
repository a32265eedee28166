// RuleSetModel: load-time refusals name element and attribute; a record no rule fires on takes
// the default score, or fails alone when the RuleSet has none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const FIELDS = [{ name: 'x' }, { name: 'y', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];
const RULES = '<SimpleRule id="lo" score="a" weight="2" confidence="0.4"><SimplePredicate field="x" operator="lessThan" value="0"/></SimpleRule>'
  + '<SimpleRule score="b" weight="1" confidence="0.9"><SimplePredicate field="x" operator="lessThan" value="1"/></SimpleRule>';
const OUT = '<Output><OutputField name="rule" feature="entityId" dataType="string"/></Output>';

function rs(ruleSetAttrs: string, methods: string, rules = RULES): string {
  return pmmlDoc(FIELDS, `<RuleSetModel functionName="classification">${schema('y', ['x'])}${OUT}<RuleSet ${ruleSetAttrs}>${methods}${rules}</RuleSet></RuleSetModel>`);
}
const M = (c: string) => `<RuleSelectionMethod criterion="${c}"/>`;

test('refuses a RuleSet without RuleSelectionMethod', () => {
  refuses(rs('defaultScore="a" defaultConfidence="0"', ''), '<RuleSet>', 'RuleSelectionMethod');
});

test('refuses an unknown criterion, naming it', () => {
  refuses(rs('', M('bestHit')), '<RuleSelectionMethod>', 'criterion="bestHit"');
});

test('refuses a SimpleRule without score', () => {
  refuses(rs('', M('firstHit'), '<SimpleRule><True/></SimpleRule>'), '<SimpleRule>', 'score');
});

test('refuses regression', () => {
  refuses(rs('', M('firstHit')).replace('functionName="classification"', 'functionName="regression"'), '<RuleSetModel functionName="regression">');
});

test('firstHit takes the first rule fired; its id, or its position, is the entityId', () => {
  const m = loadPmml(rs('', M('firstHit')));
  assert.equal(m.score({ x: -1 }), { value: 'a', outputs: { rule: 'lo' } });
  assert.equal(m.score({ x: 0.5 }), { value: 'b', outputs: { rule: '2' } });
});

test('weightedMax compares the heaviest rule of each score by confidence', () => {
  assert.equal(loadPmml(rs('', M('weightedMax'))).score({ x: -1 }).value, 'b');
});

test('weightedSum divides each score\'s weights by the number of rules fired', () => {
  assert.equal(loadPmml(rs('', M('weightedSum'))).score({ x: -1 }).value, 'a');
});

test('no rule fired: the default score, no entityId', () => {
  assert.equal(loadPmml(rs('defaultScore="b" defaultConfidence="0.1"', M('firstHit'))).score({ x: 5 }), { value: 'b', outputs: { rule: null } });
});

test('no rule fired and no defaultScore: that record fails alone', () => {
  const [bad, good] = loadPmml(rs('', M('firstHit'))).scoreBatch([{ x: 5 }, { x: -1 }]);
  assert.is(bad?.kind, 'failed');
  assert.is(good?.kind, 'scored');
});

test.run();
