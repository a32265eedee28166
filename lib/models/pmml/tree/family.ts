// TreeModel (PMML 4.4 §TreeModel): nodes compiled once into a walk over plain objects whose
// results (value, probabilities) are precomputed. Traversal follows JPMML's TreeModelEvaluator:
// a child whose predicate is UNKNOWN is handled by missingValueStrategy; a node none of whose
// children is true is handled by noTrueChildStrategy.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, DataType, Eval, FamilyContext, ModelFamily, PredicateFn, Score, Slots } from '../family.ts';
import { predicateChild } from '../predicates.ts';
import { isNumeric, toType } from '../values.ts';
import { childrenNamed, enumAttr, numberAttr, parseNumber, requiredAttr, type XmlElement } from '../xml.ts';

/** Numeric comparisons are evaluated inline by the walk (no predicate call): the hot case. */
const enum Op { Other, LessThan, LessOrEqual, GreaterThan, GreaterOrEqual }
const INLINE_OPS: { readonly [op: string]: Op } = {
  lessThan: Op.LessThan, lessOrEqual: Op.LessOrEqual, greaterThan: Op.GreaterThan, greaterOrEqual: Op.GreaterOrEqual,
};

interface TreeNode {
  readonly predicate: PredicateFn;
  readonly op: Op;
  readonly get: Eval;
  readonly k: number;
  readonly children: readonly TreeNode[];
  /** The node's result, or the null result when it has no score. */
  readonly result: Score;
  readonly hasScore: boolean;
  /** The child taken when a predicate is UNKNOWN under missingValueStrategy="defaultChild". */
  defaultChild: TreeNode | undefined;
}

// weightedConfidence and aggregateNodes load, but a record that reaches a missing value under them
// fails: JPMML 1.7 implements neither and fails exactly those records (UnsupportedAttributeException).
const MISSING_STRATEGIES = ['none', 'lastPrediction', 'nullPrediction', 'defaultChild', 'weightedConfidence', 'aggregateNodes'] as const;
type MissingStrategy = (typeof MISSING_STRATEGIES)[number];

const NULL_SCORE: Score = { value: null };

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  const missing: MissingStrategy = enumAttr(model, 'missingValueStrategy', MISSING_STRATEGIES, 'none');
  const noTrueChild = enumAttr(model, 'noTrueChildStrategy', ['returnNullPrediction', 'returnLastPrediction'], 'returnNullPrediction');
  const rootEl = childrenNamed(model, 'Node');
  if (rootEl.length !== 1) throw new ModelLoadError(`<TreeModel> must have exactly one root <Node>, found ${rootEl.length}`);

  const classification = ctx.functionName === 'classification';
  const labels: string[] = classification ? [...(ctx.target?.labels ?? [])] : [];
  // A numeric target's label is matched by value: "7" names the DataField's "7.0" (JPMML parses
  // ScoreDistribution@value and Node@score as the target's dataType).
  const canonical = labelCanonicalizer(ctx.target?.dataType, labels);
  if (classification) collectLabels(rootEl[0]!, labels, canonical);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));

  const build = (el: XmlElement): TreeNode => {
    if (el.children.some((c) => c.name === 'Regression' || c.name === 'DecisionTree')) {
      throw new ModelLoadError(`<Node${el.attrs['id'] ? ` id="${el.attrs['id']}"` : ''}>: embedded models are not supported`);
    }
    const predEl = predicateChild(el);
    const predicate = ctx.predicate(predEl);
    let op = Op.Other, get: Eval = predicate, k = 0;
    const inline = predEl.name === 'SimplePredicate' ? INLINE_OPS[predEl.attrs['operator'] ?? ''] : undefined;
    if (inline !== undefined) {
      const f = ctx.field(predEl.attrs['field'] ?? '', predEl);
      const n = parseNumber(predEl.attrs['value'] ?? '');
      // Only where compiling the predicate did the same numeric parse (float fields keep the closure).
      if ((f.dataType === 'double' || f.dataType === 'integer') && n !== null) { op = inline; get = f.get; k = n; }
    }
    const children = childrenNamed(el, 'Node').map(build);
    const rawScore = el.attrs['score'];
    const score = classification && rawScore !== undefined ? canonical(rawScore) : rawScore;
    const id = el.attrs['id'];
    let result: Score = NULL_SCORE;
    let hasScore = score !== undefined;
    if (classification) {
      const probabilities = distribution(el, labels, labelIndex, canonical);
      const confidences = confidencesOf(el, labels, labelIndex, canonical);
      const value = score ?? (probabilities === undefined ? undefined : labels[argmax(probabilities)]);
      hasScore = value !== undefined;
      if (value !== undefined) {
        result = {
          value, ...(probabilities === undefined ? {} : { probabilities }), ...(confidences === undefined ? {} : { confidences: Object.freeze(confidences) }),
          ...(id === undefined ? {} : { entityId: id }),
        };
      }
    } else if (score !== undefined) {
      const parsed = parseNumber(score);
      // mathContext float: JPMML's result value is the score as a float32.
      const n = parsed !== null && ctx.mathContext === 'float' ? Math.fround(parsed) : parsed;
      if (n === null) throw new ModelLoadError(`<Node${id ? ` id="${id}"` : ''}> score="${score}" is not a number (regression tree)`);
      result = id === undefined ? { value: n } : { value: n, entityId: id };
    }
    Object.freeze(result.probabilities);
    const node: TreeNode = { predicate, op, get, k, children, result: Object.freeze(result), hasScore, defaultChild: undefined };
    const dc = el.attrs['defaultChild'];
    if (dc !== undefined) {
      const i = childrenNamed(el, 'Node').findIndex((c) => c.attrs['id'] === dc);
      if (i < 0) throw new ModelLoadError(`<Node defaultChild="${dc}">: no child Node has id="${dc}"`);
      node.defaultChild = children[i];
    }
    return node;
  };
  const root = build(rootEl[0]!);
  const returnLast = noTrueChild === 'returnLastPrediction';

  const score = (s: Slots): Score => {
    if (root.predicate(s) !== true) return NULL_SCORE;
    let node = root;
    for (;;) {
      const children = node.children;
      if (children.length === 0) return node.result;
      let next: TreeNode | undefined;
      for (let i = 0; i < children.length; i++) {
        const child = children[i]!;
        let r: boolean | null;
        switch (child.op) {
          case Op.Other: r = child.predicate(s); break;
          case Op.LessThan: { const v = child.get(s) as number | null; r = v === null ? null : v < child.k; break; }
          case Op.LessOrEqual: { const v = child.get(s) as number | null; r = v === null ? null : v <= child.k; break; }
          case Op.GreaterThan: { const v = child.get(s) as number | null; r = v === null ? null : v > child.k; break; }
          case Op.GreaterOrEqual: { const v = child.get(s) as number | null; r = v === null ? null : v >= child.k; break; }
        }
        if (r === true) { next = child; break; }
        if (r === null) {
          if (missing === 'none') continue;
          if (missing === 'nullPrediction') return NULL_SCORE;
          if (missing === 'lastPrediction') return node.result;
          if (missing === 'weightedConfidence' || missing === 'aggregateNodes') {
            throw new RecordError(`<TreeModel> missingValueStrategy="${missing}" is not implemented, and this record reaches a missing value`);
          }
          // defaultChild: the referenced child's own predicate is not evaluated.
          next = node.defaultChild;
          // JPMML: the Node needs the attribute now (MissingAttributeException), so the record fails.
          if (next === undefined) throw new RecordError(`a <Node> lacks the attribute defaultChild that missingValueStrategy="defaultChild" needs for this record`);
          break;
        }
      }
      if (next === undefined) return returnLast && node.hasScore ? node.result : NULL_SCORE;
      node = next;
    }
  };
  // JPMML multiplies a confidence by missingValuePenalty per missing value met, which this walk does not count.
  const penalty = numberAttr(model, 'missingValuePenalty', 1);
  return { functionName: ctx.functionName, labels, score, ...(classification && penalty === 1 ? { hasConfidences: true as const } : {}) };
}

