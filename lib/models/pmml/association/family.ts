// AssociationModel (PMML 4.4 §AssociationModel): Items, Itemsets of items, and rules
// "antecedent itemset ⇒ consequent itemset". Scoring finds which Itemsets the record's items
// contain; the rules selected from that (recommendation, exclusiveRecommendation,
// ruleAssociation) are reported only through OutputFields (association/outputs.ts): the model
// predicts no value, so `value` is null.
import { ModelLoadError } from '../../api/model.ts';
import type { CompiledModel, FamilyContext, ModelFamily, Score, Slots } from '../family.ts';
import { readMiningSchema } from '../mining-schema.ts';
import { child, childrenNamed, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';
import { compileItems } from './items.ts';
import { ruleOutputField } from './outputs.ts';

export interface Rule {
  /** The rule's id: its `id`, else its 1-based position (as JPMML numbers entities). */
  readonly id: string;
  /** Item values of its antecedent and consequent itemsets, in ItemRef order. */
  readonly antecedent: readonly string[];
  readonly consequent: readonly string[];
  readonly support: number;
  readonly confidence: number;
  readonly lift: number | null;
  readonly leverage: number | null;
  readonly affinity: number | null;
}

function optionalNumber(el: XmlElement, attr: string): number | null {
  return el.attrs[attr] === undefined ? null : numberAttr(el, attr);
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  // JPMML: an association model has no target, so neither Targets nor a target MiningField.
  if (child(model, 'Targets') !== undefined) throw new ModelLoadError('<AssociationModel> cannot have <Targets>');
  if (ctx.target !== null) throw new ModelLoadError(`<AssociationModel> cannot have a target field (<MiningField name="${ctx.target.name}">)`);
  const schema = readMiningSchema(model);
  const groups = schema.filter((f) => f.usageType === 'group').length;
  const active = schema.filter((f) => f.usageType === 'active').map((f) => f.name);

  const itemEls = childrenNamed(model, 'Item');
  const itemIndex = new Map<string, number>();
  itemEls.forEach((el, i) => {
    const id = requiredAttr(el, 'id');
    if (itemIndex.has(id)) throw new ModelLoadError(`<Item id="${id}"> is defined twice`);
    itemIndex.set(id, i);
  });
  const readItems = compileItems(itemEls, ctx, groups, active);

  const itemsets = new Map<string, { readonly index: number; readonly items: readonly number[] }>();
  for (const el of childrenNamed(model, 'Itemset')) {
    const id = requiredAttr(el, 'id');
    if (itemsets.has(id)) throw new ModelLoadError(`<Itemset id="${id}"> is defined twice`);
    const items = childrenNamed(el, 'ItemRef').map((ref) => {
      const i = itemIndex.get(requiredAttr(ref, 'itemRef'));
      if (i === undefined) throw new ModelLoadError(`<Itemset id="${id}"> <ItemRef itemRef="${ref.attrs['itemRef']}"> names no <Item>`);
      return i;
    });
    itemsets.set(id, { index: itemsets.size, items });
  }
  const setItems = [...itemsets.values()].map((s) => s.items);
  const itemValues = itemEls.map((el) => requiredAttr(el, 'value'));

  const ids = new Set<string>();
  const ruleEls = childrenNamed(model, 'AssociationRule');
  const antecedents: number[] = [], consequents: number[] = [];
  const rules: Rule[] = ruleEls.map((el, i) => {
    const id = el.attrs['id'] ?? String(i + 1);
    if (ids.has(id)) throw new ModelLoadError(`<AssociationRule id="${id}"> is defined twice`);
    ids.add(id);
    const side = (attr: 'antecedent' | 'consequent'): number => {
      const set = itemsets.get(requiredAttr(el, attr));
      if (set === undefined) throw new ModelLoadError(`<AssociationRule ${attr}="${el.attrs[attr]}"> names no <Itemset>`);
      return set.index;
    };
    const a = side('antecedent'), c = side('consequent');
    antecedents.push(a);
    consequents.push(c);
    return {
      id, antecedent: setItems[a]!.map((j) => itemValues[j]!), consequent: setItems[c]!.map((j) => itemValues[j]!),
      support: numberAttr(el, 'support'), confidence: numberAttr(el, 'confidence'),
      lift: optionalNumber(el, 'lift'), leverage: optionalNumber(el, 'leverage'), affinity: optionalNumber(el, 'affinity'),
    };
  });

  // Per model, reused by every record (the outputs read them while that record is scored).
  const held = new Uint8Array(itemEls.length);
  const sets = setItems.map((items) => Int32Array.from(items));
  const contained = new Uint8Array(sets.length);
  const antecedent = new Array<boolean>(antecedents.length), consequent = new Array<boolean>(consequents.length);
  const rulesOf = { antecedent, consequent };
  const score = (s: Slots): Score => {
    readItems(s, held);
    // "An itemset is contained in the input" when every one of its items is (PMML 4.4 §AssociationRule).
    for (let j = 0; j < sets.length; j++) {
      const items = sets[j]!;
      let all = 1;
      for (let i = 0; i < items.length; i++) if (held[items[i]!] === 0) { all = 0; break; }
      contained[j] = all;
    }
    for (let r = 0; r < antecedents.length; r++) { antecedent[r] = contained[antecedents[r]!] === 1; consequent[r] = contained[consequents[r]!] === 1; }
    return { value: null, rules: rulesOf };
  };
  return { functionName: 'associationRules', labels: [], score, outputField: (el) => ruleOutputField(el, rules) };
}

export const associationFamily: ModelFamily = { element: 'AssociationModel', functionNames: ['associationRules'], compile };
