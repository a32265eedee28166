// MiningSchema: which fields a model uses and how their values are prepared (PMML 4.4
// §MiningSchema): missing-value replacement/treatment, invalid-value treatment, outliers.
import { ModelLoadError, RecordError, type FeatureRecord, type FeatureValue } from '../api/model.ts';
import type { DataFieldDef } from './data-dictionary.ts';
import { inInterval } from './data-dictionary.ts';
import type { FieldInfo, TargetInfo, Value } from './family.ts';
import type { Scope } from './scope.ts';
import { isNumeric, parseTyped, toType, valueKey } from './values.ts';
import { childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from './xml.ts';

export type UsageType = 'active' | 'target' | 'predicted' | 'supplementary' | 'group';

export interface MiningFieldDef {
  readonly el: XmlElement;
  readonly name: string;
  readonly usageType: UsageType;
  readonly missingValueReplacement: string | undefined;
  readonly missingValueTreatment: 'asIs' | 'asMean' | 'asMode' | 'asMedian' | 'asValue' | 'returnInvalid';
  readonly invalidValueTreatment: 'returnInvalid' | 'asIs' | 'asMissing' | 'asValue';
  readonly invalidValueReplacement: string | undefined;
  readonly outliers: 'asIs' | 'asMissingValues' | 'asExtremeValues';
  readonly lowValue: number;
  readonly highValue: number;
}

export function readMiningSchema(model: XmlElement): MiningFieldDef[] {
  const schema = model.children.find((c) => c.name === 'MiningSchema');
  if (schema === undefined) throw new ModelLoadError(`<${model.name}> lacks the required element <MiningSchema>`);
  return childrenNamed(schema, 'MiningField').map((el) => {
    const outliers = enumAttr(el, 'outliers', ['asIs', 'asMissingValues', 'asExtremeValues'], 'asIs');
    const invalidValueTreatment = enumAttr(el, 'invalidValueTreatment', ['returnInvalid', 'asIs', 'asMissing', 'asValue'], 'returnInvalid');
    if (invalidValueTreatment === 'asValue') requiredAttr(el, 'invalidValueReplacement');
    return {
      el,
      name: requiredAttr(el, 'name'),
      usageType: enumAttr(el, 'usageType', ['active', 'target', 'predicted', 'supplementary', 'group'], 'active'),
      missingValueReplacement: el.attrs['missingValueReplacement'],
      missingValueTreatment: enumAttr(el, 'missingValueTreatment', ['asIs', 'asMean', 'asMode', 'asMedian', 'asValue', 'returnInvalid'], 'asIs'),
      invalidValueTreatment,
      invalidValueReplacement: el.attrs['invalidValueReplacement'],
      outliers,
      lowValue: outliers === 'asIs' ? -Infinity : numberAttr(el, 'lowValue', -Infinity),
      highValue: outliers === 'asIs' ? Infinity : numberAttr(el, 'highValue', Infinity),
    };
  });
}

/** The model's target: its first target/predicted MiningField; else the enclosing model's. */
export function targetOf(fields: readonly MiningFieldDef[], dict: ReadonlyMap<string, DataFieldDef>, inherited: TargetInfo | null): TargetInfo | null {
  const t = fields.find((f) => f.usageType === 'target' || f.usageType === 'predicted');
  if (t === undefined) return inherited;
  const def = dict.get(t.name);
  if (def === undefined) {
    if (inherited?.name === t.name) return inherited;
    throw new ModelLoadError(`<MiningField name="${t.name}" usageType="${t.usageType}"> is not a DataField`);
  }
  return { name: def.name, dataType: def.dataType, optype: def.optype, labels: def.labels };
}

/** Every target/predicted MiningField (the first is `first`, the model's target); inherited when it declares none. */
export function targetsOf(fields: readonly MiningFieldDef[], dict: ReadonlyMap<string, DataFieldDef>, first: TargetInfo | null): TargetInfo[] {
  const declared = fields.filter((f) => f.usageType === 'target' || f.usageType === 'predicted');
  if (declared.length <= 1) return first === null ? [] : [first];
  return declared.map((t, i) => {
    if (i === 0 && first !== null) return first;
    const def = dict.get(t.name);
    if (def === undefined) throw new ModelLoadError(`<MiningField name="${t.name}" usageType="${t.usageType}"> is not a DataField`);
    return { name: def.name, dataType: def.dataType, optype: def.optype, labels: def.labels };
  });
}

/** The record being scored; input fields read it on first use. */
export interface CurrentRecord {
  record: FeatureRecord;
}

type RawValue = FeatureRecord[string];

/** Record keys tried for a field: its name, then `_` for spaces (the proto's names). */
function recordReader(name: string): (r: FeatureRecord) => RawValue {
  const alt = name.replace(/ /g, '_');
  const norm = (k: string): string => k.replace(/_/g, ' ').toLowerCase();
  const wanted = norm(name);
  // Slow path only when neither exact key is present: case-insensitive, `_` ≡ space.
  const scan = (r: FeatureRecord): RawValue => {
    for (const k in r) if (norm(k) === wanted) return r[k];
    return undefined;
  };
  if (alt === name) return (r) => { const v = r[name]; return v === undefined ? scan(r) : v; };
  return (r) => {
    let v = r[name];
    if (v === undefined) { v = r[alt]; if (v === undefined) v = scan(r); }
    return v;
  };
}

/**
 * Compiles the top-level MiningSchema: each active/supplementary field is defined in `scope`
 * and read from `current.record` on first use (then cached in its slot). Returns the active
 * fields' accessors: JPMML's documented workflow prepares every input field before evaluating
 * (InputField.prepare), so an invalid value fails the record even where the model never reads it.
 */
export function compileInputs(
  fields: readonly MiningFieldDef[], dict: ReadonlyMap<string, DataFieldDef>, scope: Scope, current: CurrentRecord, expected?: Map<string, (s: Value[]) => Value>,
): ((s: Value[]) => Value)[] {
  const active: ((s: Value[]) => Value)[] = [];
  // A group field makes the model transactional: its active field's value is a list of items.
  const lists = fields.some((f) => f.usageType === 'group');
  for (const mf of fields) {
    if (mf.usageType === 'target' || mf.usageType === 'predicted') {
      // The record's own target value, read only by residual OutputFields (with the MiningField's treatments).
      const def = dict.get(mf.name);
      if (def !== undefined && expected !== undefined) { const read = compileReader(def, mf); expected.set(mf.name, () => read(current.record)); }
      continue;
    }
    const def = dict.get(mf.name);
    if (def === undefined) throw new ModelLoadError(`<MiningField name="${mf.name}"> is not a DataField of the DataDictionary`);
    const slot = scope.slots.alloc();
    const read = compileReader(def, mf, lists && mf.usageType === 'active');
    const get = (s: Value[]): Value => {
      let v = s[slot];
      if (v === undefined) { v = read(current.record); s[slot] = v; }
      return v;
    };
    scope.define(fieldInfo(def, get), `<MiningField name="${mf.name}">`);
    if (mf.usageType === 'active') active.push(get);
  }
  return active;
}

function fieldInfo(def: DataFieldDef, get: FieldInfo['get']): FieldInfo {
  return { name: def.name, dataType: def.dataType, optype: def.optype, values: def.values, get };
}

/** `lists`: a list value is read item by item and kept as a list in the slot (a transaction's items). */
function compileReader(def: DataFieldDef, mf: MiningFieldDef, lists = false): (r: FeatureRecord) => Value {
  const raw = recordReader(def.name);
  const { dataType, name } = def;
  const replacement = mf.missingValueReplacement === undefined ? null : parseTyped(mf.missingValueReplacement, dataType, mf.el, 'missingValueReplacement');
  const missing = (): Value => {
    if (replacement !== null) return replacement;
    if (mf.missingValueTreatment === 'returnInvalid') throw new RecordError(`field "${name}" is missing and its MiningField says missingValueTreatment="returnInvalid"`);
    return null;
  };
  const invalidReplacement = mf.invalidValueReplacement === undefined ? null : parseTyped(mf.invalidValueReplacement, dataType, mf.el, 'invalidValueReplacement');
  const invalid = (v: FeatureValue, typed: Value | undefined): Value => {
    switch (mf.invalidValueTreatment) {
      case 'returnInvalid': throw new RecordError(`field "${name}" has the invalid value ${JSON.stringify(v)} (expected ${describe(def)})`);
      // asIs keeps a value of the field's type; one that does not even parse fails (JPMML: NumberFormatException).
      case 'asIs':
        if (typed === undefined && isNumeric(dataType)) throw new RecordError(`field "${name}" has the value ${JSON.stringify(v)}, not a ${dataType}`);
        return typed === undefined ? (v as Value) : typed;
      case 'asMissing': return missing();
      case 'asValue': return invalidReplacement;
    }
  };
  const checkValid = validity(def);
  const outlier = outlierTreatment(def, mf);
  const general = (v: FeatureValue): Value => {
    // As JPMML: a string is matched as written; only a number's text may have surrounding spaces.
    if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) || (def.missingKeys.size > 0 && def.missingKeys.has(String(v)))) {
      return missing();
    }
    const typed = toType(v, dataType);
    if (typed === undefined || (checkValid !== null && !checkValid(typed))) return invalid(v, typed);
    if (outlier === null) return typed;
    const o = outlier(typed as number);
    return o === null ? missing() : o;
  };
  if (dataType === 'double' && checkValid === null && outlier === null && def.missingKeys.size === 0) {
    // Fast path: a finite double under the field's name or its proto name is taken as it is.
    const alt = name.replace(/ /g, '_');
    return (r) => {
      let v = r[name];
      if (v === undefined) v = r[alt];
      if (typeof v === 'number' && v === v) return v;
      const w = v === undefined ? raw(r) : v;
      return Array.isArray(w) ? invalidList(name, w) : general(w as FeatureValue);
    };
  }
  if (lists) {
    return (r) => {
      const v = raw(r);
      if (!Array.isArray(v)) return general(v as FeatureValue);
      return (v as readonly FeatureValue[]).map(general) as unknown as Value;
    };
  }
  return (r) => { const v = raw(r); return Array.isArray(v) ? invalidList(name, v) : general(v as FeatureValue); };
}

