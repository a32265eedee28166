// The pipeline around a model family: MiningSchema, LocalTransformations, the family's
// scoring function, Targets, Output. Used for the top-level model and for every segment.
import { ModelLoadError, RecordError } from '../api/model.ts';
import type { DataFieldDef } from './data-dictionary.ts';
import type { CompiledModel, FamilyContext, FieldInfo, FunctionName, ModelFamily, Slots, TargetInfo, Value } from './family.ts';
import { compileDerivedField, compileExpression, resolveField, type ExprEnv } from './expressions.ts';
import { applyNestedSchema, readMiningSchema, targetOf, targetsOf, type CurrentRecord } from './mining-schema.ts';
import { compileOutputs, type OutputSlot } from './output.ts';
import { compilePredicate } from './predicates.ts';
import { Scope, type Declared } from './scope.ts';
import { dataTypeAttr, opTypeAttr } from './values.ts';
import { applyTargets } from './targets.ts';
import { childrenNamed, enumAttr, requiredAttr, type XmlElement } from './xml.ts';

/** A compiled model and, at the top level, its OutputFields' slots. */
export interface TopModel extends CompiledModel {
  /** Its OutputFields' slots, after those of nested models it reports (CompiledModel.nestedOutputs). */
  readonly outputs?: readonly OutputSlot[];
}

export interface CompileEnv extends ExprEnv {
  readonly dict: ReadonlyMap<string, DataFieldDef>;
  readonly families: ReadonlyMap<string, ModelFamily>;
  /** The document's TransformationDictionary, re-defined in a segment whose MiningSchema treats its inputs. */
  readonly transformations?: XmlElement | undefined;
  /** The record the input fields read (swapped to evaluate fields on a training instance). */
  readonly current: CurrentRecord;
}

/** The slot mark of a DerivedField being computed for the record (never a field value). */
const COMPUTING = Symbol('computing') as unknown as Value;

function cycle(name: string): never {
  throw new RecordError(`<DerivedField name="${name}"> needs its own value for this record (a circular definition; JPMML overflows its stack)`);
}

/** A DerivedField's declared dataType and optype, when it declares its dataType. */
export function declaredType(el: XmlElement): Declared | undefined {
  if (el.attrs['dataType'] === undefined) return undefined;
  const dataType = dataTypeAttr(el, 'double');
  return { dataType, optype: opTypeAttr(el, dataType) };
}

/** Defines the DerivedFields of a TransformationDictionary or LocalTransformations, compiled lazily and cached per record. */
export function defineDerivedFields(container: XmlElement | undefined, scope: Scope, env: ExprEnv): void {
  if (container === undefined) return;
  for (const el of childrenNamed(container, 'DerivedField')) {
    const name = requiredAttr(el, 'name');
    scope.defineLazy(name, () => {
      const c = compileDerivedField(el, scope, env);
      const slot = scope.slots.alloc();
      const f = c.eval;
      // undefined: not computed yet for this record; null: missing; COMPUTING: a cycle came back to it.
      const get = (s: Slots) => {
        let v = s[slot];
        if (v === undefined) { s[slot] = COMPUTING; v = f(s); s[slot] = v; } else if (v === COMPUTING) cycle(name);
        return v;
      };
      return { name, dataType: c.dataType, optype: c.optype, values: [], get } satisfies FieldInfo;
    }, `<DerivedField name="${name}">`, declaredType(el));
  }
}

/**
 * A regression result takes its target field's dataType, as JPMML casts it: a float target is
 * rounded to float32, an integer target refuses a fractional value (JPMML: TypeCheckException).
 */
function castToTarget(compiled: CompiledModel, target: TargetInfo | null): CompiledModel {
  if (compiled.functionName !== 'regression' || target === null || (target.dataType !== 'integer' && target.dataType !== 'float')) return compiled;
  const inner = compiled.score, name = target.name;
  const score = target.dataType === 'float'
    ? (s: Slots) => { const r = inner(s); return typeof r.value === 'number' ? { ...r, value: Math.fround(r.value) } : r; }
    : (s: Slots) => {
      const r = inner(s);
      if (typeof r.value === 'number' && !Number.isInteger(r.value) && Number.isFinite(r.value)) {
        throw new RecordError(`target field "${name}" is an integer, but the model computed ${r.value}`);
      }
      return r;
    };
  return { ...compiled, score };
}

/**
 * Compiles one model element in `scope` (whose input fields are already defined).
 * `outer` is the enclosing model's scope for a segment, which also receives its OutputFields.
 */
export function compileModel(el: XmlElement, scope: Scope, inheritedTarget: TargetInfo | null, env: CompileEnv, outer: Scope | null): TopModel {
  const family = env.families.get(el.name);
  if (family === undefined) {
    throw new ModelLoadError(`model element <${el.name}> is not supported (supported: ${[...env.families.keys()].join(', ')})`);
  }
  if (el.attrs['isScorable'] === 'false') throw new ModelLoadError(`<${el.name}> is marked isScorable="false"`);
  requiredAttr(el, 'functionName');
  const functionName: FunctionName = enumAttr(el, 'functionName', family.functionNames ?? ['regression', 'classification'], 'regression');
  const fields = readMiningSchema(el);
  // A segment that replaces or clamps its inputs sees the TransformationDictionary computed from its
  // own values (JPMML evaluates a global DerivedField in the context that reads it).
  if (outer !== null && applyNestedSchema(fields, scope)) defineDerivedFields(env.transformations, scope, env);
  const target = targetOf(fields, env.dict, inheritedTarget);
  const targets = targetsOf(fields, env.dict, target);
  defineDerivedFields(childrenNamed(el, 'LocalTransformations')[0], scope, env);

  const mathAttr = el.attrs['x-mathContext'] !== undefined ? 'x-mathContext' : 'mathContext';
  const float = enumAttr(el, mathAttr, ['double', 'float'], 'double') === 'float';
  const ctx: FamilyContext = {
    functionName,
    target,
    targets,
    ...(float ? { mathContext: 'float' as const } : {}),
    field: (name, where) => resolveField(scope, name, where),
    expression: (e) => compileExpression(e, scope, env).eval,
    derivedField: (e) => compileDerivedField(e, scope, env).eval,
    evaluateOn: (record, get) => {
      const current = env.current, saved = current.record;
      current.record = record;
      try {
        return get(new Array<Value>(scope.slots.size));
      } finally {
        current.record = saved;
      }
    },
    predicate: (e) => compilePredicate(e, scope),
    nested: (model) => compileModel(model, new Scope(scope, scope.slots), target, env, scope),
  };
  let compiled = family.compile(el, ctx);
  if (compiled.functionName !== functionName) {
    throw new ModelLoadError(`<${el.name}> family returned a ${compiled.functionName} model for functionName="${functionName}"`);
  }
  compiled = castToTarget(applyTargets(el, compiled, target, float), target);
  if (target !== null) compiled = { ...compiled, targetName: target.name };
  const outputs = compileOutputs(el, compiled, outer === null ? [scope] : [scope, outer], env);
  scope.compileAll();
  const nested = compiled.nestedOutputs ?? [];
  if (outputs === null) return nested.length === 0 ? compiled : { ...compiled, outputs: nested };
  const inner = compiled.score, write = outputs.write;
  const score = (s: Slots) => { const r = inner(s); write(s, r); return r; };
  // The top-level model's outputs are read from their slots into the Prediction.
  return { ...compiled, score, outputs: [...nested, ...outputs.fields] };
}
