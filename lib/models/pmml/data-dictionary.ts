// DataDictionary: field types, valid/invalid/missing values and valid intervals (PMML 4.4 §DataDictionary).
import { ModelLoadError } from '../api/model.ts';
import type { DataType, OpType, Value } from './family.ts';
import { dataTypeAttr, opTypeAttr, parseTyped, valueKey } from './values.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from './xml.ts';

export type Closure = 'openClosed' | 'openOpen' | 'closedOpen' | 'closedClosed';

export interface Interval {
  readonly closure: Closure;
  readonly left: number;
  readonly right: number;
}

export interface DataFieldDef {
  readonly name: string;
  readonly dataType: DataType;
  readonly optype: OpType;
  /** Valid values (property="valid"), typed, in document order. */
  readonly values: readonly Value[];
  /** The same values as written in the document (class labels). */
  readonly labels: readonly string[];
  readonly validKeys: ReadonlySet<string>;
  readonly invalidKeys: ReadonlySet<string>;
  readonly missingKeys: ReadonlySet<string>;
  readonly intervals: readonly Interval[];
  /** Value@displayValue by value as written (OutputField feature="predictedDisplayValue"). */
  readonly displayValues: ReadonlyMap<string, string>;
}

const CLOSURES: readonly Closure[] = ['openClosed', 'openOpen', 'closedOpen', 'closedClosed'];

export function readInterval(el: XmlElement): Interval {
  const closure = enumAttr(el, 'closure', CLOSURES, 'closedClosed');
  if (el.attrs['closure'] === undefined) requiredAttr(el, 'closure');
  return {
    closure,
    left: numberAttr(el, 'leftMargin', -Infinity),
    right: numberAttr(el, 'rightMargin', Infinity),
  };
}

export function inInterval(iv: Interval, x: number): boolean {
  switch (iv.closure) {
    case 'closedClosed': return x >= iv.left && x <= iv.right;
    case 'closedOpen': return x >= iv.left && x < iv.right;
    case 'openClosed': return x > iv.left && x <= iv.right;
    case 'openOpen': return x > iv.left && x < iv.right;
  }
}

export function readDataDictionary(pmml: XmlElement): Map<string, DataFieldDef> {
  const dd = child(pmml, 'DataDictionary');
  if (dd === undefined) throw new ModelLoadError('<PMML> lacks the required element <DataDictionary>');
  const fields = new Map<string, DataFieldDef>();
  for (const el of childrenNamed(dd, 'DataField')) {
    const name = requiredAttr(el, 'name');
    if (fields.has(name)) throw new ModelLoadError(`<DataField name="${name}"> is defined twice`);
    const dataType = dataTypeAttr(el);
    const optype = opTypeAttr(el, dataType);
    const values: Value[] = [];
    const labels: string[] = [];
    const displayValues = new Map<string, string>();
    const validKeys = new Set<string>(), invalidKeys = new Set<string>(), missingKeys = new Set<string>();
    for (const v of childrenNamed(el, 'Value')) {
      const raw = requiredAttr(v, 'value');
      const property = enumAttr(v, 'property', ['valid', 'invalid', 'missing'], 'valid');
      if (property === 'missing') {
        // A missing-value marker need not be of the field's type (e.g. "NA" for a double field).
        missingKeys.add(raw);
        continue;
      }
      const typed = parseTyped(raw, dataType, v, 'value');
      if (v.attrs['displayValue'] !== undefined) displayValues.set(raw, v.attrs['displayValue']);
      if (property === 'valid') { values.push(typed); labels.push(raw); validKeys.add(valueKey(typed)); }
      else invalidKeys.add(valueKey(typed));
    }
    const intervals = childrenNamed(el, 'Interval').map(readInterval);
    fields.set(name, { name, dataType, optype, values, labels, validKeys, invalidKeys, missingKeys, intervals, displayValues });
  }
  return fields;
}