/** ScoreDistribution@confidence per label, when any is given (JPMML: an absent one is 0). */
function confidencesOf(el: XmlElement, labels: readonly string[], index: ReadonlyMap<string, number>, canonical: (raw: string) => string): number[] | undefined {
  const sds = childrenNamed(el, 'ScoreDistribution').filter((sd) => sd.attrs['confidence'] !== undefined);
  if (sds.length === 0) return undefined;
  const c = new Array<number>(labels.length).fill(0);
  for (const sd of sds) c[index.get(canonical(requiredAttr(sd, 'value')))!] = numberAttr(sd, 'confidence');
  return c;
}

/** Maps a label as written to the one it denotes: for a numeric target, the first known label of equal value. */
function labelCanonicalizer(dataType: DataType | undefined, labels: readonly string[]): (raw: string) => string {
  if (dataType === undefined || !isNumeric(dataType)) return (raw) => raw;
  return (raw) => {
    if (labels.includes(raw)) return raw;
    const n = toType(raw, dataType);
    if (n === undefined) return raw;
    return labels.find((l) => toType(l, dataType) === n) ?? raw;
  };
}

function collectLabels(el: XmlElement, labels: string[], canonical: (raw: string) => string): void {
  for (const sd of childrenNamed(el, 'ScoreDistribution')) {
    const v = canonical(requiredAttr(sd, 'value'));
    if (!labels.includes(v)) labels.push(v);
  }
  const raw = el.attrs['score'];
  const score = raw === undefined ? undefined : canonical(raw);
  if (score !== undefined && !labels.includes(score)) labels.push(score);
  for (const c of childrenNamed(el, 'Node')) collectLabels(c, labels, canonical);
}

/** ScoreDistribution → probabilities: `probability` when given, else recordCount / Σ recordCount. */
function distribution(el: XmlElement, labels: readonly string[], index: ReadonlyMap<string, number>, canonical: (raw: string) => string): number[] | undefined {
  const sds = childrenNamed(el, 'ScoreDistribution');
  if (sds.length === 0) return undefined;
  const useProbability = sds[0]!.attrs['probability'] !== undefined;
  const raw = sds.map((sd) => (useProbability ? numberAttr(sd, 'probability') : numberAttr(sd, 'recordCount')));
  let sum = 0;
  for (const x of raw) sum += x;
  if (sum === 0) return undefined;
  const p = new Array<number>(labels.length).fill(0);
  sds.forEach((sd, i) => {
    const x = raw[i]!;
    p[index.get(canonical(requiredAttr(sd, 'value')))!] = sum === 1 ? x : x / sum;
  });
  return p;
}

function argmax(p: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

export const treeFamily: ModelFamily = { element: 'TreeModel', compile };
