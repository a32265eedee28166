// The transaction coordinator (KIP-98) of a single-node broker: one TransactionMetadata per
// transactional id, moved through Kafka's states by InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, TxnOffsetCommit and EndTxn. Markers go straight into the partition logs
// (one node: the coordinator is every partition's leader), so PrepareCommit/PrepareAbort last
// only while EndTxn runs, or across a crash, which the constructor's recovery completes.
import { ErrorCode } from '../protocol/errors.ts';
import type { PartitionOffsetCommit } from '../groups/types.ts';
import type { TopicStore } from '../storage/topic-store.ts';
import { toRecord, type TxnRecord, type TxnStore } from './txn-store.ts';
import {
  IllegalTxnTransitionError, tpKey, VALID_PREVIOUS, type InitProducerIdResult, type TopicPartition,
  type EndTxnResult, type TransactionMetadata, type TransactionSnapshot, type TxnIdentity, type TxnOffsetCommitRequest,
  type TxnPartitionError, type TxnStateName,
} from './types.ts';

/** What the coordinator needs of the group coordinator (TxnOffsetCommit, offsets on commit). */
export interface TxnGroups {
  validateTxnCommit(req: { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }): number;
  commitTransactional(groupId: string, partitions: readonly PartitionOffsetCommit[]): Promise<void>;
}

export interface TransactionCoordinatorOptions {
  readonly topics: TopicStore;
  readonly groups: TxnGroups;
  readonly store: TxnStore;
  readonly allocateProducerId: () => number;
  readonly now?: () => number;
  /** transaction.max.timeout.ms: InitProducerId refuses longer timeouts (Kafka's default 900000). */
  readonly maxTimeoutMs?: number;
  /** transactional.id.expiration.ms: idle ids are forgotten (Kafka's default 7 days). */
  readonly idExpirationMs?: number;
  readonly onError?: (message: string, cause: unknown) => void;
}

// Kafka bumps epochs up to Short.MAX_VALUE - 1 and then hands out a new producer id.
const MAX_EPOCH = 32766;
// The only coordinator epoch this broker has: it never moves between nodes.
const COORDINATOR_EPOCH = 0;

export class TransactionCoordinator {
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly byProducer = new Map<number, TransactionMetadata>();
  private readonly now: () => number;
  private readonly maxTimeoutMs: number;
  private readonly idExpirationMs: number;

  constructor(private readonly opts: TransactionCoordinatorOptions) {
    this.now = opts.now ?? Date.now;
    this.maxTimeoutMs = opts.maxTimeoutMs ?? 900_000;
    this.idExpirationMs = opts.idExpirationMs ?? 7 * 24 * 3600_000;
    for (const r of opts.store.load()) this.put(fromRecord(r));
    this.recover();
  }

