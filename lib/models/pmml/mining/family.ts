// MiningModel with Segmentation (PMML 4.4 §MultipleModels). Each Segment's predicate and model
// compile once (through the pipeline, so segments keep their own MiningSchema, transformations,
// Targets and Output); scoring walks the segments in document order.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, FamilyContext, ModelFamily, PredicateFn, Score, Slots } from '../family.ts';
import { predicateChild } from '../predicates.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';
import { argmax, maxDistribution, median, medianDistribution, type SegmentOutcome } from './aggregate.ts';
import { clusterVote, multiModelChain } from './clustering.ts';

const METHODS = [
  'majorityVote', 'weightedMajorityVote', 'average', 'weightedAverage', 'median', 'max', 'sum', 'weightedSum',
  'selectFirst', 'selectAll', 'modelChain', 'x-multiModelChain',
] as const;
type Method = (typeof METHODS)[number];

const REGRESSION_METHODS: readonly Method[] = ['average', 'weightedAverage', 'median', 'max', 'sum', 'weightedSum', 'selectFirst', 'selectAll', 'modelChain'];
const CLASSIFICATION_METHODS: readonly Method[] = ['majorityVote', 'weightedMajorityVote', 'average', 'weightedAverage', 'median', 'max', 'selectFirst', 'selectAll', 'modelChain'];
// JPMML: a clustering ensemble votes or selects; x-multiModelChain is the only method of a "mixed" model.
const METHODS_OF: Readonly<{ [f: string]: readonly Method[] }> = {
  regression: [...REGRESSION_METHODS, 'x-multiModelChain'], classification: [...CLASSIFICATION_METHODS, 'x-multiModelChain'],
  clustering: ['majorityVote', 'weightedMajorityVote', 'selectFirst', 'selectAll', 'modelChain', 'x-multiModelChain'], mixed: ['x-multiModelChain'],
};

interface Segment {
  readonly predicate: PredicateFn;
  readonly model: CompiledModel;
  readonly weight: number;
  /** For each of the segment's labels, its index in the mining model's labels. */
  readonly labelMap: readonly number[];
  readonly id: string | undefined;
  /** Its model's Output fields (a chain's later segments read them). */
  readonly outputs: NonNullable<CompiledModel['nestedOutputs']>;
}

const NULL: Score = { value: null };

/** PMML 4.4 Segmentation@missingPredictionTreatment (the x- prefixed attribute before 4.4); default continue. */
type MissingTreatment = 'returnMissing' | 'skipSegment' | 'continue';

interface MissingPolicy {
  readonly treatment: MissingTreatment;
  /** Segmentation@missingThreshold: the share of (weighted) missing results above which the result is missing. */
  readonly threshold: number;
}

function missingPolicy(seg: XmlElement): MissingPolicy {
  const attr = seg.attrs['missingPredictionTreatment'] !== undefined ? 'missingPredictionTreatment' : 'x-missingPredictionTreatment';
  const treatment = enumAttr<MissingTreatment>(seg, attr, ['returnMissing', 'skipSegment', 'continue'], 'continue');
  const tAttr = seg.attrs['missingThreshold'] !== undefined ? 'missingThreshold' : 'x-missingThreshold';
  const threshold = numberAttr(seg, tAttr, 1);
  if (!(threshold >= 0 && threshold <= 1)) throw new ModelLoadError(`<Segmentation> ${tAttr}="${seg.attrs[tAttr]}" must be within [0, 1]`);
  return { treatment, threshold };
}

