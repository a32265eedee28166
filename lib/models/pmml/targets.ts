// Targets (PMML 4.4 §Targets): regression results are clamped to min/max, rescaled, cast to
// integer; a missing result takes the TargetValue defaultValue (regression) or priorProbability
// distribution (classification), as JPMML's TargetUtil does.
import { ModelLoadError } from '../api/model.ts';
import type { CompiledModel, Score, TargetInfo } from './family.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from './xml.ts';

function findTarget(model: XmlElement, target: TargetInfo | null): XmlElement | undefined {
  const targets = child(model, 'Targets');
  if (targets === undefined) return undefined;
  const all = childrenNamed(targets, 'Target');
  const named = all.find((t) => t.attrs['field'] !== undefined && t.attrs['field'] === target?.name);
  if (named !== undefined) return named;
  const unnamed = all.filter((t) => t.attrs['field'] === undefined);
  if (unnamed.length === 1 && all.length === 1) return unnamed[0];
  const other = all[0];
  if (other !== undefined && named === undefined) {
    throw new ModelLoadError(`<Target field="${other.attrs['field'] ?? ''}"> does not name the model's target field "${target?.name ?? '(none)'}"`);
  }
  return undefined;
}

/** `float`: the model's mathContext is float, so the rescaling is float32 arithmetic (JPMML's FloatValue). */
export function applyTargets(model: XmlElement, compiled: CompiledModel, target: TargetInfo | null, float = false): CompiledModel {
  const el = findTarget(model, target);
  if (el === undefined) return compiled;
  return compiled.functionName === 'regression' ? regression(el, compiled, float) : classification(el, compiled);
}

function regression(el: XmlElement, compiled: CompiledModel, float: boolean): CompiledModel {
  const factor = numberAttr(el, 'rescaleFactor', 1), constant = numberAttr(el, 'rescaleConstant', 0);
  const min = numberAttr(el, 'min', -Infinity), max = numberAttr(el, 'max', Infinity);
  const cast = enumAttr(el, 'castInteger', ['round', 'ceiling', 'floor'], 'round');
  const castFn = el.attrs['castInteger'] === undefined ? null : cast === 'round' ? Math.round : cast === 'ceiling' ? Math.ceil : Math.floor;
  const values = childrenNamed(el, 'TargetValue');
  const defaultEl = values.find((v) => v.attrs['defaultValue'] !== undefined);
  const identity = factor === 1 && constant === 0 && min === -Infinity && max === Infinity && castFn === null;
  const f = Math.fround, f32Factor = f(factor), f32Constant = f(constant);
  const process = float
    ? (v: number): number => {
      let x = v < min ? f(min) : v > max ? f(max) : f(v);
      x = f(f(x * f32Factor) + f32Constant);
      return castFn === null ? x : f(castFn(x));
    }
    : (v: number): number => {
      let x = v < min ? min : v > max ? max : v;
      x = x * factor + constant;
      return castFn === null ? x : castFn(x);
    };
  // JPMML post-processes the default value like a computed one (clamp, rescale, cast).
  const fallback: Score | null = defaultEl === undefined ? null : { value: process(numberAttr(defaultEl, 'defaultValue')) };
  const inner = compiled.score;
  const score = (s: Parameters<CompiledModel['score']>[0]): Score => {
    const r = inner(s);
    const v = r.value;
    if (v === null) return fallback ?? r;
    if (identity || typeof v !== 'number') return r;
    const x = process(v);
    // Everything but the value (entity id, reason codes, ranking) is kept.
    return { ...r, value: x };
  };
  return { ...compiled, score };
}

function classification(el: XmlElement, compiled: CompiledModel): CompiledModel {
  const priors = childrenNamed(el, 'TargetValue')
    .filter((v) => v.attrs['priorProbability'] !== undefined)
    .map((v) => ({ label: requiredAttr(v, 'value'), p: numberAttr(v, 'priorProbability') }));
  if (priors.length === 0) return compiled;
  const labels = [...compiled.labels];
  for (const p of priors) if (!labels.includes(p.label)) labels.push(p.label);
  const probabilities = labels.map((l) => priors.find((p) => p.label === l)?.p ?? 0);
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  const fallback: Score = { value: labels[best]!, probabilities };
  const inner = compiled.score;
  const widen = labels.length !== compiled.labels.length;
  const score = (s: Parameters<CompiledModel['score']>[0]): Score => {
    const r = inner(s);
    if (r.value === null) return fallback;
    if (!widen || r.probabilities === undefined) return r;
    const p = r.probabilities.concat(new Array<number>(labels.length - r.probabilities.length).fill(0));
    return { ...r, probabilities: p };
  };
  return { ...compiled, labels, score };
}
