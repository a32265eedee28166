// AssociationModel: the rules each algorithm selects for a transaction, their features as
// OutputFields (single, ranked and multi-valued), both input styles (a list of items with a
// group field; true/false and field=category fields without one), and named refusals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { pmmlDoc } from '../snippets.ts';

const ITEMS = '<Item id="1" value="Cracker"/><Item id="2" value="Water"/><Item id="3" value="Coke"/><Item id="4" value="Nachos"/>';
const SETS = '<Itemset id="1"><ItemRef itemRef="1"/></Itemset><Itemset id="2"><ItemRef itemRef="2"/></Itemset>'
  + '<Itemset id="3"><ItemRef itemRef="3"/></Itemset><Itemset id="4"><ItemRef itemRef="1"/><ItemRef itemRef="2"/></Itemset>'
  + '<Itemset id="5"><ItemRef itemRef="4"/></Itemset>';
// Rules 1..4; lift orders them 3 > 1 > 4 > 2.
const RULES = '<AssociationRule antecedent="1" consequent="2" support="0.6" confidence="0.9" lift="2"/>'
  + '<AssociationRule antecedent="2" consequent="1" support="0.5" confidence="0.8" lift="0.5"/>'
  + '<AssociationRule id="r3" antecedent="1" consequent="3" support="0.4" confidence="0.7" lift="3"/>'
  + '<AssociationRule antecedent="4" consequent="5" support="0.2" confidence="0.6" lift="1"/>';

function transactional(outputs: string, rules = RULES): string {
  return pmmlDoc([{ name: 'transaction', dataType: 'string' }, { name: 'item', dataType: 'string' }],
    `<AssociationModel functionName="associationRules" numberOfTransactions="5" minimumSupport="0.1" minimumConfidence="0.1" numberOfItems="4" numberOfItemsets="5" numberOfRules="4">
      <MiningSchema><MiningField name="transaction" usageType="group"/><MiningField name="item"/></MiningSchema>
      <Output>${outputs}</Output>${ITEMS}${SETS}${rules}</AssociationModel>`);
}

const out = (name: string, attrs: string) => `<OutputField name="${name}" ${attrs}/>`;

test('exclusiveRecommendation: the best rule by lift whose antecedent is held and consequent is not', () => {
  const m = loadPmml(transactional(out('id', 'feature="ruleId" rankBasis="lift"') + out('rule', 'feature="rule" rankBasis="lift"')));
  const p = m.score({ item: ['Cracker'] });
  assert.is(p.value, null);
  assert.equal(p.outputs, { id: 'r3', rule: '{Cracker}->{Coke}' });
  // With Coke in the basket rule r3 is no longer a recommendation: rule 1 (Cracker -> Water) is.
  assert.equal(m.score({ item: ['Cracker', 'Coke'] }).outputs, { id: '1', rule: '{Cracker}->{Water}' });
});

test('recommendation keeps a rule whose consequent is already held; ruleAssociation needs both sides', () => {
  const m = loadPmml(transactional(
    out('rec', 'feature="ruleId" algorithm="recommendation" rankBasis="lift" rank="0" isMultiValued="1"')
    + out('assoc', 'feature="ruleId" algorithm="ruleAssociation" rankBasis="lift" rank="0" isMultiValued="1"'),
  ));
  assert.equal(m.score({ item: ['Cracker', 'Coke'] }).outputs, { rec: ['r3', '1'], assoc: ['r3'] });
  assert.equal(m.score({ item: ['Cracker', 'Water'] }).outputs, { rec: ['3', '1', '4', '2'].map((i) => (i === '3' ? 'r3' : i)), assoc: ['1', '2'] });
});

test('rank n picks the n-th rule; beyond the selected rules the field is null', () => {
  const m = loadPmml(transactional(out('second', 'feature="ruleId" algorithm="recommendation" rankBasis="lift" rank="2"')
    + out('fifth', 'feature="ruleId" algorithm="recommendation" rankBasis="lift" rank="5"')));
  assert.equal(m.score({ item: ['Cracker', 'Water', 'Coke'] }).outputs, { second: '1', fifth: null });
});

test('the default rank basis is confidence, descending; ascending reverses it', () => {
  const m = loadPmml(transactional(out('top', 'feature="ruleId" algorithm="recommendation"')
    + out('low', 'feature="ruleId" algorithm="recommendation" rankOrder="ascending"')));
  assert.equal(m.score({ item: ['Cracker', 'Water'] }).outputs, { top: '1', low: '4' });
});

test('rule features: antecedent and consequent as item lists, support, confidence, lift; ruleValue names the same', () => {
  const feats = ['antecedent', 'consequent', 'support', 'confidence', 'lift'];
  const m = loadPmml(transactional(feats.map((f) => out(f, `feature="${f}" algorithm="recommendation" rankBasis="lift" rank="4"`)
    + out(`v_${f}`, `feature="ruleValue" ruleFeature="${f}" algorithm="recommendation" rankBasis="lift" rank="4"`)).join('')));
  const o = m.score({ item: ['Cracker', 'Water', 'Nachos'] }).outputs!;
  // Every rule is selected; by lift r3 (3), 1 (2), 4 (1), 2 (0.5): the fourth is rule 2, Water -> Cracker.
  assert.equal(o['antecedent'], ['Water']);
  assert.equal(o['consequent'], ['Cracker']);
  assert.equal([o['support'], o['confidence'], o['lift']], [0.5, 0.8, 0.5]);
  for (const f of feats) assert.equal(o[`v_${f}`], o[f], f);
});

