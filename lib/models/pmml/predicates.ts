// PREDICATE elements (PMML 4.4 §Predicates) compiled to three-valued closures: true, false,
// or null for UNKNOWN (a missing value was compared).
import { ModelLoadError } from '../api/model.ts';
import type { PredicateFn, Value } from './family.ts';
import { resolveField } from './expressions.ts';
import type { Scope } from './scope.ts';
import { isNumeric, parseTyped, valueKey } from './values.ts';
import { child, enumAttr, parseNumber, requiredAttr, type XmlElement } from './xml.ts';

const PREDICATES = new Set(['SimplePredicate', 'CompoundPredicate', 'SimpleSetPredicate', 'True', 'False']);

/** The single PREDICATE child of a Node, Segment or CompoundPredicate. */
export function predicateChild(el: XmlElement): XmlElement {
  const p = el.children.find((c) => PREDICATES.has(c.name));
  if (p === undefined) {
    const bad = el.children.find((c) => c.name.endsWith('Predicate'));
    throw new ModelLoadError(bad ? `predicate <${bad.name}> is not supported` : `<${el.name}> lacks a predicate`);
  }
  return p;
}

export function compilePredicate(el: XmlElement, scope: Scope): PredicateFn {
  switch (el.name) {
    case 'True': return () => true;
    case 'False': return () => false;
    case 'SimplePredicate': return simple(el, scope);
    case 'SimpleSetPredicate': return simpleSet(el, scope);
    case 'CompoundPredicate': return compound(el, scope);
    default: throw new ModelLoadError(`predicate <${el.name}> is not supported`);
  }
}

const OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessOrEqual', 'greaterThan', 'greaterOrEqual', 'isMissing', 'isNotMissing'] as const;

function simple(el: XmlElement, scope: Scope): PredicateFn {
  const f = resolveField(scope, requiredAttr(el, 'field'), el);
  const op = enumAttr(el, 'operator', OPERATORS, 'equal');
  requiredAttr(el, 'operator');
  const get = f.get;
  if (op === 'isMissing') return (s) => get(s) === null;
  if (op === 'isNotMissing') return (s) => get(s) !== null;
  if (f.dataType === 'boolean' && op !== 'equal' && op !== 'notEqual') return booleanOrder(el, op, get);
  // Numeric fields compare as doubles (an integer field may be compared with "2.5").
  const c = parseTyped(requiredAttr(el, 'value'), f.dataType === 'integer' ? 'double' : f.dataType, el, 'value');
  if (isNumeric(f.dataType) || typeof c === 'number') {
    const k = c as number;
    // Numeric fields hold numbers (or null) once the MiningSchema has prepared them.
    switch (op) {
      case 'equal': return (s) => { const v = get(s); return v === null ? null : v === k; };
      case 'notEqual': return (s) => { const v = get(s); return v === null ? null : v !== k; };
      case 'lessThan': return (s) => { const v = get(s); return v === null ? null : (v as number) < k; };
      case 'lessOrEqual': return (s) => { const v = get(s); return v === null ? null : (v as number) <= k; };
      case 'greaterThan': return (s) => { const v = get(s); return v === null ? null : (v as number) > k; };
      case 'greaterOrEqual': return (s) => { const v = get(s); return v === null ? null : (v as number) >= k; };
    }
  }
  if (op === 'equal') return (s) => { const v = get(s); return v === null ? null : v === c; };
  if (op === 'notEqual') return (s) => { const v = get(s); return v === null ? null : v !== c; };
  // Ordinal fields order by their declared values; other non-numeric fields cannot be ordered.
  if (f.optype !== 'ordinal' || f.values.length === 0) {
    throw new ModelLoadError(`<SimplePredicate field="${f.name}" operator="${op}">: a ${f.dataType} field that is not ordinal cannot be compared with ${op}`);
  }
  const rank = new Map<Value, number>(f.values.map((v, i) => [v, i]));
  const kr = rank.get(c);
  if (kr === undefined) throw new ModelLoadError(`<SimplePredicate field="${f.name}"> value="${String(c)}" is not one of the field's values`);
  const test = op === 'lessThan' ? (r: number) => r < kr : op === 'lessOrEqual' ? (r: number) => r <= kr
    : op === 'greaterThan' ? (r: number) => r > kr : (r: number) => r >= kr;
  return (s) => { const v = get(s); if (v === null) return null; const r = rank.get(v); return r === undefined ? null : test(r); };
}

/**
 * A boolean field ordered against a number ("lessThan 0.5", as tree learners split 0/1 flags):
 * JPMML compares the flag as the double 0 or 1 with the value parsed as a double.
 */
function booleanOrder(el: XmlElement, op: 'lessThan' | 'lessOrEqual' | 'greaterThan' | 'greaterOrEqual', get: (s: Parameters<PredicateFn>[0]) => Value): PredicateFn {
  const raw = requiredAttr(el, 'value');
  const k = parseNumber(raw);
  if (k === null) throw new ModelLoadError(`<SimplePredicate field="${el.attrs['field']}" operator="${op}"> value="${raw}" is not a number to order a boolean by`);
  const test = op === 'lessThan' ? (x: number) => x < k : op === 'lessOrEqual' ? (x: number) => x <= k
    : op === 'greaterThan' ? (x: number) => x > k : (x: number) => x >= k;
  return (s) => { const v = get(s); return v === null ? null : test(v === true ? 1 : 0); };
}

/** Splits a PMML Array: whitespace-separated tokens, double-quoted tokens may hold spaces and \" escapes. */
export function parseArrayTokens(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]!);
  }
  return out;
}

function simpleSet(el: XmlElement, scope: Scope): PredicateFn {
  const f = resolveField(scope, requiredAttr(el, 'field'), el);
  const op = enumAttr(el, 'booleanOperator', ['isIn', 'isNotIn'], 'isIn');
  requiredAttr(el, 'booleanOperator');
  const array = child(el, 'Array');
  if (array === undefined) throw new ModelLoadError(`<SimpleSetPredicate field="${f.name}"> lacks <Array>`);
  const keys = new Set(parseArrayTokens(array.text).map((t) => valueKey(parseTyped(t, f.dataType, array, 'element'))));
  const want = op === 'isIn', get = f.get;
  return (s) => { const v = get(s); return v === null ? null : keys.has(valueKey(v)) === want; };
}

function compound(el: XmlElement, scope: Scope): PredicateFn {
  const op = enumAttr(el, 'booleanOperator', ['and', 'or', 'xor', 'surrogate'], 'and');
  requiredAttr(el, 'booleanOperator');
  const parts = el.children.filter((c) => PREDICATES.has(c.name) || c.name.endsWith('Predicate')).map((c) => compilePredicate(c, scope));
  if (parts.length < 2) throw new ModelLoadError(`<CompoundPredicate booleanOperator="${op}"> needs at least two predicates`);
  switch (op) {
    case 'and': return (s) => {
      let unknown = false;
      for (const p of parts) { const r = p(s); if (r === false) return false; if (r === null) unknown = true; }
      return unknown ? null : true;
    };
    case 'or': return (s) => {
      let unknown = false;
      for (const p of parts) { const r = p(s); if (r === true) return true; if (r === null) unknown = true; }
      return unknown ? null : false;
    };
    case 'xor': return (s) => {
      let acc = false;
      for (const p of parts) { const r = p(s); if (r === null) return null; acc = acc !== r; }
      return acc;
    };
    case 'surrogate': return (s) => {
      // The first predicate that is not UNKNOWN decides.
      for (const p of parts) { const r = p(s); if (r !== null) return r; }
      return null;
    };
  }
}