  /**
   * `expected` (InitProducerId v3+, KIP-360) is the id and epoch the producer last had: a
   * producer resuming after an error may re-init only if they are still the current ones.
   */
  initProducerId(req: {
    transactionalId: string; transactionTimeoutMs: number; expected?: { producerId: number; producerEpoch: number };
  }): InitProducerIdResult {
    if (req.transactionTimeoutMs <= 0 || req.transactionTimeoutMs > this.maxTimeoutMs) {
      return { kind: 'error', errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT };
    }
    let txn = this.txns.get(req.transactionalId);
    const now = this.now();
    const { expected } = req;
    if (txn && expected && expected.producerId >= 0
      && (expected.producerId !== txn.producerId || expected.producerEpoch !== txn.producerEpoch)) {
      return { kind: 'error', errorCode: ErrorCode.PRODUCER_FENCED };
    }
    if (!txn) {
      txn = {
        transactionalId: req.transactionalId, producerId: this.opts.allocateProducerId(), producerEpoch: 0,
        timeoutMs: req.transactionTimeoutMs, state: 'Empty', partitions: new Map(), pendingOffsets: new Map(),
        startedAt: -1, lastUpdate: now,
      };
      this.put(txn);
      this.save();
      return { kind: 'ok', producerId: txn.producerId, producerEpoch: 0 };
    }
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return { kind: 'error', errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
    // A new producer instance: the previous one's transaction is aborted under the bumped
    // epoch, so its markers fence the old epoch on every partition it wrote to.
    if (txn.state === 'Ongoing') this.abortFenced(txn);
    else this.bumpEpoch(txn);
    txn.timeoutMs = req.transactionTimeoutMs;
    this.transition(txn, 'Empty');
    this.save();
    return { kind: 'ok', producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  }

  addPartitions(req: TxnIdentity & { partitions: readonly TopicPartition[] }): TxnPartitionError[] {
    const all = (errorCode: number) => req.partitions.map((p) => ({ ...p, errorCode }));
    const { txn, errorCode } = this.current(req);
    if (!txn) return all(errorCode);
    const unknown = req.partitions.filter((p) => !this.opts.topics.get(p.topic)?.partitions[p.partition]);
    if (unknown.length > 0) {
      // Kafka refuses the whole request: the bad partitions say why, the rest were not attempted.
      const bad = new Set(unknown.map((p) => tpKey(p.topic, p.partition)));
      return req.partitions.map((p) => ({
        ...p, errorCode: bad.has(tpKey(p.topic, p.partition)) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED,
      }));
    }
    this.begin(txn);
    for (const p of req.partitions) txn.partitions.set(tpKey(p.topic, p.partition), { topic: p.topic, partition: p.partition });
    this.save();
    return all(ErrorCode.NONE);
  }

  /** AddPartitionsToTxn v4 verify_only: whether each partition is in the ongoing transaction; nothing changes. */
  verifyPartitions(req: TxnIdentity & { partitions: readonly TopicPartition[] }): TxnPartitionError[] {
    const { txn, errorCode } = this.identify(req);
    return req.partitions.map((p) => ({
      ...p,
      errorCode: !txn ? errorCode : txn.state === 'Ongoing' && txn.partitions.has(tpKey(p.topic, p.partition)) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE,
    }));
  }

  addOffsets(req: TxnIdentity & { groupId: string }): number {
    const { txn, errorCode } = this.current(req);
    if (!txn) return errorCode;
    this.begin(txn);
    if (!txn.pendingOffsets.has(req.groupId)) txn.pendingOffsets.set(req.groupId, new Map());
    this.save();
    return ErrorCode.NONE;
  }

  /** Offsets are held in the transaction and become committed offsets only on commit. */
  txnOffsetCommit(req: TxnOffsetCommitRequest): TxnPartitionError[] {
    const all = (errorCode: number) => req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode }));
    const { txn, errorCode } = this.current(req);
    if (!txn) return all(errorCode);
    // TxnOffsetCommit v5 (KIP-890 part 2) adds the group itself, as AddOffsetsToTxn would,
    // once the member is known to be current (a stale one must not start a transaction).
    // Before v5 a bad transaction state is answered ahead of a stale member.
    const memberError = this.opts.groups.validateTxnCommit(req);
    if (req.implicitAddOffsets && memberError !== ErrorCode.NONE) return all(memberError);
    if (req.implicitAddOffsets && !(txn.state === 'Ongoing' && txn.pendingOffsets.has(req.groupId))) {
      this.begin(txn);
      txn.pendingOffsets.set(req.groupId, new Map());
    }
    const pending = txn.pendingOffsets.get(req.groupId);
    if (txn.state !== 'Ongoing' || !pending) return all(ErrorCode.INVALID_TXN_STATE);
    if (memberError !== ErrorCode.NONE) return all(memberError);
    for (const o of req.offsets) pending.set(tpKey(o.topic, o.partition), o);
    txn.lastUpdate = this.now();
    this.save();
    return all(ErrorCode.NONE);
  }

  /** Whether an unfinished transaction holds an offset of the group for the partition (OffsetFetch require_stable). */
  hasPendingOffset(groupId: string, topic: string, partition: number): boolean {
    const key = tpKey(topic, partition);
    for (const txn of this.txns.values()) if (txn.pendingOffsets.get(groupId)?.has(key)) return true;
    return false;
  }

  async endTxn(req: TxnIdentity & { commit: boolean }): Promise<number> {
    const { txn, errorCode } = this.identify(req);
    if (!txn) return errorCode;
    switch (txn.state) {
      case 'Ongoing':
        break;
      case 'CompleteCommit':
        return req.commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE; // a retried EndTxn
      case 'CompleteAbort':
        return req.commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      case 'PrepareCommit':
        return req.commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case 'PrepareAbort':
        return req.commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
    this.transition(txn, req.commit ? 'PrepareCommit' : 'PrepareAbort');
    this.save();
    await this.complete(txn);
    return ErrorCode.NONE;
  }

  /**
   * EndTxn v5 (KIP-890 part 2): the epoch is bumped at every transaction end and the markers
   * carry the new one, so a late batch of the old epoch is fenced; the answer names the id
   * and epoch the producer goes on with. A retry (the old epoch, the same outcome) gets the
   * same answer, as Kafka's coordinator gives it.
   */
  async endTxnBumping(req: TxnIdentity & { commit: boolean }): Promise<EndTxnResult> {
    const txn = this.txns.get(req.transactionalId);
    const fail = (errorCode: number): EndTxnResult => ({ errorCode, producerId: -1, producerEpoch: -1 });
    const ok = (t: TransactionMetadata): EndTxnResult => ({ errorCode: ErrorCode.NONE, producerId: t.producerId, producerEpoch: t.producerEpoch });
    if (txn && txn.lastEnd && txn.lastEnd.producerId === req.producerId && txn.lastEnd.producerEpoch === req.producerEpoch) {
      const done = req.commit ? 'CompleteCommit' : 'CompleteAbort';
      return txn.state === done ? ok(txn) : fail(ErrorCode.INVALID_TXN_STATE);
    }
    const { errorCode } = this.identify(req);
    if (!txn || errorCode !== ErrorCode.NONE) return fail(errorCode);
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    // The producer cannot know whether its produce reached us before failing (the partition is
    // added by the batch), so an abort with nothing in the transaction is accepted, epoch bumped.
    const emptyAbort = !req.commit && (txn.state === 'Empty' || txn.state === 'CompleteCommit' || txn.state === 'CompleteAbort');
    if (txn.state !== 'Ongoing' && !emptyAbort) return fail(ErrorCode.INVALID_TXN_STATE);
    if (emptyAbort) {
      txn.partitions = new Map();
      txn.pendingOffsets = new Map();
    }
    txn.lastEnd = { producerId: txn.producerId, producerEpoch: txn.producerEpoch };
    if (txn.producerEpoch < MAX_EPOCH) txn.producerEpoch++;
    this.transition(txn, req.commit ? 'PrepareCommit' : 'PrepareAbort');
    this.save();
    await this.complete(txn);
    // Out of epochs: the producer goes on under a fresh id (the markers used the old one).
    if (txn.producerEpoch >= MAX_EPOCH) {
      this.byProducer.delete(txn.producerId);
      txn.producerId = this.opts.allocateProducerId();
      txn.producerEpoch = 0;
      this.byProducer.set(txn.producerId, txn);
      this.save();
    }
    return ok(txn);
  }

  /**
   * The Produce path's check of a transactional batch: its producer must hold the id's current
   * epoch, with the partition added to an ongoing transaction (Kafka's KIP-890 verification).
   * `implicitAdd` (Produce v12, KIP-890 part 2): the batch itself adds the partition, starting
   * a transaction when none is ongoing.
   */
  verifyProduce(req: {
    transactionalId: string | null; producerId: number; producerEpoch: number; topic: string; partition: number; implicitAdd?: boolean;
  }): number {
    const txn = req.transactionalId === null ? this.byProducer.get(req.producerId) : this.txns.get(req.transactionalId);
    if (!txn || txn.producerId !== req.producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (req.producerEpoch !== txn.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    const key = tpKey(req.topic, req.partition);
    if (req.implicitAdd && !(txn.state === 'Ongoing' && txn.partitions.has(key))) {
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return ErrorCode.CONCURRENT_TRANSACTIONS;
      if (txn.state === 'Dead') return ErrorCode.INVALID_TXN_STATE;
      this.begin(txn);
      txn.partitions.set(key, { topic: req.topic, partition: req.partition });
      this.save();
    }
    if (txn.state !== 'Ongoing' || !txn.partitions.has(key)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** Aborts transactions past their timeout (fencing their producer) and forgets idle ids; returns the aborted count. */
  expire(now = this.now()): number {
    let aborted = 0;
    for (const txn of [...this.txns.values()]) {
      if (txn.state === 'Ongoing' && now > txn.startedAt + txn.timeoutMs) {
        this.abortFenced(txn);
        aborted++;
      } else if (['Empty', 'CompleteCommit', 'CompleteAbort'].includes(txn.state) && now > txn.lastUpdate + this.idExpirationMs) {
        this.transition(txn, 'Dead');
        this.txns.delete(txn.transactionalId);
        this.byProducer.delete(txn.producerId);
      } else {
        continue;
      }
      this.save();
    }
    return aborted;
  }

  describe(transactionalId: string): TransactionSnapshot | undefined {
    const t = this.txns.get(transactionalId);
    if (!t) return undefined;
    return {
      transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch, timeoutMs: t.timeoutMs, state: t.state,
      partitions: [...t.partitions.values()], groups: [...t.pendingOffsets.keys()],
    };
  }

  /** The id's metadata when the request's producer id and epoch are current (Kafka's checks, in its order). */
  private identify(req: TxnIdentity): { txn?: TransactionMetadata; errorCode: number } {
    const txn = this.txns.get(req.transactionalId);
    if (!txn || txn.producerId !== req.producerId) return { errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING };
    if (req.producerEpoch !== txn.producerEpoch) return { errorCode: ErrorCode.PRODUCER_FENCED };
    return { txn, errorCode: ErrorCode.NONE };
  }

  /** As identify, and the transaction may take new partitions or offsets now. */
  private current(req: TxnIdentity): { txn?: TransactionMetadata; errorCode: number } {
    const found = this.identify(req);
    if (found.txn && (found.txn.state === 'PrepareCommit' || found.txn.state === 'PrepareAbort')) {
      return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
    }
    return found;
  }

  private begin(txn: TransactionMetadata): void {
    const now = this.now();
    if (txn.state !== 'Ongoing') {
      txn.startedAt = now;
      txn.partitions.clear();
      txn.pendingOffsets.clear();
    }
    this.transition(txn, 'Ongoing');
    txn.lastUpdate = now;
  }

  private bumpEpoch(txn: TransactionMetadata): void {
    if (txn.producerEpoch < MAX_EPOCH) {
      txn.producerEpoch++;
      return;
    }
    this.byProducer.delete(txn.producerId);
    txn.producerId = this.opts.allocateProducerId();
    txn.producerEpoch = 0;
    this.byProducer.set(txn.producerId, txn);
  }

  /** Aborts an ongoing transaction under a bumped epoch (new producer instance, timeout). */
  private abortFenced(txn: TransactionMetadata): void {
    // The markers must carry the new epoch; a new producer id would leave the old one unfenced.
    if (txn.producerEpoch < MAX_EPOCH) txn.producerEpoch++;
    this.transition(txn, 'PrepareAbort');
    this.save();
    void this.complete(txn);
  }

  /** Writes the markers, publishes a commit's offsets, and completes the transaction. */
  private async complete(txn: TransactionMetadata): Promise<void> {
    const commit = txn.state === 'PrepareCommit';
    this.writeMarkers(txn, txn.partitions.values(), commit);
    const offsets = commit ? [...txn.pendingOffsets].map(([groupId, m]) => ({ groupId, offsets: [...m.values()] })) : [];
    this.transition(txn, commit ? 'CompleteCommit' : 'CompleteAbort');
    txn.partitions = new Map();
    txn.pendingOffsets = new Map();
    txn.startedAt = -1;
    for (const g of offsets) {
      try {
        await this.opts.groups.commitTransactional(g.groupId, g.offsets);
      } catch (cause) {
        this.opts.onError?.(`committing transaction ${txn.transactionalId}'s offsets for group ${g.groupId} failed`, cause);
      }
    }
    this.save();
  }

  private writeMarkers(txn: TransactionMetadata, partitions: Iterable<TopicPartition>, commit: boolean): void {
    const timestamp = this.now();
    let wrote = false;
    for (const tp of partitions) {
      const log = this.opts.topics.get(tp.topic)?.partitions[tp.partition];
      if (!log) continue; // deleted meanwhile
      log.appendMarker({ producerId: txn.producerId, producerEpoch: txn.producerEpoch, commit, coordinatorEpoch: COORDINATOR_EPOCH, timestamp });
      wrote = true;
    }
    if (wrote) this.opts.topics.notify();
  }

  /**
   * After a restart: a prepared transaction is completed as decided, an ongoing one aborted
   * (fencing its producer), and any partition still holding an open transaction that no
   * ongoing transaction claims (its metadata was never saved) gets an abort marker.
   */
  private recover(): void {
    for (const txn of this.txns.values()) {
      if (txn.state === 'Ongoing') this.abortFenced(txn);
      else if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') void this.complete(txn);
    }
    for (const topic of this.opts.topics.list()) {
      for (const log of topic.partitions) {
        for (const producerId of log.txns.openProducers()) {
          const epoch = log.producerEpoch(producerId) ?? 0;
          log.appendMarker({ producerId, producerEpoch: epoch, commit: false, coordinatorEpoch: COORDINATOR_EPOCH, timestamp: this.now() });
        }
      }
    }
  }

  private transition(txn: TransactionMetadata, to: TxnStateName): void {
    if (!VALID_PREVIOUS[to].includes(txn.state)) {
      throw new IllegalTxnTransitionError(`transaction ${txn.transactionalId}: ${txn.state} -> ${to} is not a valid transition`);
    }
    txn.state = to;
    txn.lastUpdate = this.now();
  }

  private put(txn: TransactionMetadata): void {
    this.txns.set(txn.transactionalId, txn);
    this.byProducer.set(txn.producerId, txn);
  }

  private save(): void {
    this.opts.store.save([...this.txns.values()].map(toRecord));
  }
}

function fromRecord(r: TxnRecord): TransactionMetadata {
  return {
    transactionalId: r.transactionalId, producerId: r.producerId, producerEpoch: r.producerEpoch, timeoutMs: r.timeoutMs,
    state: r.state,
    partitions: new Map(r.partitions.map((p) => [tpKey(p.topic, p.partition), p])),
    pendingOffsets: new Map(r.pendingOffsets.map((g) => [g.groupId, new Map(g.offsets.map((o) => [tpKey(o.topic, o.partition), o]))])),
    startedAt: r.startedAt, lastUpdate: r.lastUpdate,
  };
}
