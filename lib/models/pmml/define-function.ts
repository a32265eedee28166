// A user function (PMML 4.4 §DefineFunction), compiled once per document: its ParameterFields
// and its own DerivedFields (JPMML's extension: local fields computed from the parameters, once
// per call) live in a range of slots. A function that calls itself, directly or through another,
// saves that range around each call so that every call has its own parameters and fields.
import { ModelLoadError } from '../api/model.ts';
import type { CompileExpr } from './apply.ts';
import type { Compiled, ExprEnv } from './expressions.ts';
import type { DataType, Eval, Slots, Value } from './family.ts';
import { Scope } from './scope.ts';
import { dataTypeAttr, opTypeAttr, toType } from './values.ts';
import { childrenNamed, requiredAttr, type XmlElement } from './xml.ts';

interface UserFunction {
  readonly name: string;
  readonly params: readonly number[];
  /** Slots [lo, hi) hold its parameters, its fields and those of functions first compiled inside it. */
  readonly lo: number;
  hi: number;
  /** null while the body compiles: a call met then is a recursive one. */
  body: Eval | null;
  recursive: boolean;
  dataType: DataType;
}

// Keyed by the DefineFunction element, which belongs to one parsed document (one slot allocator).
const compiledFunctions = new WeakMap<XmlElement, UserFunction>();

const NOT_BODY = new Set(['Extension', 'ParameterField', 'DerivedField']);

/** A function-local DerivedField: computed from the parameters on first use in a call, then kept for that call. */
function defineLocal(el: XmlElement, scope: Scope, env: ExprEnv, compileExpr: CompileExpr, fnName: string): void {
  const name = requiredAttr(el, 'name');
  scope.defineLazy(name, () => {
    const exprEl = el.children.find((c) => c.name !== 'Extension');
    if (exprEl === undefined) throw new ModelLoadError(`<DefineFunction name="${fnName}"> <DerivedField name="${name}"> lacks an expression`);
    const inner = compileExpr(exprEl, scope, env);
    const dataType = dataTypeAttr(el, inner.dataType);
    const f = inner.eval;
    const cast: Eval = inner.dataType === dataType ? f : (s) => { const v = f(s); return v === null ? null : toType(v, dataType) ?? null; };
    const slot = scope.slots.alloc();
    const get = (s: Slots): Value => { let v = s[slot]; if (v === undefined) { v = cast(s); s[slot] = v; } return v; };
    return { name, dataType, optype: opTypeAttr(el, dataType), values: [], get };
  }, `<DefineFunction name="${fnName}"> <DerivedField name="${name}">`);
}

function compileFunction(fn: XmlElement, outer: Scope, env: ExprEnv, compileExpr: CompileExpr): UserFunction {
  const known = compiledFunctions.get(fn);
  if (known !== undefined) {
    if (known.body === null) known.recursive = true;
    return known;
  }
  const name = requiredAttr(fn, 'name');
  const slots = outer.slots;
  const lo = slots.size;
  const paramEls = childrenNamed(fn, 'ParameterField');
  const params = paramEls.map(() => slots.alloc());
  const f: UserFunction = { name, params, lo, hi: lo, body: null, recursive: false, dataType: dataTypeAttr(fn, 'double') };
  compiledFunctions.set(fn, f);
  // Parameters and its own fields only: a function body sees no field of its caller.
  const scope = new Scope(null, slots);
  paramEls.forEach((p, i) => {
    const dataType: DataType = dataTypeAttr(p, 'double'), slot = params[i]!;
    scope.define({ name: requiredAttr(p, 'name'), dataType, optype: opTypeAttr(p, dataType), values: [], get: (s: Slots) => s[slot] ?? null }, `<DefineFunction name="${name}">`);
  });
  for (const el of childrenNamed(fn, 'DerivedField')) defineLocal(el, scope, env, compileExpr, name);
  const bodyEl = fn.children.find((c) => !NOT_BODY.has(c.name));
  if (bodyEl === undefined) throw new ModelLoadError(`<DefineFunction name="${name}"> lacks an expression`);
  const body = compileExpr(bodyEl, scope, env);
  f.body = body.eval;
  f.dataType = dataTypeAttr(fn, body.dataType);
  f.hi = slots.size;
  return f;
}

/** A call of a DefineFunction: the arguments are evaluated first, then bound, then the body runs. */
export function callDefinedFunction(el: XmlElement, fn: XmlElement, args: readonly Compiled[], outer: Scope, env: ExprEnv, compileExpr: CompileExpr): Compiled {
  const f = compileFunction(fn, outer, env, compileExpr);
  if (f.params.length !== args.length) {
    throw new ModelLoadError(`<Apply function="${f.name}"> passes ${args.length} arguments; <DefineFunction name="${f.name}"> has ${f.params.length} parameters`);
  }
  const ev = args.map((a) => a.eval), params = f.params, n = ev.length;
  const dataType = f.dataType;
  return {
    eval: (s) => {
      const vals = new Array<Value>(n);
      for (let i = 0; i < n; i++) vals[i] = ev[i]!(s);
      const saved = f.recursive ? s.slice(f.lo, f.hi) : null;
      for (let i = 0; i < n; i++) s[params[i]!] = vals[i]!;
      // Its own fields are computed afresh in every call.
      for (let j = f.lo + n; j < f.hi; j++) s[j] = undefined as unknown as Value;
      if (saved === null) return f.body!(s);
      try {
        return f.body!(s);
      } finally {
        for (let j = 0; j < saved.length; j++) s[f.lo + j] = saved[j]!;
      }
    },
    dataType, optype: opTypeAttr(fn, dataType),
  };
}
