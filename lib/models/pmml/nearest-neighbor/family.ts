// NearestNeighborModel (PMML 4.4 §NearestNeighborModel): the record's distance (or binary
// similarity) to every training instance over the KNNInputs; the numberOfNeighbors nearest
// (equal ones in table order) decide each target: a (weighted) majority vote or an average,
// median or weighted average, weights 1 / (distance + threshold). functionName="mixed" decides
// every target by its optype; "clustering" has none and reports the instances only.
// entityId/affinity rank every instance, nearest first.
import { ModelLoadError } from '../../api/model.ts';
import type { CompiledModel, FamilyContext, ModelFamily, RankedEntity, Score, Slots, TargetInfo, Value } from '../family.ts';
import { child, enumAttr, numberAttr, type XmlElement } from '../xml.ts';
import { compileInputs } from './inputs.ts';
import { readTrainingInstances } from './training.ts';
import { categoricalTarget, continuousTarget, type Decide } from './targets.ts';

function decider(model: XmlElement, ctx: FamilyContext, target: TargetInfo, column: readonly Value[], threshold: number, similarity: boolean): Decide {
  const fn = ctx.functionName;
  const method = target.optype === 'continuous'
    ? enumAttr(model, 'continuousScoringMethod', ['average', 'median', 'weightedAverage'], 'average')
    : enumAttr(model, 'categoricalScoringMethod', ['majorityVote', 'weightedMajorityVote'], 'majorityVote');
  // Weights are 1 / (distance + threshold): JPMML cannot weigh similarities and fails every record.
  if (similarity && method.startsWith('weighted')) {
    throw new ModelLoadError(`<NearestNeighborModel ${target.optype === 'continuous' ? 'continuousScoringMethod' : 'categoricalScoringMethod'}="${method}"> needs a distance, not a similarity measure`);
  }
  if (target.optype === 'continuous') {
    if (fn !== 'regression' && fn !== 'mixed') throw new ModelLoadError(`<NearestNeighborModel functionName="${fn}"> has a continuous target "${target.name}"`);
    return continuousTarget(method as 'average', threshold, column, target.name);
  }
  if (target.optype === 'categorical') {
    if (fn !== 'classification' && fn !== 'mixed') throw new ModelLoadError(`<NearestNeighborModel functionName="${fn}"> has a categorical target "${target.name}"`);
    return categoricalTarget(method as 'majorityVote', threshold, column, target.name);
  }
  throw new ModelLoadError(`<NearestNeighborModel>: target "${target.name}" optype="${target.optype}" is not supported (supported: continuous, categorical)`);
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  const fn = ctx.functionName;
  const targets = ctx.targets;
  if (fn === 'clustering' ? targets.length > 0 : targets.length === 0) {
    throw new ModelLoadError(fn === 'clustering' ? `<NearestNeighborModel functionName="clustering"> cannot have a target field ("${targets[0]!.name}")` : '<NearestNeighborModel> has no target MiningField');
  }
  if (fn !== 'mixed' && targets.length > 1) throw new ModelLoadError(`<NearestNeighborModel functionName="${fn}"> has ${targets.length} targets (only functionName="mixed" can have several)`);
  const table = readTrainingInstances(model);
  const k = numberAttr(model, 'numberOfNeighbors');
  if (!Number.isInteger(k) || k < 1 || k > table.rows) throw new ModelLoadError(`<NearestNeighborModel> numberOfNeighbors="${model.attrs['numberOfNeighbors']}" must be an integer in 1..${table.rows} (the training instances)`);
  const threshold = numberAttr(model, 'threshold', 0.001);
  const cm = child(model, 'ComparisonMeasure');
  if (cm === undefined) throw new ModelLoadError('<NearestNeighborModel> lacks <ComparisonMeasure>');
  const inputs = compileInputs(model, cm, table, ctx);

  const idVariable = model.attrs['instanceIdVariable'];
  if (idVariable === undefined && fn === 'clustering') throw new ModelLoadError('<NearestNeighborModel functionName="clustering"> lacks the attribute instanceIdVariable (its entities are the instances\' ids)');
  const ids = idVariable === undefined
    ? Array.from({ length: table.rows }, (_, r) => String(r + 1))
    : table.column(idVariable, 'string', model).map((v, r) => {
      if (v === null) throw new ModelLoadError(`<NearestNeighborModel instanceIdVariable="${idVariable}">: training instance ${r + 1} has no id`);
      return String(v);
    });
  const deciders = targets.map((t) => decider(model, ctx, t, table.column(t.name, t.dataType, model), threshold, inputs.similarity));
  const names = targets.map((t) => t.name);
  const numericValue = targets.map((t) => t.optype === 'continuous' && (fn === 'regression' || fn === 'mixed'));

  const rows = table.rows;
  const nearest = nearestOf(rows, k, inputs.similarity);
  const score = (s: Slots): Score => {
    const dist = inputs.measure(s, k);
    const top = nearest(dist);
    // Every instance ranked only when an OutputField asks for it (a sort per record otherwise);
    // `dist` is reused by the next record, so the ranking is taken before then.
    let ranking: RankedEntity[] | undefined;
    const rank = (): RankedEntity[] => {
      if (ranking !== undefined) return ranking;
      const all = inputs.complete();
      return (ranking = rankAll(all, inputs.similarity).map((row) => ({ id: ids[row]!, affinity: all[row]! })));
    };
    let value: Value = null, values: { [name: string]: Value } | undefined;
    for (let t = 0; t < deciders.length; t++) {
      const v = deciders[t]!(top, k, dist);
      const out = typeof v === 'number' && numericValue[t] ? v : String(v);
      if (t === 0) value = out;
      if (deciders.length > 1) (values ??= {})[names[t]!] = out;
    }
    const r: { value: number | string | null; entityId: string; targets?: { [name: string]: Value }; valueless?: true; readonly rankLazily: () => RankedEntity[] } = {
      value: value as number | string | null, entityId: ids[top[0]!]!, rankLazily: rank,
    };
    if (values !== undefined) r.targets = values;
    if (deciders.length === 0) r.valueless = true;
    return r;
  };
  return { functionName: fn, labels: [], score };
}

/**
 * The rows of the `k` nearest instances (smallest distances, or largest similarities), nearest
 * first, equal ones in table order (as JPMML's stable sort); the returned array is reused.
 */
function nearestOf(rows: number, k: number, similarity: boolean): (dist: Float64Array) => Int32Array {
  const top = new Int32Array(k + 1);
  const sign = similarity ? -1 : 1;
  return (dist) => {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const d = sign * dist[r]!;
      if (n === k && !(d < sign * dist[top[k - 1]!]!)) continue;
      let i = n;
      while (i > 0 && sign * dist[top[i - 1]!]! > d) { top[i] = top[i - 1]!; i--; }
      top[i] = r;
      if (n < k) n++;
    }
    return top;
  };
}

function rankAll(dist: Float64Array, similarity: boolean): number[] {
  const rows = Array.from(dist.keys());
  return similarity ? rows.sort((a, b) => dist[b]! - dist[a]! || a - b) : rows.sort((a, b) => dist[a]! - dist[b]! || a - b);
}

export const nearestNeighborFamily: ModelFamily = {
  element: 'NearestNeighborModel', functionNames: ['regression', 'classification', 'clustering', 'mixed'], compile,
};
