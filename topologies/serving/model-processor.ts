// The models topic's processor, run by the global store on every instance: decodes a
// `ModelDescriptor`, compiles it into the instance's model cache, and only then gives it its role
// for its dataType (champion, split or shadow). A model that fails to load leaves the current ones
// serving and is recorded as the slot's `lastError`; so the store only ever holds models that
// work. Commands (rollback, retire) arrive on the same topic, so every instance applies them.
import { createHash } from 'node:crypto';
import type { KeyValueStore, Processor, ProcessorContext, ProcessorSupplier, Record } from '../../lib/index.ts';
import { decodeModelDescriptor, decodeModelMessage, type ModelCommand, type ModelDescriptor } from '../codecs/messages.ts';
import type { ModelCache } from './model-cache.ts';
import { decodeModelSlot, encodeModelSlot, type AppliedAt, type LoadFailure, type ModelSlot, type ServingModel } from './model-slot.ts';
import { cacheLane, withCommand, withFailure, withModel } from './roles.ts';
import { modelTypeName } from './stats.ts';
import { dataTypeProblem, logsBadInput, preview } from './bad-input.ts';

export type ServingLog = (message: string) => void;

export interface ModelUpdateOptions {
  /** The global store: dataType → encoded `ModelSlot`. */
  readonly storeName: string;
  readonly cache: ModelCache;
  readonly log: ServingLog;
  /** Counts a model refused for its dataType; returns how many so far (they are logged now and then). */
  readonly refused: () => number;
  /** Previous champions kept per dataType (default 5). */
  readonly historySize?: number;
}

/** Keys are the dataType (as the tutorial's producer sends them); values are `ModelDescriptor` bytes, decoded here. */
export function modelUpdateProcessor(options: ModelUpdateOptions): ProcessorSupplier<string | null, Uint8Array | null, void, void> {
  return () => new ModelUpdateProcessor(options);
}

class ModelUpdateProcessor implements Processor<string | null, Uint8Array | null, void, void> {
  #context!: ProcessorContext<void, void>;
  #store!: KeyValueStore<string, Uint8Array>;

  constructor(private readonly options: ModelUpdateOptions) {}