function isModelElement(el: XmlElement): boolean {
  return el.name.endsWith('Model') || el.name === 'NeuralNetwork' || el.name === 'Scorecard';
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  const seg = child(model, 'Segmentation');
  if (seg === undefined) throw new ModelLoadError('<MiningModel> lacks <Segmentation> (only segmented MiningModels are supported)');
  requiredAttr(seg, 'multipleModelMethod');
  const method = enumAttr(seg, 'multipleModelMethod', METHODS, 'average');
  // JPMML applies a TargetValue default/prior only when no segment is selected, and never to the
  // list; our Targets step would replace the list, so that combination is refused.
  const targets = child(model, 'Targets');
  if (method === 'selectAll' && targets !== undefined && childrenNamed(targets, 'Target').some((t) => child(t, 'TargetValue') !== undefined)) {
    throw new ModelLoadError('<Targets> with <TargetValue> on a MiningModel with multipleModelMethod="selectAll" is not supported');
  }
  const policy = missingPolicy(seg);
  const allowed = METHODS_OF[ctx.functionName] ?? [];
  if (!allowed.includes(method)) {
    throw new ModelLoadError(`<Segmentation multipleModelMethod="${method}"> is not valid for functionName="${ctx.functionName}"`);
  }
  const labels: string[] = ctx.functionName === 'classification' ? [...(ctx.target?.labels ?? [])] : [];
  const segmentResults = new Map<string, Score>();
  // The segments OutputFields name by segmentId: only their results are kept per record (a forest's trees cost nothing).
  const wanted = new Set(childrenNamed(child(model, 'Output') ?? model, 'OutputField').flatMap((f) => f.attrs['segmentId'] ?? []));
  const raw = childrenNamed(seg, 'Segment').map((s, index) => {
    const modelEl = s.children.find(isModelElement);
    if (modelEl === undefined) throw new ModelLoadError(`<Segment${s.attrs['id'] ? ` id="${s.attrs['id']}"` : ''}> lacks a model element`);
    // The predicate first: under modelChain it may read earlier segments' outputs.
    const predicate = ctx.predicate(predicateChild(s));
    const nested = ctx.nested(modelEl) as CompiledModel & { readonly outputs?: CompiledModel['nestedOutputs'] };
    const id = s.attrs['id'], inner = nested.score, key = id ?? String(index + 1);
    // A named segment's result is kept for the record, for OutputFields naming it by segmentId (by position when it has no id).
    const compiled = !wanted.has(key) ? nested : { ...nested, score: (sl: Slots) => { const r = inner(sl); segmentResults.set(key, r); return r; } };
    return { id, predicate, model: compiled, weight: numberAttr(s, 'weight', 1), always: predicateChild(s).name === 'True', outputs: compiled.outputs ?? [] };
  });
  if (raw.length === 0) throw new ModelLoadError('<Segmentation> has no <Segment>');
  for (const r of raw) for (const l of r.model.labels) if (!labels.includes(l)) labels.push(l);
  const segments: Segment[] = raw.map((r) => ({ ...r, labelMap: r.model.labels.map((l) => labels.indexOf(l)) }));
  const n = labels.length;

  /** A segment's result as a distribution over the mining labels (one-hot when it has none). */
  const distribution = (sg: Segment, r: Score): number[] => {
    const p = new Array<number>(n).fill(0);
    if (r.probabilities !== undefined) {
      const map = sg.labelMap;
      for (let i = 0; i < map.length; i++) p[map[i]!] = r.probabilities[i]!;
    } else {
      const j = labels.indexOf(String(r.value));
      if (j >= 0) p[j] = 1;
    }
    return p;
  };
  const remap = (sg: Segment, r: Score): Score => {
    if (ctx.functionName === 'regression' || ctx.functionName === 'clustering' || r.value === null || (ctx.functionName === 'mixed' && sg.model.functionName !== 'classification')) return r;
    const p = distribution(sg, r);
    return { value: r.value, probabilities: p, ...(r.entityId === undefined ? {} : { entityId: r.entityId }) };
  };

  let score: (s: Slots) => Score;
  switch (method) {
    case 'selectFirst':
      score = (s) => {
        // The result's entity is the selected Segment (JPMML: SegmentResult's entity id).
        for (const sg of segments) if (sg.predicate(s) === true) return withTarget(sg, { ...remap(sg, sg.model.score(s)), ...(sg.id === undefined ? {} : { entityId: sg.id }) });
        return NULL;
      };
      break;
    case 'selectAll':
      // JPMML 1.7: the list of every selected segment's result in document order, a segment with
      // no result included (as null); no segment selected is no result at all, not an empty list.
      score = (s) => {
        let out: Score[] | null = null;
        for (const sg of segments) if (sg.predicate(s) === true) (out ??= []).push(remap(sg, sg.model.score(s)));
        return out === null ? NULL : { value: null, segments: out };
      };
      break;
    case 'modelChain':
      score = (s) => {
        let last: Score = NULL, from: Segment | undefined;
        chainFinal.set(raw, -1);
        for (let i = 0; i < segments.length; i++) {
          const sg = segments[i]!;
          if (sg.predicate(s) !== true) continue;
          last = sg.model.score(s); from = sg;
          chainFinal.set(raw, i);
          // JPMML declares a chain segment's Output fields from its result: with none they are undefined, and reading them fails.
          if (last.value === null && last.segments === undefined && sg.outputs.length > 0) {
            throw new RecordError(`the value of output field "${sg.outputs[0]!.name}" is not defined: its model chain segment gave no result`);
          }
        }
        // JPMML's result is the last segment's: its own target(s) only, the others' are missing.
        return from === undefined ? NULL : withTarget(from, remap(from, last));
      };
      break;
    case 'x-multiModelChain': {
      const selected = new Uint8Array(segments.length);
      multiSelected.set(raw, selected);
      score = multiModelChain(segments, ctx.target?.name, selected, (i, r) => remap(segments[i]!, r));
      break;
    }
    default:
      score = ctx.functionName === 'clustering'
        ? clusterVote(segments, method === 'weightedMajorityVote', policy.treatment, policy.threshold)
        : ctx.functionName === 'regression' ? regression(method, segments, policy, ctx.mathContext === 'float') : classification(method, segments, labels, distribution, policy);
  }
  const aggregate = score;
  if (wanted.size === 0) return { functionName: ctx.functionName, labels, score, nestedOutputs: reportedOutputs(method, raw), segmentResult: () => undefined };
  return {
    functionName: ctx.functionName, labels, nestedOutputs: reportedOutputs(method, raw),
    score: (s) => { segmentResults.clear(); return aggregate(s); },
    segmentResult: (id) => segmentResults.get(id),
  };
}

