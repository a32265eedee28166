// An AssociationModel's OutputFields (PMML 4.4 §OutputField, "Association rule output"): the
// rules an `algorithm` selects, ranked by `rankBasis`/`rankOrder`, then the `rank`-th one's
// feature, or with isMultiValued="1" the first `rank` ones' (0: all) as a list.
import { ModelLoadError } from '../../api/model.ts';
import type { DataType, FamilyOutput, Score, Value } from '../family.ts';
import { dataTypeAttr } from '../values.ts';
import { enumAttr, numberAttr, type XmlElement } from '../xml.ts';
import type { Rule } from './family.ts';

const RULE_FEATURES = ['antecedent', 'consequent', 'rule', 'ruleId', 'support', 'confidence', 'lift', 'leverage', 'affinity'] as const;
type RuleFeature = (typeof RULE_FEATURES)[number];
const ALGORITHMS = ['recommendation', 'exclusiveRecommendation', 'ruleAssociation'] as const;
const BASES = ['confidence', 'support', 'lift', 'leverage', 'affinity'] as const;

/** OutputField features that are rule features; entityId is the rule's id (as JPMML gives it). */
const FEATURE_OF: Readonly<{ [feature: string]: RuleFeature }> = {
  antecedent: 'antecedent', consequent: 'consequent', rule: 'rule', ruleId: 'ruleId', entityId: 'ruleId',
  support: 'support', confidence: 'confidence', lift: 'lift', leverage: 'leverage',
};

function featureValue(rule: Rule, f: RuleFeature): Value | readonly Value[] {
  switch (f) {
    case 'antecedent': return rule.antecedent;
    case 'consequent': return rule.consequent;
    // JPMML's text of a rule: {a,b}->{c}
    case 'rule': return `{${rule.antecedent.join(',')}}->{${rule.consequent.join(',')}}`;
    case 'ruleId': return rule.id;
    default: return rule[f];
  }
}

function defaultType(f: RuleFeature): DataType {
  return f === 'support' || f === 'confidence' || f === 'lift' || f === 'leverage' || f === 'affinity' ? 'double' : 'string';
}

/** Selects a rule by the algorithm: which of its itemsets the record's items must (not) contain. */
function selector(algorithm: (typeof ALGORITHMS)[number]): (a: boolean, c: boolean) => boolean {
  switch (algorithm) {
    case 'recommendation': return (a) => a;
    case 'exclusiveRecommendation': return (a, c) => a && !c;
    case 'ruleAssociation': return (a, c) => a && c;
  }
}

/** Compiles an OutputField of a rule feature, or returns undefined for any other feature. */
export function ruleOutputField(el: XmlElement, rules: readonly Rule[]): FamilyOutput | undefined {
  const feature = el.attrs['feature'] ?? 'predictedValue';
  const where = `<OutputField name="${el.attrs['name']}" feature="${feature}">`;
  const ruleFeature = feature === 'ruleValue' ? enumAttr(el, 'ruleFeature', RULE_FEATURES, 'consequent') : FEATURE_OF[feature];
  if (ruleFeature === undefined) {
    // An association result has no predicted value, probability or affinity (JPMML fails such fields on every record).
    if (feature === 'transformedValue' || feature === 'decision') return undefined;
    throw new ModelLoadError(`${where} is not a feature of an <AssociationModel> (supported: ruleValue, ${Object.keys(FEATURE_OF).join(', ')}, transformedValue, decision)`);
  }
  const algorithm = enumAttr(el, 'algorithm', ALGORITHMS, 'exclusiveRecommendation');
  const basis = enumAttr(el, 'rankBasis', BASES, 'confidence');
  const descending = enumAttr(el, 'rankOrder', ['descending', 'ascending'], 'descending') === 'descending';
  const multi = enumAttr(el, 'isMultiValued', ['0', '1'], '0') === '1';
  const rank = numberAttr(el, 'rank', 1);
  if (!Number.isInteger(rank) || rank < (multi ? 0 : 1)) throw new ModelLoadError(`${where} rank="${el.attrs['rank']}" must be ${multi ? 'a non-negative' : 'a positive'} integer`);
  const keyOf = (r: Rule): number => {
    const v = r[basis];
    if (v === null) throw new ModelLoadError(`${where} ranks by ${basis}, which <AssociationRule id="${r.id}"> lacks`);
    return v;
  };
  // The ranking is the same for every record: rank all rules once (stably, as JPMML's sorted copy),
  // then keep those the algorithm selects.
  const order = rules.map((r, i) => ({ i, key: rules.length > 1 ? keyOf(r) : 0 }))
    .sort((x, y) => (descending ? y.key - x.key : x.key - y.key) || x.i - y.i).map((x) => x.i);
  const pick = selector(algorithm);
  const dataType = dataTypeAttr(el, defaultType(ruleFeature));
  const limit = multi ? (rank === 0 ? Infinity : rank) : rank;
  const compute = (r: Score): Value | readonly Value[] => {
    const m = r.rules;
    if (m === undefined) return null;
    const chosen: Rule[] = [];
    for (const i of order) {
      if (!pick(m.antecedent[i]!, m.consequent[i]!)) continue;
      chosen.push(rules[i]!);
      if (chosen.length >= limit) break;
    }
    if (multi) return chosen.map((rule) => featureValue(rule, ruleFeature) as Value);
    const rule = chosen[rank - 1];
    return rule === undefined ? null : featureValue(rule, ruleFeature);
  };
  return { dataType, compute };
}
