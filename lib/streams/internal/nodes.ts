import type { Cancellable, Processor, ProcessorContext, PunctuationType, Punctuator, RecordMetadata } from '../api/processor.ts';
import type { Serde } from '../api/serde.ts';
import type { StateStore } from '../../state/api/store.ts';
import type { SinkOptions } from '../topology.ts';
import { Record } from '../api/record.ts';
import { ProcessingError, TopologyError } from '../api/errors.ts';
import type { RecordCollector } from './record-collector.ts';

/** What a node needs from its task; implemented by `StreamTask`. */
export interface NodeHost {
  readonly applicationId: string;
  readonly taskId: string;
  readonly collector: RecordCollector;
  recordMetadata(): RecordMetadata | undefined;
  streamTime(): number;
  wallClockTime(): number;
  store(name: string): StateStore | undefined;
  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  requestCommit(): void;
  recordDropped(node: string, reason: string): void;
  /** Keeps a processor's Promise so the task awaits it before the next record. */
  track(nodeName: string, pending: Promise<void>): void;
}

/** A node of a running task: a processor with its context, or a sink. */
export interface RuntimeNode {
  readonly name: string;
  process(record: Record<unknown, unknown>): void;
}

/** The per-node `ProcessorContext`: forwards go to this node's children. */
export class NodeContext implements ProcessorContext {
  readonly children: RuntimeNode[] = [];
  readonly #byName = new Map<string, RuntimeNode>();

  constructor(
    readonly nodeName: string,
    private readonly host: NodeHost,
    private readonly allowedStores: ReadonlySet<string>,
  ) {}

  get applicationId(): string { return this.host.applicationId; }
  get taskId(): string { return this.host.taskId; }

  addChild(child: RuntimeNode): void {
    this.children.push(child);
    this.#byName.set(child.name, child);
  }

  forward(record: Record<unknown, unknown>, childName?: string): void {
    if (childName === undefined) {
      for (const child of this.children) child.process(record);
      return;
    }
    const child = this.#byName.get(childName);
    if (!child) {
      throw new ProcessingError(`"${this.nodeName}" has no child named "${childName}" (children: ${[...this.#byName.keys()].join(', ') || 'none'})`, this.nodeName);
    }
    child.process(record);
  }

  getStateStore<S extends StateStore = StateStore>(name: string): S {
    const store = this.host.store(name);
    if (!store) throw new TopologyError(`Unknown state store "${name}" requested by "${this.nodeName}"`);
    if (!this.allowedStores.has(name)) {
      throw new TopologyError(`Processor "${this.nodeName}" is not connected to state store "${name}": connect it with addStateStore(builder, "${this.nodeName}") or process(supplier, "${name}")`);
    }
    return store as S;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return this.host.schedule(this.nodeName, intervalMs, type, punctuator);
  }

  commit(): void { this.host.requestCommit(); }
  recordMetadata(): RecordMetadata | undefined { return this.host.recordMetadata(); }
  currentStreamTimeMs(): number { return this.host.streamTime(); }
  currentSystemTimeMs(): number { return this.host.wallClockTime(); }
  recordDropped(reason: string): void { this.host.recordDropped(this.nodeName, reason); }
}

export class ProcessorNode implements RuntimeNode {
  constructor(
    readonly name: string,
    readonly processor: Processor,
    readonly context: NodeContext,
    private readonly host: NodeHost,
  ) {}

  process(record: Record<unknown, unknown>): void {
    let result: void | Promise<void>;
    try {
      result = this.processor.process(record);
    } catch (err) {
      throw asProcessingError(err, this.name);
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      this.host.track(this.name, result as Promise<void>);
    }
  }
}

export class SinkNode implements RuntimeNode {
  constructor(
    readonly name: string,
    private readonly options: SinkOptions,
    private readonly host: NodeHost,
  ) {}

  process(record: Record<unknown, unknown>): void {
    const { topic, keySerde, valueSerde, partitioner } = this.options;
    const key = record.key === null || record.key === undefined ? null : toBytes(record.key, keySerde, topic, this.name, 'key');
    const value = record.value === null || record.value === undefined ? null : toBytes(record.value, valueSerde, topic, this.name, 'value');
    let partition: number | undefined;
    if (partitioner) {
      const count = this.host.collector.partitionsFor(topic);
      if (count !== undefined) partition = partitioner(topic, record.key, record.value, count);
    }
    this.host.collector.send({ topic, partition, key, value, timestamp: record.timestamp, headers: record.headers });
  }
}

function toBytes(data: unknown, serde: Serde<unknown> | undefined, topic: string, node: string, what: string): Uint8Array {
  if (serde) return serde.serialize(data, topic);
  if (data instanceof Uint8Array) return data;
  throw new ProcessingError(`Sink "${node}" has no ${what}Serde and the ${what} is not a Uint8Array: give the sink a ${what}Serde`, node);
}

export function asProcessingError(err: unknown, node: string): ProcessingError {
  if (err instanceof ProcessingError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProcessingError(`Processor "${node}" failed: ${message}`, node, { cause: err });
}

/** Deserializes a source record's key or value; no serde means the bytes pass as they are. */
export function fromBytes(bytes: Uint8Array | null, serde: Serde<unknown> | undefined, topic: string): unknown {
  if (bytes === null) return null;
  return serde ? serde.deserialize(bytes, topic) : bytes;
}
