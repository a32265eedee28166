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

type Entry =
  | { readonly state: 'ready'; readonly info: FieldInfo }
  | { readonly state: 'pending'; readonly compile: () => FieldInfo; readonly where: string }
  | { readonly state: 'compiling'; readonly where: string };

export class Scope {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly parent: Scope | null, readonly slots: SlotAllocator) {}

  /** Defines a field whose accessor is known now; `replace` lets a later definition win (segment outputs). */
  define(info: FieldInfo, where: string, options: { readonly replace?: boolean } = {}): void {
    if (options.replace !== true) this.#checkFree(info.name, where);
    this.#entries.set(info.name, { state: 'ready', info });
  }

  /** Defines a field compiled on first reference (derived fields may be listed in any order). */
  defineLazy(name: string, compile: () => FieldInfo, where: string): void {
    this.#checkFree(name, where);
    this.#entries.set(name, { state: 'pending', compile, where });
  }

  /** Resolves a name here or in an enclosing scope; undefined when unknown. */
  resolve(name: string): FieldInfo | undefined {
    const e = this.#entries.get(name);
    if (e === undefined) return this.parent?.resolve(name);
    switch (e.state) {
      case 'ready': return e.info;
      case 'compiling': throw new ModelLoadError(`${e.where} refers to itself through its expression (circular definition)`);
      case 'pending': {
        this.#entries.set(name, { state: 'compiling', where: e.where });
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
