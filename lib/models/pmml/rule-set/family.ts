// RuleSetModel (PMML 4.4 §RuleSet): the SimpleRules whose predicates are true (CompoundRules
// only gate their children) are grouped by score; the first RuleSelectionMethod picks the winner.
// The result is a label and the winning rule's id (feature="entityId"); JPMML reports rule
// confidences, not probabilities, so there are none.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, FamilyContext, ModelFamily, PredicateFn, Score, Slots } from '../family.ts';
import { predicateChild } from '../predicates.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';

interface SimpleRule {
  readonly kind: 'simple';
  readonly predicate: PredicateFn;
  readonly score: string;
  /** The rule's `id`, else its 1-based position among all SimpleRules in document order. */
  readonly id: string;
  readonly weight: number;
  readonly confidence: number;
}

interface CompoundRule {
  readonly kind: 'compound';
  readonly predicate: PredicateFn;
  readonly rules: readonly Rule[];
}

type Rule = SimpleRule | CompoundRule;

const CRITERIA = ['firstHit', 'weightedSum', 'weightedMax'] as const;

function compileRules(parent: XmlElement, ctx: FamilyContext, counter: { n: number }): Rule[] {
  const out: Rule[] = [];
  for (const el of parent.children) {
    if (el.name === 'SimpleRule') {
      const index = ++counter.n;
      out.push({
        kind: 'simple', predicate: ctx.predicate(predicateChild(el)), score: requiredAttr(el, 'score'),
        id: el.attrs['id'] ?? String(index), weight: numberAttr(el, 'weight', 1), confidence: numberAttr(el, 'confidence', 1),
      });
    } else if (el.name === 'CompoundRule') {
      const predicate = ctx.predicate(predicateChild(el));
      const rules = compileRules(el, ctx, counter);
      if (rules.length === 0) throw new ModelLoadError('<CompoundRule> has no rules');
      out.push({ kind: 'compound', predicate, rules });
    }
  }
  return out;
}

function fire(rules: readonly Rule[], s: Slots, fired: SimpleRule[]): void {
  for (const r of rules) {
    // An UNKNOWN predicate does not fire.
    if (r.predicate(s) !== true) continue;
    if (r.kind === 'simple') fired.push(r);
    else fire(r.rules, s, fired);
  }
}

/** Fired rules grouped by score, keys in the order first met, rules in firing order. */
function byScore(fired: readonly SimpleRule[]): Map<string, SimpleRule[]> {
  const groups = new Map<string, SimpleRule[]>();
  for (const r of fired) {
    const g = groups.get(r.score);
    if (g === undefined) groups.set(r.score, [r]);
    else g.push(r);
  }
  return groups;
}

/** The rule of largest weight in a group, the first of equals. */
function heaviest(rules: readonly SimpleRule[]): SimpleRule {
  let best = rules[0]!;
  for (const r of rules) if (r.weight > best.weight) best = r;
  return best;
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  if (ctx.functionName !== 'classification') throw new ModelLoadError(`<RuleSetModel functionName="${ctx.functionName}"> is not supported (supported: classification)`);
  const ruleSet = child(model, 'RuleSet');
  if (ruleSet === undefined) throw new ModelLoadError('<RuleSetModel> lacks <RuleSet>');
  const methods = childrenNamed(ruleSet, 'RuleSelectionMethod');
  if (methods.length === 0) throw new ModelLoadError('<RuleSet> lacks <RuleSelectionMethod>');
  // "If more than one method is included, the first method is used as the default method for scoring"
  requiredAttr(methods[0]!, 'criterion');
  const criterion = enumAttr(methods[0]!, 'criterion', CRITERIA, 'firstHit');
  const rules = compileRules(ruleSet, ctx, { n: 0 });
  const defaultScore = ruleSet.attrs['defaultScore'];
  const hasConfidence = ruleSet.attrs['defaultConfidence'] !== undefined;
  if (hasConfidence) numberAttr(ruleSet, 'defaultConfidence');
  // JPMML needs both only when no rule fires, so a model lacking them fails those records alone.
  const fallback: Score | null = defaultScore !== undefined && hasConfidence ? Object.freeze({ value: defaultScore }) : null;

  const score = (s: Slots): Score => {
    const fired: SimpleRule[] = [];
    fire(rules, s, fired);
    if (fired.length === 0) {
      if (fallback === null) throw new RecordError('no rule fired and <RuleSet> lacks defaultScore or defaultConfidence');
      return fallback;
    }
    if (criterion === 'firstHit') return { value: fired[0]!.score, entityId: fired[0]!.id };
    let winner: SimpleRule | undefined;
    let best = -Infinity;
    for (const group of byScore(fired).values()) {
      const rule = heaviest(group);
      let value: number;
      if (criterion === 'weightedMax') value = rule.confidence;
      else {
        // weightedSum: the group's total weight over the number of rules fired in all groups.
        let total = 0;
        for (const r of group) total += r.weight;
        value = total / fired.length;
      }
      if (winner === undefined || value > best) { winner = rule; best = value; }
    }
    return { value: winner!.score, entityId: winner!.id };
  };
  return { functionName: 'classification', labels: [], score };
}

export const ruleSetFamily: ModelFamily = { element: 'RuleSetModel', compile };
