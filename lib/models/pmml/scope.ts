// Field scopes at compile time: a model sees its MiningSchema fields, its LocalTransformations,
// the TransformationDictionary and earlier segments' outputs. Names resolve here once; the
// compiled accessors read per-record slots.
import { ModelLoadError } from '../api/model.ts';
import type { FieldInfo } from './family.ts';

/** Hands out slot indices for one top-level model's per-record state. */
export class SlotAllocator {
  #count = 0;
  alloc(): number {
    return this.#count++;
  }
  get size(): number {
    return this.#count;
  }
}

/** A DerivedField's declared type: it lets a field be referred to while it compiles (a cycle through it). */
export type Declared = Pick<FieldInfo, 'dataType' | 'optype'>;

type Entry =
  | { readonly state: 'ready'; readonly info: FieldInfo }
  | { readonly state: 'pending'; readonly compile: () => FieldInfo; readonly where: string; readonly declared?: Declared | undefined }
  | { readonly state: 'compiling'; readonly where: string; readonly declared?: Declared | undefined };

export class Scope {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly parent: Scope | null, readonly slots: SlotAllocator) {}

  /** Defines a field whose accessor is known now; `replace` lets a later definition win (segment outputs). */
  define(info: FieldInfo, where: string, options: { readonly replace?: boolean } = {}): void {
    if (options.replace !== true) this.#checkFree(info.name, where);
    this.#entries.set(info.name, { state: 'ready', info });
  }

  /**
   * Defines a field compiled on first reference (derived fields may be listed in any order). With
   * `declared`, a reference to it while it compiles (a cycle) reads it at run time, as JPMML
   * evaluates lazily: only a record that really goes around the cycle fails.
   */
  defineLazy(name: string, compile: () => FieldInfo, where: string, declared?: Declared): void {
    this.#checkFree(name, where);
    this.#entries.set(name, { state: 'pending', compile, where, declared });
  }

  /** Resolves a name here or in an enclosing scope; undefined when unknown. */
  resolve(name: string): FieldInfo | undefined {
    const e = this.#entries.get(name);
    if (e === undefined) return this.parent?.resolve(name);
    switch (e.state) {
      case 'ready': return e.info;
      case 'compiling': {
        if (e.declared === undefined) throw new ModelLoadError(`${e.where} refers to itself through its expression (circular definition) and declares no dataType`);
        let target: FieldInfo | undefined;
        const get = (s: Parameters<FieldInfo['get']>[0]) => (target ??= this.resolve(name)!).get(s);
        return { name, ...e.declared, values: [], get };
      }
      case 'pending': {
        this.#entries.set(name, { state: 'compiling', where: e.where, declared: e.declared });
        try {
          const info = e.compile();
          this.#entries.set(name, { state: 'ready', info });
          return info;
        } catch (err) {
          this.#entries.set(name, e);
          throw err;
        }
      }
    }
  }

  /** Compiles every pending definition, so that a bad one fails the load even if nothing uses it. */
  compileAll(): void {
    for (const [name, e] of this.#entries) if (e.state === 'pending') this.resolve(name);
  }

  #checkFree(name: string, where: string): void {
    if (this.#entries.has(name)) throw new ModelLoadError(`${where}: field "${name}" is already defined in this scope`);
  }
}