  init(context: ProcessorContext<void, void>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.options.storeName);
  }

  process(record: Record<string | null, Uint8Array | null>): void | Promise<void> {
    const { value } = record;
    // A key that cannot be a dataType is no key: it is never a store key nor printed whole.
    const keyProblem = record.key ? dataTypeProblem(record.key) : undefined;
    const key = keyProblem ? null : record.key;
    const refuseKey = () => this.#refuse(`a model message keyed ${preview(record.key!)}`, `its key ${keyProblem}`);
    if (value === null) {
      if (keyProblem) refuseKey();
      // A tombstone withdraws the dataType's model: its records are skipped until the next one.
      if (key) {
        this.#store.delete(key);
        this.options.log(`model for dataType '${key}' withdrawn`);
      }
      return;
    }
    let descriptor: ModelDescriptor;
    try {
      const message = decodeModelMessage(value);
      if (message.kind === 'command') return this.#command(message.command, key, record.timestamp);
      descriptor = message.descriptor;
    } catch (err) {
      if (key) this.#failed(key, err);
      else if (keyProblem) refuseKey();
      else this.options.log(`skipping a model message with no key: ${message(err)}`);
      return;
    }
    const dataType = descriptor.dataType || key;
    if (!dataType) {
      if (keyProblem) refuseKey();
      else this.options.log(`skipping model ${preview(descriptor.name)}: it names no dataType and has no key`);
      return;
    }
    const problem = dataTypeProblem(dataType);
    if (problem) {
      this.#refuse(`model ${preview(descriptor.name)}`, `its dataType ${preview(dataType)} ${problem}`);
      return;
    }
    if (key && key !== dataType) this.options.log(`model '${descriptor.name}' is keyed '${key}' but names dataType '${dataType}': serving it for '${dataType}'`);
    return this.#install(dataType, descriptor, value, record.timestamp);
  }

  async #install(dataType: string, descriptor: ModelDescriptor, bytes: Uint8Array, timestamp: number): Promise<void> {
    if (this.#replayed(dataType)) return;
    const meta = this.#context.recordMetadata();
    // Offsets make a re-sent identical model a new one (it reloads and restarts the statistics,
    // as in the tutorial); the digest tells apart models at the same offset of a recreated topic.
    const digest = createHash('sha1').update(bytes).digest('hex').slice(0, 16);
    const id = `${digest}@${meta ? `${meta.partition}:${meta.offset}` : timestamp}`;
    const role = descriptor.role ?? 'champion';
    const model: ServingModel = {
      id, name: descriptor.name, description: descriptor.description, modelType: descriptor.modelType, since: timestamp,
      ...(descriptor.weight !== undefined && { weight: descriptor.weight }), descriptor: bytes,
    };
    // A split model sent with a negative weight leaves the split: nothing to compile.
    const leaving = role === 'split' && (descriptor.weight ?? 0) < 0;
    try {
      if (!leaving) await this.options.cache.load(cacheLane(dataType, role, descriptor.name), id, () => descriptor);
    } catch (err) {
      this.#failed(dataType, err, descriptor.name, role === 'champion' ? model : undefined);
      return;
    }
    this.#put(dataType, withModel(this.#slot(dataType) ?? {}, model, role, this.#historySize()));
    const what = leaving ? 'leaves the split of' : role === 'champion' ? 'now serves' : role === 'shadow' ? 'now scores in the shadow of the champion of' : `now answers a share (weight ${descriptor.weight ?? 1}) of`;
    this.options.log(`model '${descriptor.name}' (${modelTypeName(descriptor.modelType)}) ${what} dataType '${dataType}'`);
  }

  async #command(command: ModelCommand, key: string | null, timestamp: number): Promise<void> {
    const dataType = command.dataType || key;
    if (!dataType || dataTypeProblem(dataType)) {
      this.options.log(`skipping a ${command.command} command: it names no valid dataType`);
      return;
    }
    if (this.#replayed(dataType)) return;
    const slot = this.#slot(dataType) ?? {};
    const result = withCommand(slot, command, timestamp, this.#historySize());
    if (result.kind === 'refused') {
      this.options.log(`${command.command} of dataType '${dataType}' refused: ${result.reason}`);
      return;
    }
    if (command.command === 'rollback' && result.slot.current) {
      const target = result.slot.current;
      try {
        await this.options.cache.load(dataType, target.id, () => decodeModelDescriptor(target.descriptor));
      } catch (err) {
        this.#failed(dataType, err, target.name);
        return;
      }
    }
    this.#put(dataType, result.slot);
    this.options.log(command.command === 'rollback'
      ? `dataType '${dataType}' rolled back: '${result.slot.current?.name}' serves again`
      : `model '${command.name}' retired from dataType '${dataType}'`);
  }

  #historySize(): number {
    return Math.max(1, this.options.historySize ?? 5);
  }

  #failed(dataType: string, err: unknown, modelName?: string, champion?: ServingModel): void {
    if (this.#replayed(dataType)) return;
    const error = err instanceof Error ? err : new Error(String(err));
    const lastError: LoadFailure = { name: error.name, message: error.message, at: this.#context.currentSystemTimeMs() };
    const previous = this.#slot(dataType);
    this.#put(dataType, withFailure(previous ?? {}, lastError, champion, this.#historySize()));
    const keeps = previous?.current ? `'${previous.current.name}' keeps serving` : 'no model serves it yet';
    this.options.log(`model ${modelName === undefined ? '' : `'${modelName}' `}for dataType '${dataType}' failed to load (${keeps}): ${error.message}`);
  }

  /** A model that cannot serve any dataType: refused, counted, logged the first time and now and then. */
  #refuse(what: string, why: string): void {
    const n = this.options.refused();
    if (logsBadInput(n)) this.options.log(`refusing ${what}: ${why}; the current models keep serving [invalid-model-data-type: ${n} so far]`);
  }

  /**
   * Whether the record being processed was applied to this dataType's slot already: a global
   * store resumes from its last checkpoint after a crash, and a model or rollback applied twice
   * would push the champion into its own history or roll back one version too many.
   */
  #replayed(dataType: string): boolean {
    const at = this.#appliedAt();
    const last = at && this.#slot(dataType)?.applied;
    return Boolean(at && last && last.partition === at.partition && at.offset <= last.offset);
  }

  #appliedAt(): AppliedAt | undefined {
    const meta = this.#context.recordMetadata();
    return meta && { partition: meta.partition, offset: meta.offset };
  }

  #put(dataType: string, slot: ModelSlot): void {
    const applied = this.#appliedAt();
    this.#store.put(dataType, encodeModelSlot({ ...slot, ...(applied && { applied }) }));
  }

  #slot(dataType: string): ModelSlot | undefined {
    const bytes = this.#store.get(dataType);
    return bytes === undefined ? undefined : decodeModelSlot(bytes);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