/** A segment's result labelled with its model's target, for a MiningModel with several targets. */
function withTarget(sg: Segment, r: Score): Score {
  const name = sg.model.targetName;
  if (name === undefined) return r;
  return { ...r, targets: { ...r.targets, [name]: r.value } };
}

/** JPMML reports the outputs of selectFirst's segments up to the first True one, of modelChain's from the last True one. */
function reportedOutputs(method: Method, raw: readonly { readonly always: boolean; readonly outputs: CompiledModel['nestedOutputs'] }[]): CompiledModel['nestedOutputs'] {
  let from = 0, to = raw.length;
  if (method === 'selectFirst') { const i = raw.findIndex((r) => r.always); if (i >= 0) to = i + 1; }
  else if (method === 'modelChain') { const i = raw.map((r) => r.always).lastIndexOf(true); if (i >= 0) from = i; }
  else if (method === 'x-multiModelChain') {
    // Every segment's Output fields, each reported while its segment ran for the record.
    return raw.flatMap((r, i) => (r.outputs ?? []).map((o) => ({ ...o, live: () => multiSelected.get(raw)?.[i] === 1 })));
  } else return [];
  // A chain's result is its final segment's: the other segments' fields are reported as null.
  const live = method === 'modelChain' ? (i: number) => () => chainFinal.get(raw) === i : undefined;
  return raw.slice(from, to).flatMap((r, k) => (r.outputs ?? []).map((o) => (live === undefined ? o : { ...o, live: live(from + k) })));
}

/** Per mining model (keyed by its segment list): the index of the segment that gave the current record's result. */
const chainFinal = new WeakMap<object, number>();
/** Per x-multiModelChain mining model: which segments ran for the current record. */
const multiSelected = new WeakMap<object, Uint8Array>();

/** `float`: JPMML's float32 aggregation (each value, product and running sum rounded to float32). */
function regression(method: Method, segments: readonly Segment[], policy: MissingPolicy, float: boolean): (s: Slots) => Score {
  const weighted = method === 'weightedAverage' || method === 'weightedSum';
  const skip = policy.treatment === 'skipSegment';
  if (float) return regressionFloat(method, segments, policy);
  return (s) => {
    let sum = 0, weights = 0, count = 0, max = -Infinity, missingW = 0, totalW = 0;
    const all: number[] | null = method === 'median' ? [] : null;
    for (const sg of segments) {
      if (sg.predicate(s) !== true) continue;
      const v = sg.model.score(s).value;
      totalW += sg.weight;
      // Only skipSegment passes over a missing result (JPMML: continue and returnMissing both give missing).
      if (v === null) { if (!skip) return NULL; missingW += sg.weight; continue; }
      const x = typeof v === 'number' ? v : Number(v);
      count++;
      if (weighted) { sum += sg.weight * x; weights += sg.weight; } else sum += x;
      if (x > max) max = x;
      all?.push(x);
    }
    if (count === 0 || (missingW > 0 && missingW / totalW > policy.threshold)) return NULL;
    switch (method) {
      case 'sum': case 'weightedSum': return { value: sum };
      case 'average': return { value: sum / count };
      case 'weightedAverage': return { value: sum / weights };
      case 'median': return { value: median(all!) };
      default: return { value: max };
    }
  };
}

