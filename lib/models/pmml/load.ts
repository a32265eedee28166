// loadPmml: parse, validate and compile a PMML document once into a `Model` whose per-record
// scoring runs plain closures over a slot array.
import {
  ModelLoadError, RecordError, type FeatureRecord, type FeatureValue, type Model, type Prediction, type ScoreOutcome,
} from '../api/model.ts';
import { readDataDictionary } from './data-dictionary.ts';
import type { CompiledModel, ModelFamily, Score, Value } from './family.ts';
import { compileInputs, readMiningSchema, type CurrentRecord } from './mining-schema.ts';
import type { OutputSlot } from './output.ts';
import { compileModel, defineDerivedFields, type CompileEnv, type TopModel } from './pipeline.ts';
import { FAMILIES } from './registry.ts';
import { Scope, SlotAllocator } from './scope.ts';
import { labelValue } from './values.ts';
import { child, childrenNamed, parsePmmlXml, requiredAttr, type XmlElement } from './xml.ts';

const NO_RECORD: FeatureRecord = Object.freeze({});
const NOT_MODELS = new Set(['Header', 'MiningBuildTask', 'DataDictionary', 'TransformationDictionary']);

export interface LoadPmmlOptions {
  /** Model families by element name; defaults to every family this package implements. */
  readonly families?: ReadonlyMap<string, ModelFamily>;
}

/** Loads a PMML document. Throws `ModelLoadError` naming the element/attribute at fault. */
export function loadPmml(xml: string | Uint8Array, options: LoadPmmlOptions = {}): Model {
  const pmml = parsePmmlXml(xml);
  const dict = readDataDictionary(pmml);
  const td = child(pmml, 'TransformationDictionary');
  const functions = new Map<string, XmlElement>();
  for (const fn of td === undefined ? [] : childrenNamed(td, 'DefineFunction')) functions.set(requiredAttr(fn, 'name'), fn);
  const expected = new Map<string, (s: Value[]) => Value>();
  const current: CurrentRecord = { record: NO_RECORD };
  const env: CompileEnv = { dict, functions, families: options.families ?? FAMILIES, expected, transformations: td, current };

  const modelEl = pmml.children.find((c) => !NOT_MODELS.has(c.name));
  if (modelEl === undefined) throw new ModelLoadError('<PMML> contains no model element');
  const scope = new Scope(null, new SlotAllocator());
  const schema = readMiningSchema(modelEl);
  const inputs = compileInputs(schema, dict, scope, current, expected);
  const targetNames = schema.filter((f) => f.usageType === 'target' || f.usageType === 'predicted').map((f) => f.name);
  defineDerivedFields(td, scope, env);
  const compiled = compileModel(modelEl, scope, null, env, null);
  scope.compileAll();
  return new PmmlModel(current, compiled, scope.slots.size, inputs, targetNames.length > 1 ? targetNames : []);
}

function deepFreeze(p: Prediction): Prediction {
  if (p.probabilities !== undefined) Object.freeze(p.probabilities);
  return Object.freeze(p);
}

class PmmlModel implements Model {
  readonly kind = 'pmml' as const;
  readonly #current: CurrentRecord;
  readonly #score: CompiledModel['score'];
  readonly #labels: readonly string[];
  readonly #labelValues: ReadonlyMap<string, number | string>;
  // One slot array reused across records: scoring is synchronous, so no two records share it at once.
  readonly #slots: Value[];
  // Predictions of frozen Scores that families share across records (tree leaves): built once.
  readonly #shared = new WeakMap<Score, Prediction>();

  readonly #outputs: readonly OutputSlot[] | undefined;
  /**
   * An OutputField named as the target replaces the target's classification in JPMML's result
   * (one map entry per name), so the prediction reports that field's value and no probabilities.
   */
  readonly #shadowed: boolean;

  readonly #inputs: readonly ((s: Value[]) => Value)[];
  /** The target fields when there are several (else empty): results are reported per target. */
  readonly #targets: readonly string[];