function invalidList(name: string, v: readonly unknown[]): never {
  throw new RecordError(`field "${name}" has the list ${JSON.stringify(v)}, but only a transactional model (a usageType="group" field) takes a list`);
}

function describe(def: DataFieldDef): string {
  if (def.values.length > 0) return `one of ${def.labels.map((l) => JSON.stringify(l)).join(', ')}`;
  if (def.intervals.length > 0) return `a value within the field's Interval`;
  return `a ${def.dataType}`;
}

/** The DataDictionary's notion of a valid value, or null when every value of the type is valid. */
function validity(def: DataFieldDef): ((v: Value) => boolean) | null {
  const { validKeys, invalidKeys, intervals } = def;
  if (validKeys.size === 0 && invalidKeys.size === 0 && intervals.length === 0) return null;
  return (v) => {
    const key = valueKey(v);
    if (invalidKeys.has(key)) return false;
    if (validKeys.has(key)) return true;
    if (intervals.length > 0 && typeof v === 'number') return intervals.some((iv) => inInterval(iv, v));
    return validKeys.size === 0;
  };
}

/** Outlier treatment for continuous numeric fields; returns null for "treat as missing". */
function outlierTreatment(def: { dataType: FieldInfo['dataType']; name: string }, mf: MiningFieldDef): ((x: number) => number | null) | null {
  if (mf.outliers === 'asIs') return null;
  if (!isNumeric(def.dataType)) throw new ModelLoadError(`<MiningField name="${mf.name}"> outliers="${mf.outliers}" needs a numeric field`);
  const lo = mf.lowValue, hi = mf.highValue;
  if (mf.outliers === 'asMissingValues') return (x) => (x < lo || x > hi ? null : x);
  return (x) => (x < lo ? lo : x > hi ? hi : x);
}

/**
 * A nested model's MiningSchema: fields come from the enclosing scope; a field with its own
 * replacement or outlier treatment gets a wrapping accessor in the nested scope.
 */
export function applyNestedSchema(fields: readonly MiningFieldDef[], scope: Scope): boolean {
  let changed = false;
  for (const mf of fields) {
    if (mf.usageType === 'target' || mf.usageType === 'predicted') continue;
    const parent = scope.parent?.resolve(mf.name);
    if (parent === undefined) throw new ModelLoadError(`<MiningField name="${mf.name}"> of a nested model is not a field of the enclosing model`);
    const replacement = mf.missingValueReplacement === undefined ? null : parseTyped(mf.missingValueReplacement, parent.dataType, mf.el, 'missingValueReplacement');
    const outlier = outlierTreatment(parent, mf);
    if (replacement === null && outlier === null) continue;
    const get = parent.get;
    const wrapped = (s: Value[]): Value => {
      let v = get(s);
      if (v !== null && outlier !== null) v = outlier(v as number);
      return v === null ? replacement : v;
    };
    scope.define({ ...parent, get: wrapped }, `<MiningField name="${mf.name}">`);
    changed = true;
  }
  return changed;
}
