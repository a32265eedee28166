// EXPRESSION elements compiled to closures (PMML 4.4 §Transformations): FieldRef, Constant,
// NormContinuous, NormDiscrete, Discretize, MapValues, Apply. Missing is `null` throughout.
import type { DataFieldDef } from './data-dictionary.ts';
import { ModelLoadError } from '../api/model.ts';
import type { DataType, Eval, FieldInfo, OpType, Slots, Value } from './family.ts';
import { inInterval, readInterval } from './data-dictionary.ts';
import { compileApply } from './apply.ts';
import type { Scope } from './scope.ts';
import {
  dataTypeAttr, inferDataType, isNumeric, javaDoubleText, nameOf, opTypeAttr, parseTyped, toType, valueKey,
} from './values.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from './xml.ts';

export interface Compiled {
  readonly eval: Eval;
  readonly dataType: DataType;
  readonly optype: OpType;
}

/** What expression compilation needs besides the scope: user-defined functions. */
export interface ExprEnv {
  readonly functions: ReadonlyMap<string, XmlElement>;
  /** The top-level target fields' record values, prepared by their MiningFields (OutputField feature="residual"). */
  readonly expected?: ReadonlyMap<string, Eval>;
  /** The DataDictionary (display values of target classes). */
  readonly dict?: ReadonlyMap<string, DataFieldDef>;
}

export function resolveField(scope: Scope, name: string, where: XmlElement): FieldInfo {
  const f = scope.resolve(name);
  if (f === undefined) {
    throw new ModelLoadError(`<${where.name}${nameOf(where)}> refers to the unknown field "${name}"`);
  }
  return f;
}

const EXPRESSIONS = ['Constant', 'FieldRef', 'NormContinuous', 'NormDiscrete', 'Discretize', 'MapValues', 'Apply'];

/** The single EXPRESSION child of `el` (DerivedField, OutputField, ...). */
export function expressionChild(el: XmlElement): XmlElement {
  const found = el.children.filter((c) => EXPRESSIONS.includes(c.name) || c.name === 'Aggregate' || c.name === 'Lag' || c.name === 'TextIndex');
  const first = found[0];
  if (first === undefined) {
    const other = el.children[0];
    throw new ModelLoadError(other === undefined
      ? `<${el.name}${nameOf(el)}> lacks an expression`
      : `<${el.name}${nameOf(el)}>: expression <${other.name}> is not supported`);
  }
  return first;
}

export function compileExpression(el: XmlElement, scope: Scope, env: ExprEnv): Compiled {
  switch (el.name) {
    case 'Constant': return constant(el);
    case 'FieldRef': return fieldRef(el, scope);
    case 'NormContinuous': return normContinuous(el, scope);
    case 'NormDiscrete': return normDiscrete(el, scope);
    case 'Discretize': return discretize(el, scope);
    case 'MapValues': return mapValues(el, scope);
    case 'Apply': return compileApply(el, scope, env, compileExpression);
    default: throw new ModelLoadError(`expression <${el.name}> is not supported`);
  }
}

/** A DerivedField's value: its expression cast to the declared dataType. */
export function compileDerivedField(el: XmlElement, scope: Scope, env: ExprEnv): Compiled {
  const inner = compileExpression(expressionChild(el), scope, env);
  const dataType = dataTypeAttr(el, inner.dataType);
  const optype = opTypeAttr(el, dataType);
  return { eval: castTo(inner, dataType), dataType, optype };
}

/** Casts a compiled value to `dataType` when it is not already of it (a failed cast is missing). */
export function castTo(inner: Compiled, dataType: DataType): Eval {
  const f = inner.eval;
  if (inner.dataType === dataType || (isNumeric(inner.dataType) && (dataType === 'double'))) return f;
  if (inner.dataType === 'double' && dataType === 'string') return (s) => { const v = f(s); return typeof v === 'number' ? javaDoubleText(v) : v === null ? null : String(v); };
  return (s) => {
    const v = f(s);
    if (v === null) return null;
    const t = toType(v, dataType);
    if (t === undefined) return dataType === 'integer' && typeof v === 'number' ? Math.trunc(v) : null;
    return t;
  };
}

function mapMissing(el: XmlElement, dataType: DataType): Value {
  const raw = el.attrs['mapMissingTo'];
  return raw === undefined ? null : parseTyped(raw, dataType, el, 'mapMissingTo');
}

function constant(el: XmlElement): Compiled {
  const raw = el.text;
  if (el.attrs['missing'] === 'true') {
    const dataType = dataTypeAttr(el, 'string');
    return { eval: () => null, dataType, optype: opTypeAttr(el, dataType) };
  }
  const dataType = dataTypeAttr(el, inferDataType(raw));
  const v = parseTyped(raw, dataType, el, 'text');
  return { eval: () => v, dataType, optype: opTypeAttr(el, dataType) };
}

function fieldRef(el: XmlElement, scope: Scope): Compiled {
  const f = resolveField(scope, requiredAttr(el, 'field'), el);
  const replacement = mapMissing(el, f.dataType);
  const get = f.get;
  const evalFn: Eval = replacement === null ? get : (s) => { const v = get(s); return v === null ? replacement : v; };
  return { eval: evalFn, dataType: f.dataType, optype: f.optype };
}

function numericField(f: FieldInfo, el: XmlElement): (s: Slots) => number | null {
  const get = f.get;
  if (isNumeric(f.dataType)) return get as (s: Slots) => number | null;
  return (s) => { const v = get(s); if (v === null) return null; const n = toType(v, 'double'); return typeof n === 'number' ? n : null; };
}