test('an itemset of two items is held only when both are', () => {
  const m = loadPmml(transactional(out('c', 'feature="consequent" algorithm="ruleAssociation" rankBasis="lift" rank="0" isMultiValued="1"')));
  assert.equal(m.score({ item: ['Cracker', 'Nachos'] }).outputs, { c: [] });
  assert.equal(m.score({ item: ['Cracker', 'Water', 'Nachos'] }).outputs, { c: [['Water'], ['Nachos'], ['Cracker']] });
});

test('transactional input: a single value or a missing one fails the record alone (JPMML wants a collection)', () => {
  const m = loadPmml(transactional(out('id', 'feature="ruleId"')));
  const [one, none, list] = m.scoreBatch([{ item: 'Cracker' }, {}, { item: ['Cracker'] }]);
  assert.is(one?.kind, 'failed');
  assert.is(none?.kind, 'failed');
  assert.is(list?.kind, 'scored');
});

test('a list is refused for a model without a group field', () => {
  const xml = pmmlDoc([{ name: 'x' }], '<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><RegressionTable intercept="1"><NumericPredictor name="x" coefficient="1"/></RegressionTable></RegressionModel>');
  assert.throws(() => loadPmml(xml).score({ x: [1, 2] }), /only a transactional model/);
});

function categorical(items: string, sets: string, rules: string): string {
  return pmmlDoc([
    { name: 'Cracker', dataType: 'string' }, { name: 'Water', dataType: 'boolean', optype: 'categorical' }, { name: 'Day', dataType: 'string' },
  ], `<AssociationModel functionName="associationRules" numberOfTransactions="1" minimumSupport="0" minimumConfidence="0" numberOfItems="3" numberOfItemsets="3" numberOfRules="1">
    <MiningSchema><MiningField name="Cracker"/><MiningField name="Water"/><MiningField name="Day"/></MiningSchema>
    <Output>${out('c', 'feature="consequent" algorithm="recommendation" rank="0" isMultiValued="1"')}</Output>${items}${sets}${rules}</AssociationModel>`);
}

test('categorical input: "T"/"F" and boolean fields are items, "field=category" matches a value', () => {
  const m = loadPmml(categorical(
    '<Item id="1" value="Cracker"/><Item id="2" value="Water"/><Item id="3" value="Day=Friday"/>',
    '<Itemset id="a"><ItemRef itemRef="1"/><ItemRef itemRef="2"/></Itemset><Itemset id="b"><ItemRef itemRef="3"/></Itemset>',
    '<AssociationRule antecedent="a" consequent="b" support="1" confidence="1"/><AssociationRule antecedent="b" consequent="a" support="1" confidence="0.5"/>',
  ));
  assert.equal(m.score({ Cracker: 'T', Water: true, Day: 'Monday' }).outputs, { c: [['Day=Friday']] });
  assert.equal(m.score({ Cracker: 'F', Water: true, Day: 'Friday' }).outputs, { c: [['Cracker', 'Water']] });
  assert.equal(m.score({ Cracker: 'T', Water: false, Day: 'Friday' }).outputs, { c: [['Cracker', 'Water']] });
});

test('categorical input: a value that is neither true nor false fails the record', () => {
  const m = loadPmml(categorical('<Item id="1" value="Cracker"/>', '<Itemset id="a"><ItemRef itemRef="1"/></Itemset>',
    '<AssociationRule antecedent="a" consequent="a" support="1" confidence="1"/>'));
  assert.throws(() => m.score({ Cracker: 'maybe' }), /expected false or true/);
});

test('refuses an Item naming no field, naming the Item', () => {
  refuses(categorical('<Item id="1" value="Bread"/>', '<Itemset id="a"><ItemRef itemRef="1"/></Itemset>',
    '<AssociationRule antecedent="a" consequent="a" support="1" confidence="1"/>'), '<Item id="1" value="Bread">');
});

test('refuses a rule naming no Itemset, naming the attribute', () => {
  refuses(transactional('', '<AssociationRule antecedent="9" consequent="1" support="1" confidence="1"/>'), '<AssociationRule antecedent="9">');
});

test('refuses ranking by lift when a rule lacks it, naming the OutputField', () => {
  refuses(transactional(out('x', 'feature="ruleId" rankBasis="lift"'), RULES.replace(' lift="0.5"', '')), '<OutputField name="x" feature="ruleId">', 'lift');
});

test('refuses an unknown algorithm, naming the attribute', () => {
  refuses(transactional(out('x', 'feature="ruleId" algorithm="bestGuess"')), 'algorithm="bestGuess"');
});

test('refuses a feature an association result lacks (predictedValue), naming the OutputField', () => {
  refuses(transactional(out('p', 'feature="predictedValue"')), '<OutputField name="p" feature="predictedValue">', 'AssociationModel');
});

test('refuses Targets', () => {
  refuses(transactional('').replace('<Output>', '<Targets><Target/></Targets><Output>'), '<AssociationModel> cannot have <Targets>');
});

test('each record gets its own rules: items of the previous transaction are not held over', () => {
  const m = loadPmml(transactional(out('rec', 'feature="ruleId" algorithm="recommendation" rankBasis="lift" rank="0" isMultiValued="1"')));
  const [full, empty, water] = m.scoreBatch([{ item: ['Cracker', 'Water', 'Nachos'] }, { item: ['Beer'] }, { item: ['Water'] }])
    .map((o) => (o.kind === 'scored' ? o.prediction.outputs?.['rec'] : o.error.message));
  assert.equal(full, ['r3', '1', '4', '2']);
  assert.equal(empty, []);
  assert.equal(water, ['2']);
});

test.run();
