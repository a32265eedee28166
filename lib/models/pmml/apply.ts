// <Apply>: PMML built-in functions (PMML 4.4 §Built-in Functions) and user DefineFunctions.
// Strict functions give missing for a missing argument; aggregates (min/max/sum/avg/median/product)
// ignore missing arguments; `if` evaluates only the branch it takes.
import { ModelLoadError, RecordError } from '../api/model.ts';
import type { DataType, Eval, Slots, Value } from './family.ts';
import type { Compiled, ExprEnv } from './expressions.ts';
import { callDefinedFunction } from './define-function.ts';
import type { Scope } from './scope.ts';
import { dataTypeAttr, opTypeAttr, parseTyped, toType } from './values.ts';
import { childrenNamed, enumAttr, requiredAttr, type XmlElement } from './xml.ts';

export type CompileExpr = (el: XmlElement, scope: Scope, env: ExprEnv) => Compiled;
type Num = number | null;

const num = (v: Value): Num => (typeof v === 'number' ? v : v === null ? null : (toType(v, 'double') as Num) ?? null);

const UNARY: { readonly [name: string]: (x: number) => number } = {
  log10: Math.log10, ln: Math.log, exp: Math.exp, sqrt: Math.sqrt, abs: Math.abs,
  floor: Math.floor, ceil: Math.ceil, round: Math.round,
  // Java's Math.round rounds half up, as JavaScript's does.
};
const INTEGER_RESULT = new Set(['floor', 'ceil', 'round']);

const BINARY: { readonly [name: string]: (x: number, y: number) => number } = {
  '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y, '/': (x, y) => x / y,
  pow: Math.pow, threshold: (x, y) => (x > y ? 1 : 0),
};

const ARITHMETIC = new Set(['+', '-', '*', '/']);

const AGGREGATE: { readonly [name: string]: (xs: number[]) => number } = {
  min: (xs) => Math.min(...xs), max: (xs) => Math.max(...xs),
  sum: (xs) => xs.reduce((a, b) => a + b, 0), avg: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  product: (xs) => xs.reduce((a, b) => a * b, 1),
  median: (xs) => {
    const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  },
};

const COMPARE: { readonly [name: string]: (c: number) => boolean } = {
  lessThan: (c) => c < 0, lessOrEqual: (c) => c <= 0, greaterThan: (c) => c > 0, greaterOrEqual: (c) => c >= 0,
};

/** Compares two values of one field type: numbers numerically, anything else as text. */
function compare(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = num(a), y = num(b);
    if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  }
  const s = String(a), t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function equal(a: Exclude<Value, null>, b: Exclude<Value, null>): boolean {
  return a === b || (typeof a !== typeof b && compare(a, b) === 0);
}

/**
 * JPMML rejects a missing argument to most functions (only arithmetic, aggregates, isIn/isNotIn,
 * isMissing/isNotMissing and if tolerate one): the record fails.
 */
function missingArgument(name: string): never {
  throw new RecordError(`function "${name}" cannot take a missing argument`);
}

function arity(el: XmlElement, name: string, args: readonly unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new ModelLoadError(`<Apply function="${name}"> takes ${want} arguments, got ${args.length}`);
  }
}

export function compileApply(el: XmlElement, scope: Scope, env: ExprEnv, compileExpr: CompileExpr): Compiled {
  const name = requiredAttr(el, 'function');
  const args = el.children.map((c) => compileExpr(c, scope, env));
  const body = builtin(el, name, args, scope, env, compileExpr);
  const treatment = enumAttr(el, 'invalidValueTreatment', ['returnInvalid', 'asIs', 'asMissing'], 'returnInvalid');
  const mapMissingTo = el.attrs['mapMissingTo'] === undefined ? null : parseTyped(el.attrs['mapMissingTo'], body.dataType, el, 'mapMissingTo');
  const defaultValue = el.attrs['defaultValue'] === undefined ? null : parseTyped(el.attrs['defaultValue'], body.dataType, el, 'defaultValue');
  let f = body.eval;
  if (treatment !== 'asIs') {
    // NaN (0/0, sqrt(-1)) is an invalid result: the record fails, or it becomes missing.
    // Infinities pass, as in JPMML (exp(1e6) scores Infinity).
    const g = f, asMissing = treatment === 'asMissing';
    f = (s) => {
      const v = g(s);
      if (typeof v !== 'number' || !Number.isNaN(v)) return v;
      if (asMissing) return null;
      throw new RecordError(`<Apply function="${name}"> returned the invalid value ${v}`);
    };
  }
  if (mapMissingTo !== null) {
    // "mapMissingTo: the value of the function when any of its inputs is missing"
    const g = f, inputs = args.map((a) => a.eval);
    f = (s) => { for (const a of inputs) if (a(s) === null) return mapMissingTo; return g(s); };
  }
  if (defaultValue !== null) {
    const g = f;
    f = (s) => { const v = g(s); return v === null ? defaultValue : v; };
  }
  return { eval: f, dataType: body.dataType, optype: body.optype };
}