function normContinuous(el: XmlElement, scope: Scope): Compiled {
  const f = resolveField(scope, requiredAttr(el, 'field'), el);
  const pts = childrenNamed(el, 'LinearNorm').map((p) => ({ orig: numberAttr(p, 'orig'), norm: numberAttr(p, 'norm') }));
  if (pts.length < 2) throw new ModelLoadError(`<NormContinuous field="${f.name}"> needs at least two <LinearNorm> elements`);
  for (let i = 1; i < pts.length; i++) {
    if (!(pts[i]!.orig > pts[i - 1]!.orig)) throw new ModelLoadError(`<NormContinuous field="${f.name}">: LinearNorm orig values must be strictly ascending`);
  }
  const outliers = enumAttr(el, 'outliers', ['asIs', 'asMissingValues', 'asExtremeValues'], 'asIs');
  const missing = mapMissing(el, 'double');
  const get = numericField(f, el);
  const n = pts.length;
  const orig = pts.map((p) => p.orig), norm = pts.map((p) => p.norm);
  const lo = orig[0]!, hi = orig[n - 1]!;
  // Piecewise-linear interpolation; outside [lo, hi] the first/last segment extends (asIs).
  const interp = (x: number): number => {
    let i = 1;
    while (i < n - 1 && x > orig[i]!) i++;
    const x0 = orig[i - 1]!, x1 = orig[i]!, y0 = norm[i - 1]!, y1 = norm[i]!;
    return y0 + (x - x0) * (y1 - y0) / (x1 - x0);
  };
  const evalFn: Eval = (s) => {
    const x = get(s);
    if (x === null) return missing;
    if (x < lo || x > hi) {
      if (outliers === 'asMissingValues') return null;
      if (outliers === 'asExtremeValues') return x < lo ? norm[0]! : norm[n - 1]!;
    }
    return interp(x);
  };
  return { eval: evalFn, dataType: 'double', optype: 'continuous' };
}

function normDiscrete(el: XmlElement, scope: Scope): Compiled {
  const f = resolveField(scope, requiredAttr(el, 'field'), el);
  const target = parseTyped(requiredAttr(el, 'value'), f.dataType, el, 'value');
  const missing = mapMissing(el, 'double');
  const get = f.get;
  return { eval: (s) => { const v = get(s); return v === null ? missing : v === target ? 1 : 0; }, dataType: 'double', optype: 'continuous' };
}

function discretize(el: XmlElement, scope: Scope): Compiled {
  const f = resolveField(scope, requiredAttr(el, 'field'), el);
  const dataType = dataTypeAttr(el, 'string');
  const bins = childrenNamed(el, 'DiscretizeBin').map((b) => {
    const iv = child(b, 'Interval');
    if (iv === undefined) throw new ModelLoadError('<DiscretizeBin> lacks the required element <Interval>');
    return { interval: readInterval(iv), value: parseTyped(requiredAttr(b, 'binValue'), dataType, b, 'binValue') };
  });
  const missing = mapMissing(el, dataType);
  const fallback = el.attrs['defaultValue'] === undefined ? null : parseTyped(el.attrs['defaultValue'], dataType, el, 'defaultValue');
  const get = numericField(f, el);
  const evalFn: Eval = (s) => {
    const x = get(s);
    if (x === null) return missing;
    for (const b of bins) if (inInterval(b.interval, x)) return b.value;
    return fallback;
  };
  return { eval: evalFn, dataType, optype: opTypeAttr(el, dataType) };
}

function mapValues(el: XmlElement, scope: Scope): Compiled {
  const outputColumn = requiredAttr(el, 'outputColumn');
  const dataType = dataTypeAttr(el, 'string');
  const pairs = childrenNamed(el, 'FieldColumnPair').map((p) => ({
    field: resolveField(scope, requiredAttr(p, 'field'), p), column: requiredAttr(p, 'column'),
  }));
  if (pairs.length === 0) throw new ModelLoadError('<MapValues> needs at least one <FieldColumnPair>');
  const table = child(el, 'InlineTable');
  if (table === undefined) {
    const other = child(el, 'TableLocator');
    throw new ModelLoadError(other ? '<MapValues>: <TableLocator> is not supported, use <InlineTable>' : '<MapValues> lacks <InlineTable>');
  }
  const map = new Map<string, Value>();
  for (const row of childrenNamed(table, 'row')) {
    // Cell elements are read without their namespace prefix, so a column "data:input" is <input>.
    const cell = (col: string): string | undefined => child(row, col.slice(col.indexOf(':') + 1))?.text;
    const out = cell(outputColumn);
    if (out === undefined) continue;
    const keys: string[] = [];
    let complete = true;
    for (const p of pairs) {
      const raw = cell(p.column);
      if (raw === undefined) { complete = false; break; }
      const typed = toType(raw, p.field.dataType);
      if (typed === undefined) { complete = false; break; }
      keys.push(valueKey(typed));
    }
    if (complete) {
      const key = keys.join('\u0000');
      if (!map.has(key)) map.set(key, parseTyped(out, dataType, row, outputColumn));
    }
  }
  const missing = mapMissing(el, dataType);
  const fallback = el.attrs['defaultValue'] === undefined ? null : parseTyped(el.attrs['defaultValue'], dataType, el, 'defaultValue');
  const getters = pairs.map((p) => p.field.get);
  const g0 = getters[0]!;
  const evalFn: Eval = getters.length === 1
    ? (s) => { const v = g0(s); if (v === null) return missing; const r = map.get(valueKey(v)); return r === undefined ? fallback : r; }
    : (s) => {
      const keys: string[] = [];
      for (const g of getters) { const v = g(s); if (v === null) return missing; keys.push(valueKey(v)); }
      const r = map.get(keys.join('\u0000'));
      return r === undefined ? fallback : r;
    };
  return { eval: evalFn, dataType, optype: opTypeAttr(el, dataType) };
}