  constructor(current: CurrentRecord, compiled: TopModel, slotCount: number, inputs: readonly ((s: Value[]) => Value)[], targets: readonly string[]) {
    this.#current = current;
    this.#inputs = inputs;
    this.#targets = targets;
    this.#outputs = compiled.outputs;
    this.#shadowed = compiled.targetName !== undefined && (compiled.outputs ?? []).some((o) => o.name === compiled.targetName);
    this.#score = compiled.score;
    this.#labels = compiled.labels;
    this.#labelValues = new Map(compiled.labels.map((l) => [l, labelValue(l)]));
    this.#slots = new Array<Value>(slotCount);
  }

  score(record: FeatureRecord): Prediction {
    const s = this.#slots;
    s.fill(undefined as unknown as Value);
    this.#current.record = record;
    let r: Score;
    try {
      for (const prepare of this.#inputs) prepare(s);
      r = this.#score(s);
    } catch (cause) {
      if (cause instanceof RecordError) throw cause;
      throw new RecordError(`the record could not be scored: ${(cause as Error).message}`, { cause });
    } finally {
      this.#current.record = NO_RECORD;
    }
    // A missing input with no treatment gives no prediction (value null), as in JPMML.
    if (this.#targets.length > 0) r = this.#perTarget(r);
    // Its Output fields are still reported (JPMML gives each its value or null).
    const none = r.value === null && r.segments === undefined;
    const targets = r.targets === undefined ? {} : { targets: r.targets as { [name: string]: number | string | null } };
    if (this.#outputs === undefined) return none ? { value: null, ...targets } : this.#prediction(r);
    const outputs: { [name: string]: FeatureValue } = {};
    for (const o of this.#outputs) outputs[o.name] = o.live !== undefined && !o.live() ? null : s[o.slot] ?? null;
    if (none) return { value: null, ...targets, outputs };
    // #build returns a fresh object: completed in place rather than copied (a spread per record).
    const p = this.#build(r) as { -readonly [K in keyof Prediction]: Prediction[K] };
    if (this.#shadowed) delete p.probabilities;
    p.outputs = outputs;
    return p;
  }

  scoreBatch(records: readonly FeatureRecord[]): ScoreOutcome[] {
    const out: ScoreOutcome[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      try {
        out[i] = { kind: 'scored', prediction: this.score(records[i]!) };
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        out[i] = { kind: 'failed', error: err };
      }
    }
    return out;
  }

  close(): void {
    // Nothing to release: the compiled closures are garbage-collected with the model.
  }

  /** Several targets: each one's value; the first target's is the value (JPMML's getTargetName()). */
  #perTarget(r: Score): Score {
    const targets: { [name: string]: number | string | null } = {};
    const [first] = this.#targets;
    for (const name of this.#targets) {
      const v = r.targets !== undefined ? (r.targets[name] ?? null) : name === first ? r.value : null;
      targets[name] = typeof v === 'string' ? (this.#labelValues.get(v) ?? labelValue(v)) : typeof v === 'boolean' ? String(v) : v;
    }
    const own = r.targets === undefined || (r.targets[first!] ?? null) !== null;
    const base: Score = own ? { ...r, value: r.targets === undefined ? r.value : r.targets[first!] as Score['value'] } : { value: null };
    return { ...base, targets };
  }

  #prediction(r: Score): Prediction {
    if (!Object.isFrozen(r)) return this.#build(r);
    let p = this.#shared.get(r);
    if (p === undefined) this.#shared.set(r, (p = deepFreeze(this.#build(r))));
    return p;
  }

  #build(r: Score): Prediction {
    if (r.segments !== undefined) return { value: null, segments: r.segments.map((sr) => this.#prediction(sr)) };
    if (r.targets !== undefined && this.#targets.length > 0) {
      const { targets: _, ...rest } = r;
      const p = this.#build(rest);
      return { ...p, targets: r.targets as { [name: string]: number | string | null } };
    }
    const v = r.value;
    const value = typeof v === 'string' ? (this.#labelValues.get(v) ?? labelValue(v)) : v;
    const p = r.probabilities;
    if (p === undefined) return { value };
    const labels = this.#labels;
    const probabilities: { [label: string]: number } = {};
    for (let i = 0; i < labels.length; i++) probabilities[labels[i]!] = p[i] ?? 0;
    return { value, probabilities };
  }
}