function builtin(el: XmlElement, name: string, args: Compiled[], scope: Scope, env: ExprEnv, compileExpr: CompileExpr): Compiled {
  const ev = args.map((a) => a.eval);
  const double = (f: Eval): Compiled => ({ eval: f, dataType: 'double', optype: 'continuous' });
  const bool = (f: Eval): Compiled => ({ eval: f, dataType: 'boolean', optype: 'categorical' });
  const a0 = ev[0]!, a1 = ev[1]!;
  const unary = UNARY[name];
  if (unary !== undefined) {
    arity(el, name, args, 1, 1);
    const f: Eval = (s) => { const x = num(a0(s)); return x === null ? missingArgument(name) : unary(x); };
    return INTEGER_RESULT.has(name) ? { eval: f, dataType: 'integer', optype: 'continuous' } : double(f);
  }
  const binary = BINARY[name];
  if (binary !== undefined) {
    arity(el, name, args, 2, 2);
    // + - * / give missing for a missing operand; pow and threshold reject it.
    const onMissing = ARITHMETIC.has(name) ? () => null : () => missingArgument(name);
    return double((s) => { const x = num(a0(s)); if (x === null) return onMissing(); const y = num(a1(s)); return y === null ? onMissing() : binary(x, y); });
  }
  const aggregate = AGGREGATE[name];
  if (aggregate !== undefined) {
    arity(el, name, args, 1, Infinity);
    return double((s) => {
      const xs: number[] = [];
      for (const a of ev) { const x = num(a(s)); if (x !== null) xs.push(x); }
      return xs.length === 0 ? null : aggregate(xs);
    });
  }
  const cmp = COMPARE[name];
  if (cmp !== undefined) {
    arity(el, name, args, 2, 2);
    return bool((s) => { const x = a0(s); if (x === null) return missingArgument(name); const y = a1(s); return y === null ? missingArgument(name) : cmp(compare(x, y)); });
  }
  switch (name) {
    case 'isMissing': arity(el, name, args, 1, 1); return bool((s) => a0(s) === null);
    case 'isNotMissing': arity(el, name, args, 1, 1); return bool((s) => a0(s) !== null);
    case 'equal': case 'notEqual': {
      arity(el, name, args, 2, 2);
      const want = name === 'equal';
      return bool((s) => { const x = a0(s); if (x === null) return missingArgument(name); const y = a1(s); return y === null ? missingArgument(name) : equal(x, y) === want; });
    }
    case 'and': case 'or': {
      arity(el, name, args, 2, Infinity);
      const isAnd = name === 'and';
      return bool((s) => {
        let result = isAnd;
        for (const a of ev) {
          const v = a(s);
          if (v === null) missingArgument(name);
          if (Boolean(v) !== isAnd) result = !isAnd;
        }
        return result;
      });
    }
    case 'not': arity(el, name, args, 1, 1); return bool((s) => { const v = a0(s); return v === null ? missingArgument(name) : !v; });
    case 'isIn': case 'isNotIn': {
      arity(el, name, args, 2, Infinity);
      const want = name === 'isIn', rest = ev.slice(1);
      return bool((s) => {
        const x = a0(s);
        // A missing value is "in" the list only when the list holds a missing value.
        for (const a of rest) { const y = a(s); if (x === null ? y === null : y !== null && equal(x, y)) return want; }
        return !want;
      });
    }
    case 'if': {
      arity(el, name, args, 2, 3);
      const then = ev[1]!, otherwise = ev[2];
      return {
        eval: (s) => { const c = a0(s); if (c === null) return null; return c ? then(s) : otherwise ? otherwise(s) : null; },
        dataType: args[1]!.dataType, optype: args[1]!.optype,
      };
    }
    case 'uppercase': case 'lowercase': case 'trimBlanks': {
      arity(el, name, args, 1, 1);
      const op = name === 'uppercase' ? (t: string) => t.toUpperCase() : name === 'lowercase' ? (t: string) => t.toLowerCase() : (t: string) => t.trim();
      return { eval: (s) => { const v = a0(s); return v === null ? missingArgument(name) : op(String(v)); }, dataType: 'string', optype: 'categorical' };
    }
    case 'substring': {
      // substring(text, start, length): start is 1-based (PMML 4.4 §Built-in Functions).
      arity(el, name, args, 3, 3);
      const a2 = ev[2]!;
      return {
        eval: (s) => {
          const v = a0(s), start = num(a1(s)), len = num(a2(s));
          if (v === null || start === null || len === null) return missingArgument(name);
          return String(v).substr(start - 1, len);
        },
        dataType: 'string', optype: 'categorical',
      };
    }
    case 'replace': case 'matches': {
      // PMML 4.4 §Built-in Functions: replace(input, pattern, replacement) replaces every match of a
      // POSIX/Perl-style regular expression ($n back-references); matches(input, pattern) tests one.
      arity(el, name, args, name === 'replace' ? 3 : 2, name === 'replace' ? 3 : 2);
      const a2 = ev[2];
      const cache = new Map<string, RegExp>();
      const regex = (p: string): RegExp => {
        let r = cache.get(p);
        if (r === undefined) {
          try { r = new RegExp(p, 'g'); } catch (cause) { throw new RecordError(`<Apply function="${name}">: "${p}" is not a regular expression`, { cause }); }
          cache.set(p, r);
        }
        r.lastIndex = 0;
        return r;
      };
      if (name === 'matches') {
        return bool((s) => { const v = a0(s), p = a1(s); return v === null || p === null ? missingArgument(name) : regex(String(p)).test(String(v)); });
      }
      return {
        eval: (s) => {
          const v = a0(s), p = a1(s), r = a2!(s);
          if (v === null || p === null || r === null) return missingArgument(name);
          return String(v).replace(regex(String(p)), String(r));
        },
        dataType: 'string', optype: 'categorical',
      };
    }
    case 'concat':
      arity(el, name, args, 2, Infinity);
      // An aggregate: missing arguments are skipped.
      return { eval: (s) => { let out = '', any = false; for (const a of ev) { const v = a(s); if (v !== null) { out += String(v); any = true; } } return any ? out : null; }, dataType: 'string', optype: 'categorical' };
  }
  const fn = env.functions.get(name);
  if (fn !== undefined) return callDefinedFunction(el, fn, args, scope, env, compileExpr);
  throw new ModelLoadError(`<Apply function="${name}">: the function "${name}" is not supported`);
}