function regressionFloat(method: Method, segments: readonly Segment[], policy: MissingPolicy): (s: Slots) => Score {
  const f = Math.fround;
  const weighted = method === 'weightedAverage' || method === 'weightedSum';
  const skip = policy.treatment === 'skipSegment';
  return (s) => {
    let sum = 0, weights = 0, count = 0, max = -Infinity, missingW = 0, totalW = 0;
    const all: number[] | null = method === 'median' ? [] : null;
    for (const sg of segments) {
      if (sg.predicate(s) !== true) continue;
      const v = sg.model.score(s).value;
      totalW += sg.weight;
      if (v === null) { if (!skip) return NULL; missingW += sg.weight; continue; }
      const x = f(typeof v === 'number' ? v : Number(v));
      count++;
      if (weighted) { sum = f(sum + (sg.weight === 1 ? x : f(f(sg.weight) * x))); weights = f(weights + f(sg.weight)); } else sum = f(sum + x);
      if (x > max) max = x;
      all?.push(x);
    }
    if (count === 0 || (missingW > 0 && missingW / totalW > policy.threshold)) return NULL;
    switch (method) {
      case 'sum': case 'weightedSum': return { value: sum };
      case 'average': return { value: f(sum / count) };
      case 'weightedAverage': return { value: f(sum / weights) };
      case 'median': return { value: f(median(all!)) };
      default: return { value: max };
    }
  };
}

function classification(
  method: Method, segments: readonly Segment[], labels: readonly string[], distribution: (sg: Segment, r: Score) => number[], policy: MissingPolicy,
): (s: Slots) => Score {
  const { treatment, threshold } = policy;
  const n = labels.length;
  const vote = method === 'majorityVote' || method === 'weightedMajorityVote';
  const weighted = method === 'weightedMajorityVote' || method === 'weightedAverage';
  if (vote || method === 'average' || method === 'weightedAverage') {
    // Scratch for the labels in the order they first appear (JPMML's tie-break: first of the
    // maxima); reused across records, as scoring is synchronous and this closure not re-entered.
    const order: number[] = [];
    const seen = new Uint8Array(n);
    return (s) => {
      const acc = new Array<number>(n).fill(0);
      order.length = 0;
      seen.fill(0);
      let total = 0, count = 0, selectedW = 0, missingW = 0, missingVotes = 0;
      for (const sg of segments) {
        if (sg.predicate(s) !== true) continue;
        const r = sg.model.score(s);
        const w = weighted ? sg.weight : 1;
        selectedW += sg.weight;
        if (r.value === null) {
          // Votes: skipSegment drops it, continue counts a vote for "missing"; probabilities: only skipSegment goes on.
          if (treatment === 'returnMissing' || (!vote && treatment === 'continue')) return NULL;
          missingW += sg.weight;
          if (vote && treatment === 'continue') missingVotes += w;
          continue;
        }
        count++;
        total += w;
        if (!vote && r.probabilities !== undefined) {
          const map = sg.labelMap, p = r.probabilities;
          for (let i = 0; i < map.length; i++) {
            const j = map[i]!;
            if (seen[j] === 0) { seen[j] = 1; order.push(j); }
            acc[j]! += weighted ? w * p[i]! : p[i]!;
          }
        } else {
          const j = labels.indexOf(String(r.value));
          if (j >= 0) {
            if (seen[j] === 0) { seen[j] = 1; order.push(j); }
            acc[j]! += w;
          }
        }
      }
      if (selectedW === 0 && count === 0) return NULL;
      if (missingW > 0 && missingW / selectedW > threshold) return NULL;
      // Every selected segment missing: JPMML's distribution is empty, which it refuses.
      if (count === 0) throw new RecordError('empty classification: every selected segment of the MiningModel gave no result');
      if (total === 0) return NULL;
      let best = order[0] ?? 0;
      for (const j of order) if (acc[j]! > acc[best]!) best = j;
      // "The missing result is returned if it gets the most (possibly weighted) votes" (continue).
      if (missingVotes > 0 && missingVotes > acc[best]!) return NULL;
      for (let j = 0; j < n; j++) acc[j] = acc[j]! / total;
      return { value: labels[best]!, probabilities: acc };
    };
  }
  // median, max: need every segment's whole distribution.
  return (s) => {
    const outcomes: SegmentOutcome[] = [];
    let selectedW = 0, missingW = 0;
    for (const sg of segments) {
      if (sg.predicate(s) !== true) continue;
      const r = sg.model.score(s);
      selectedW += sg.weight;
      if (r.value === null) { if (treatment !== 'skipSegment') return NULL; missingW += sg.weight; continue; }
      outcomes.push({ p: distribution(sg, r), weight: sg.weight });
    }
    if (outcomes.length === 0 || (missingW > 0 && missingW / selectedW > threshold)) return NULL;
    const p = method === 'max' ? maxDistribution(outcomes, n) : medianDistribution(outcomes, n);
    return { value: labels[argmax(p)]!, probabilities: p };
  };
}

export const miningFamily: ModelFamily = { element: 'MiningModel', functionNames: ['regression', 'classification', 'clustering', 'mixed'], compile };
