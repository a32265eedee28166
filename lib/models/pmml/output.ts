// Output (PMML 4.4 §Output): the OutputFields a model computes after scoring. They are written
// to slots so that later segments (modelChain) and transformedValue expressions can read them.
import { ModelLoadError, RecordError } from '../api/model.ts';
import type { CompiledModel, DataType, RankedEntity, Score, Slots, Value } from './family.ts';
import { castTo, compileExpression, expressionChild, type ExprEnv } from './expressions.ts';
import type { Scope } from './scope.ts';
import { dataTypeAttr, opTypeAttr, toType } from './values.ts';
import { child, childrenNamed, enumAttr, numberAttr, parseNumber, requiredAttr, type XmlElement } from './xml.ts';

type Writer = (s: Slots, r: Score) => void;

const FEATURES = [
  'predictedValue', 'predictedDisplayValue', 'probability', 'transformedValue',
  'reasonCode', 'entityId', 'clusterId', 'affinity', 'entityAffinity', 'clusterAffinity', 'residual', 'decision', 'confidence',
] as const;

/** A top-level OutputField: its name and the slot its value is written to. */
export interface OutputSlot {
  readonly name: string;
  readonly slot: number;
  /** A nested model's field: reported only while this is true for the record (a chain's final segment). */
  readonly live?: () => boolean;
}

export interface CompiledOutputs {
  readonly write: Writer;
  readonly fields: readonly OutputSlot[];
}

/** OutputField `rank` (1 = best), for the ranked features. */
function rankAttr(el: XmlElement): number {
  const rank = numberAttr(el, 'rank', 1);
  if (!Number.isInteger(rank) || rank < 1) throw new ModelLoadError(`<OutputField name="${el.attrs['name']}"> rank="${el.attrs['rank']}" must be a positive integer`);
  if ((el.attrs['rankOrder'] ?? 'descending') !== 'descending') throw new ModelLoadError(`<OutputField name="${el.attrs['name']}"> rankOrder="${el.attrs['rankOrder']}" is not supported (supported: descending)`);
  return rank;
}

/** A class's display name: the Target's TargetValue@displayValue, else the DataField Value's (as JPMML). */
function displayValues(model: XmlElement, compiled: CompiledModel, env: ExprEnv): ReadonlyMap<string, string> {
  const out = new Map<string, string>(compiled.targetName === undefined ? [] : env.dict?.get(compiled.targetName)?.displayValues ?? []);
  const targets = child(model, 'Targets');
  for (const t of targets === undefined ? [] : childrenNamed(targets, 'Target')) {
    if (t.attrs['field'] !== undefined && t.attrs['field'] !== compiled.targetName) continue;
    for (const tv of childrenNamed(t, 'TargetValue')) {
      const v = tv.attrs['value'], d = tv.attrs['displayValue'];
      if (v !== undefined && d !== undefined) out.set(v, d);
    }
  }
  return out;
}

/** A class's index by its text, else (numeric labels) by value: value="7" names the label "7.0", as JPMML parses it. */
function labelIndexOf(labels: readonly string[], value: string): number {
  const i = labels.indexOf(value);
  if (i >= 0) return i;
  const n = parseNumber(value);
  return n === null ? -1 : labels.findIndex((l) => parseNumber(l) === n);
}

/** The ranked entity `rank` (1-based) of a result, or the one named by the OutputField's `value`. */
function rankedEntity(r: Score, rank: number, value: string | undefined): RankedEntity | null {
  const ranking = r.ranking ?? r.rankLazily?.();
  if (ranking === undefined) return null;
  if (value !== undefined) return ranking.find((e) => e.id === value) ?? null;
  return ranking[rank - 1] ?? null;
}

/**
 * Compiles the model's OutputFields, defining each in `scopes` (the model's own and, for a
 * segment, the enclosing one). Returns the function that fills their slots after scoring, or
 * null when there is nothing to compute.
 */
