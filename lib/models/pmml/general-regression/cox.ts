// Cox regression (PMML 4.4 §GeneralRegressionModel, modelType="CoxRegression"): the predicted
// value is the cumulative hazard at the record's end time,
//   H(t) = H0(t) · exp(r − s),  r = Σ β·x (the linear predictor), s = Σ β·referencePoint,
// where H0(t) is the baseline cell with the largest time not after t, in the record's stratum
// (baselineStrataVariable) or the one table. Before the first cell H is 0; after maxTime, or in
// a stratum with no BaselineStratum, there is no prediction.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { FamilyContext, FieldInfo, Slots, Value } from '../family.ts';
import { toType, valueKey } from '../values.ts';
import { child, childrenNamed, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';

interface Baseline {
  readonly maxTime: number;
  /** Cells sorted by time. */
  readonly times: readonly number[];
  readonly hazards: readonly number[];
}

/** Computes the cumulative hazard from the linear predictor r (null: an input was missing). */
export type CoxHazard = (slots: Slots, r: number | null) => number | null;

function baseline(el: XmlElement, where: string): Baseline {
  const cells = childrenNamed(el, 'BaselineCell').map((c) => ({ time: numberAttr(c, 'time'), hazard: numberAttr(c, 'cumHazard') }));
  if (cells.length === 0) throw new ModelLoadError(`${where} has no <BaselineCell>`);
  cells.sort((a, b) => a.time - b.time);
  return { maxTime: numberAttr(el, 'maxTime'), times: cells.map((c) => c.time), hazards: cells.map((c) => c.hazard) };
}

/** The hazard of the last cell whose time is not after t; the caller has checked t ≥ the first time. */
function hazardAt(b: Baseline, t: number): number {
  let lo = 0, hi = b.times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (b.times[mid]! <= t) lo = mid; else hi = mid - 1;
  }
  return b.hazards[lo]!;
}

function required(field: FieldInfo, s: Slots, role: string): Value {
  const v = field.get(s);
  if (v === null) throw new RecordError(`field "${field.name}" (the ${role} of the Cox regression) is missing`);
  return v;
}

/** Σ β·referencePoint over the ParamMatrix (a Parameter without referencePoint counts 0). */
function referencePoint(model: XmlElement): number {
  const points = new Map<string, number>();
  for (const p of childrenNamed(child(model, 'ParameterList')!, 'Parameter')) points.set(requiredAttr(p, 'name'), numberAttr(p, 'referencePoint', 0));
  let s = 0;
  for (const c of childrenNamed(child(model, 'ParamMatrix')!, 'PCell')) {
    const name = requiredAttr(c, 'parameterName');
    const point = points.get(name);
    if (point === undefined) throw new ModelLoadError(`<PCell parameterName="${name}"> names no <Parameter> of the <ParameterList>`);
    s += numberAttr(c, 'beta') * point;
  }
  return s;
}

export function compileCox(model: XmlElement, ctx: FamilyContext): CoxHazard {
  const where = '<GeneralRegressionModel modelType="CoxRegression">';
  const tables = child(model, 'BaseCumHazardTables');
  if (tables === undefined) throw new ModelLoadError(`${where} lacks <BaseCumHazardTables>`);
  const endName = model.attrs['endTimeVariable'];
  if (endName === undefined) throw new ModelLoadError(`${where} lacks the attribute endTimeVariable`);
  const end = ctx.field(endName, model);
  const s = referencePoint(model);
  const strataName = model.attrs['baselineStrataVariable'];
  let pick: (slots: Slots) => Baseline | undefined;
  if (strataName === undefined) {
    if (childrenNamed(tables, 'BaselineStratum').length > 0) throw new ModelLoadError(`<BaseCumHazardTables> has <BaselineStratum> but ${where} has no baselineStrataVariable`);
    const only = baseline(tables, '<BaseCumHazardTables>');
    pick = () => only;
  } else {
    const strata = ctx.field(strataName, model);
    const byValue = new Map<string, Baseline>();
    for (const st of childrenNamed(tables, 'BaselineStratum')) {
      const raw = requiredAttr(st, 'value');
      const v = toType(raw, strata.dataType);
      if (v === undefined) throw new ModelLoadError(`<BaselineStratum value="${raw}"> is not a ${strata.dataType} value of field "${strata.name}"`);
      byValue.set(valueKey(v), baseline(st, `<BaselineStratum value="${raw}">`));
    }
    pick = (slots) => byValue.get(valueKey(required(strata, slots, 'baselineStrataVariable')));
  }
  return (slots, r) => {
    const b = pick(slots);
    if (b === undefined) return null;
    const t = Number(required(end, slots, 'endTimeVariable'));
    if (Number.isNaN(t)) throw new RecordError(`field "${end.name}" (the endTimeVariable of the Cox regression) is not a number`);
    if (t > b.maxTime) return null;
    if (t < b.times[0]!) return 0;
    if (r === null) return null;
    return hazardAt(b, t) * Math.exp(r - s);
  };
}
