// NearestNeighborModel (PMML 4.4 §NearestNeighborModel): the record's distance to every training
// instance over the KNNInputs; the numberOfNeighbors nearest (equal distances in table order)
// decide the target: a (weighted) majority vote or an average, median or weighted average,
// weights 1 / (distance + threshold). entityId/affinity rank every instance, nearest first.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, Eval, FamilyContext, ModelFamily, RankedEntity, Score, Slots, Value } from '../family.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';
import { compileMeasure, type InputMeasure } from './distance.ts';
import { readTrainingInstances } from './training.ts';
import { continuousTarget, categoricalTarget, type Neighbor } from './targets.ts';

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  const target = ctx.target;
  if (target === null) throw new ModelLoadError('<NearestNeighborModel> has no target MiningField');
  const table = readTrainingInstances(model);
  const k = numberAttr(model, 'numberOfNeighbors');
  if (!Number.isInteger(k) || k < 1 || k > table.rows) throw new ModelLoadError(`<NearestNeighborModel> numberOfNeighbors="${model.attrs['numberOfNeighbors']}" must be an integer in 1..${table.rows} (the training instances)`);
  const threshold = numberAttr(model, 'threshold', 0.001);
  const cm = child(model, 'ComparisonMeasure');
  if (cm === undefined) throw new ModelLoadError('<NearestNeighborModel> lacks <ComparisonMeasure>');
  const measure = compileMeasure(cm);
  const knn = child(model, 'KNNInputs');
  const inputEls = knn === undefined ? [] : childrenNamed(knn, 'KNNInput');
  if (inputEls.length === 0) throw new ModelLoadError('<NearestNeighborModel> lacks <KNNInputs> with a <KNNInput>');
  const gets: Eval[] = [];
  const inputs: InputMeasure[] = [];
  const columns: (readonly Value[])[] = [];
  for (const el of inputEls) {
    const name = requiredAttr(el, 'field');
    const field = ctx.field(name, el);
    // KNNInput has no similarityScale, so gaussSim cannot be computed.
    const compare = enumAttr(el, 'compareFunction', ['absDiff', 'delta', 'equal'], measure.defaultCompare);
    gets.push(field.get);
    inputs.push({ compare, weight: numberAttr(el, 'fieldWeight', 1), scale: NaN });
    columns.push(table.column(name, field.dataType, el));
  }
  const instances = Array.from({ length: table.rows }, (_, r) => columns.map((c) => c[r]!));
  const idVariable = model.attrs['instanceIdVariable'];
  const ids = idVariable === undefined
    ? instances.map((_, r) => String(r + 1))
    : table.column(idVariable, 'string', model).map((v, r) => {
      if (v === null) throw new ModelLoadError(`<NearestNeighborModel instanceIdVariable="${idVariable}">: training instance ${r + 1} has no id`);
      return String(v);
    });
  const targets = table.column(target.name, target.dataType, model);

  let decide: (nearest: readonly Neighbor[]) => Value;
  if (target.optype === 'continuous') {
    if (ctx.functionName !== 'regression') throw new ModelLoadError(`<NearestNeighborModel functionName="${ctx.functionName}"> has a continuous target "${target.name}"`);
    decide = continuousTarget(enumAttr(model, 'continuousScoringMethod', ['average', 'median', 'weightedAverage'], 'average'), threshold);
  } else if (target.optype === 'categorical') {
    if (ctx.functionName !== 'classification') throw new ModelLoadError(`<NearestNeighborModel functionName="${ctx.functionName}"> has a categorical target "${target.name}"`);
    decide = categoricalTarget(enumAttr(model, 'categoricalScoringMethod', ['majorityVote', 'weightedMajorityVote'], 'majorityVote'), threshold, targets);
  } else {
    throw new ModelLoadError(`<NearestNeighborModel>: target "${target.name}" optype="${target.optype}" is not supported (supported: continuous, categorical)`);
  }

  const n = gets.length, rows = instances.length;
  // The common case, numeric inputs compared by absDiff with complete training rows, runs on typed arrays.
  const numeric = inputs.every((f) => f.compare === 'absDiff') && instances.every((row) => row.every((v) => typeof v === 'number'))
    ? instances.map((row) => Float64Array.from(row as number[])) : null;
  const weights = Float64Array.from(inputs, (f) => f.weight);
  const score = (s: Slots): Score => {
    const x = new Array<Value>(n);
    let present = 0;
    for (let i = 0; i < n; i++) { x[i] = gets[i]!(s); if (x[i] !== null) present++; }
    if (present === 0) throw new RecordError('every KNNInput is missing: no distance can be computed');
    const adjustment = n / present;
    const dist = new Float64Array(rows);
    if (numeric !== null) {
      const xv = new Float64Array(n);
      for (let i = 0; i < n; i++) xv[i] = x[i] === null ? NaN : (x[i] as number);
      for (let r = 0; r < rows; r++) dist[r] = measure.absDiff(xv, numeric[r]!, weights, adjustment);
    } else {
      for (let r = 0; r < rows; r++) dist[r] = measure.distance(x, instances[r]!, inputs, adjustment);
    }
    const top = nearest(dist, k);
    const value = decide(top.map((row) => ({ row, distance: dist[row]!, target: targets[row]! })));
    const v = typeof value === 'number' && ctx.functionName === 'regression' ? value : String(value);
    // Every instance ranked only when an OutputField asks for it (a sort per record otherwise).
    let ranking: RankedEntity[] | undefined;
    return {
      value: v, entityId: ids[top[0]!]!,
      get ranking(): RankedEntity[] {
        return (ranking ??= Array.from(dist.keys()).sort((a, b) => dist[a]! - dist[b]! || a - b).map((row) => ({ id: ids[row]!, affinity: dist[row]! })));
      },
    };
  };
  return { functionName: ctx.functionName, labels: [], score };
}

/** The rows of the `k` smallest distances, nearest first; equal distances in table order (as a stable sort). */
function nearest(dist: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let r = 0; r < dist.length; r++) {
    const d = dist[r]!;
    if (top.length === k && !(d < dist[top[k - 1]!]!)) continue;
    let i = top.length;
    while (i > 0 && dist[top[i - 1]!]! > d) i--;
    top.splice(i, 0, r);
    if (top.length > k) top.pop();
  }
  return top;
}

export const nearestNeighborFamily: ModelFamily = { element: 'NearestNeighborModel', compile };