export function compileOutputs(model: XmlElement, compiled: CompiledModel, scopes: readonly Scope[], env: ExprEnv): CompiledOutputs | null {
  const output = child(model, 'Output');
  if (output === undefined) return null;
  const own = scopes[0]!;
  const writers: Writer[] = [];
  const targetFree: Writer[] = [];
  // A model with several targets: a field that needs "the" target and names none cannot pick one
  // when no segment gave the result (JPMML: "Expected 1 target field, got 2 target fields").
  const schemaEl = child(model, 'MiningSchema');
  const targetCount = schemaEl === undefined ? 0 : childrenNamed(schemaEl, 'MiningField')
    .filter((f) => f.attrs['usageType'] === 'target' || f.attrs['usageType'] === 'predicted').length;
  let ambiguous: string | undefined;
  const fields: OutputSlot[] = [];
  for (const el of childrenNamed(output, 'OutputField')) {
    const name = requiredAttr(el, 'name');
    const fam = compiled.outputField?.(el);
    const feature = fam === undefined ? enumAttr(el, 'feature', FEATURES, 'predictedValue') : 'family';
    const slot = own.slots.alloc();
    let dataType: DataType;
    let compute: (s: Slots, r: Score) => Value;
    switch (feature) {
      case 'family': {
        // A list (isMultiValued="1") is kept in the slot as it is; only the Prediction reads it.
        dataType = fam!.dataType;
        const f = fam!.compute;
        compute = (_s, r) => f(r) as Value;
        break;
      }
      case 'predictedValue':
      case 'predictedDisplayValue': {
        // A model with several targets (functionName="mixed") reports the one named by targetField.
        const targetField = targetCount > 1 ? el.attrs['targetField'] : undefined;
        const targetType = targetField === undefined ? undefined : env.dict?.get(targetField)?.dataType;
        dataType = dataTypeAttr(el, targetType ?? (compiled.functionName === 'regression' ? 'double' : 'string'));
        const dt = dataType;
        const display = feature === 'predictedDisplayValue' ? displayValues(model, compiled, env) : null;
        compute = (_s, r) => {
          const v = targetField !== undefined && r.targets !== undefined ? r.targets[targetField] ?? null : r.value;
          if (v === null) return null;
          if (display !== null) return r.displayValue ?? display.get(String(v)) ?? String(v);
          const typed = toType(v, dt);
          // JPMML casts the prediction to the OutputField's dataType; a fractional value is no integer.
          if (typed === undefined) throw new RecordError(`output field "${name}" is ${dt}, but the prediction is ${JSON.stringify(v)}`);
          return typed;
        };
        break;
      }
      case 'reasonCode': {
        dataType = dataTypeAttr(el, 'string');
        const i = rankAttr(el) - 1;
        // PMML 4.4 Scorecard: "rank" selects the n-th reason code by points; beyond the list the field is missing.
        compute = (_s, r) => r.reasonCodes?.[i] ?? null;
        break;
      }
      case 'entityId':
      case 'clusterId': {
        dataType = dataTypeAttr(el, 'string');
        const rank = feature === 'clusterId' ? 1 : rankAttr(el);
        compute = (_s, r) => (rank === 1 ? r.entityId ?? rankedEntity(r, 1, undefined)?.id ?? null : rankedEntity(r, rank, undefined)?.id ?? null);
        break;
      }
      case 'affinity':
      case 'entityAffinity':
      case 'clusterAffinity': {
        dataType = dataTypeAttr(el, 'double');
        const rank = feature === 'affinity' ? rankAttr(el) : 1;
        const value = el.attrs['value'];
        // As JPMML: rank 1 names the entity by `value`, else by the predicted value (a cluster id;
        // for NearestNeighborModel a target value, seldom an id); an unknown entity is infinitely far.
        compute = feature === 'affinity' && rank === 1
          ? (_s, r) => (r.ranking === undefined && r.rankLazily === undefined ? null : rankedEntity(r, 1, value ?? String(r.value))?.affinity ?? Infinity)
          : (_s, r) => rankedEntity(r, rank, value)?.affinity ?? null;
        break;
      }
      case 'probability': {
        if (compiled.functionName !== 'classification') throw new ModelLoadError(`<OutputField name="${name}" feature="probability"> needs a classification model`);
        dataType = dataTypeAttr(el, 'double');
        const value = el.attrs['value'];
        const labels = compiled.labels;
        const i = value === undefined ? -1 : labelIndexOf(labels, value);
        const none = compiled.noProbabilities === true;
        compute = (_s, r) => {
          const p = r.probabilities;
          if (r.value === null) return null;
          // JPMML: TypeCheckException (its result is no HasProbability).
          if (none) throw new RecordError(`output field "${name}" (probability): the model's result has no probabilities`);
          if (p === undefined) return value === undefined || value === r.value ? 1 : 0;
          if (value === undefined) { const j = labels.indexOf(String(r.value)); return j < 0 ? null : p[j] ?? 0; }
          return i < 0 ? 0 : p[i] ?? 0;
        };
        break;
      }
      case 'confidence': {
        if (compiled.hasConfidences !== true) throw new ModelLoadError(`<OutputField name="${name}" feature="confidence"> is supported for classification TreeModels only (without missingValuePenalty)`);
        dataType = dataTypeAttr(el, 'double');
        const value = el.attrs['value'], labels = compiled.labels;
        const i = value === undefined ? -1 : labelIndexOf(labels, value);
        // JPMML: the confidence of the named (else the predicted) class; one not given is 0.
        compute = (_s, r) => {
          if (r.value === null) return null;
          const j = value === undefined ? labels.indexOf(String(r.value)) : i;
          return j < 0 ? 0 : r.confidences?.[j] ?? 0;
        };
        break;
      }
      case 'residual': {
        // PMML 4.4 §OutputField: expected − predicted (continuous); for a class, 1 or 0 (the record's class
        // is the predicted one or not) − the predicted class's probability. A missing expected value fails the record.
        const targetName = compiled.targetName;
        const read = targetName === undefined ? undefined : env.expected?.get(targetName);
        if (read === undefined) throw new ModelLoadError(`<OutputField name="${name}" feature="residual"> needs the top-level model's target field`);
        dataType = dataTypeAttr(el, 'double');
        const labels = compiled.labels, classification = compiled.functionName === 'classification';
        compute = (s, r) => {
          const want = read(s);
          if (want === null) throw new RecordError(`output field "${name}" (residual) needs the target field "${targetName}", which is missing`);
          if (!classification) return Number(want) - Number(r.value);
          const j = labels.indexOf(String(r.value));
          const p = r.probabilities === undefined ? 1 : j < 0 ? 0 : r.probabilities[j] ?? 0;
          return (String(want) === String(r.value) ? 1 : 0) - p;
        };
        break;
      }
      // PMML 4.4: a decision is computed as a transformedValue; its <Decisions> only document the values.
      case 'decision':
      case 'transformedValue': {
        const segmentId = el.attrs['segmentId'], ref = el.attrs['value'];
        if (segmentId !== undefined && ref !== undefined && !el.children.some((c) => c.name !== 'Decisions')) {
          // PMML 4.4 §OutputField segmentId: the value of the named output field of that segment (a chain's earlier one).
          const f = own.resolve(ref);
          if (f === undefined) throw new ModelLoadError(`<OutputField name="${name}" segmentId="${segmentId}" value="${ref}">: no segment output field "${ref}"`);
          dataType = dataTypeAttr(el, f.dataType);
          compute = (s) => f.get(s);
          break;
        }
        const expr = compileExpression(expressionChild(el), own, env);
        dataType = dataTypeAttr(el, expr.dataType);
        const f = castTo(expr, dataType);
        compute = (s) => f(s);
        break;
      }
    }
    const writer: Writer = (s, r) => { s[slot] = compute(s, r); };
    const segmentId = el.attrs['segmentId'];
    if (segmentId !== undefined && feature !== 'transformedValue' && feature !== 'decision' && feature !== 'family') {
      if (compiled.segmentResult === undefined) throw new ModelLoadError(`<OutputField name="${name}" segmentId="${segmentId}"> is only valid in a MiningModel`);
      // PMML 4.4 §OutputField: the feature of that segment's result; missing when the segment was not selected.
      const read = compiled.segmentResult, own = compute;
      compute = (s) => { const sr = read(segmentId); return sr === undefined || sr.value === null ? null : own(s, sr); };
    }
    writers.push(writer);
    // JPMML computes the fields that need no target value (transformedValue, decision) also when
    // the model gave no result; one reading an unset field fails the record (MissingFieldException).
    if ((feature === 'transformedValue' || feature === 'decision') && el.attrs['segmentId'] === undefined) targetFree.push(writer);
    else if (targetCount > 1 && el.attrs['targetField'] === undefined && el.attrs['segmentId'] === undefined && feature !== 'transformedValue' && feature !== 'decision') ambiguous ??= name;
    fields.push({ name, slot });
    // Unset (the model was not scored, or gave no result): JPMML fails the record that reads it.
    const get = (s: Slots): Value => {
      const v = s[slot];
      if (v === undefined) throw new RecordError(`output field "${name}" has no value: its model gave no result for this record`);
      return v;
    };
    const info = { name, dataType, optype: opTypeAttr(el, dataType), values: [], get };
    // In the enclosing scope a later segment's output of the same name replaces an earlier one.
    scopes.forEach((scope, i) => scope.define(info, `<OutputField name="${name}">`, { replace: i > 0 }));
  }
  if (writers.length === 0) return null;
  return {
    fields,
    write: (s, r) => {
      if (r.value !== null || r.rules !== undefined || r.valueless === true) for (const w of writers) w(s, r);
      else if (r.segments === undefined) {
        if (ambiguous !== undefined) throw new RecordError(`output field "${ambiguous}" names no targetField and the model has ${targetCount} targets but no segment result`);
        for (const w of targetFree) w(s, r);
      }
    },
  };
}
