// Kafka Streams deletes what its repartition topics hold below the committed offsets: nothing
// reads those records again (the topics are internal), so they need not wait for retention.
// Done after commits, at most every `repartition.purge.interval.ms`, with one DeleteRecords.
import type { Admin } from 'kafkajs';

export interface RepartitionPurgeOptions {
  readonly admin: Admin;
  /** The repartition topics this instance reads. */
  readonly topics: ReadonlySet<string>;
  readonly intervalMs: number;
  readonly log: (message: string) => void;
}

export class RepartitionPurger {
  /** topic → partition → the committed offset not purged yet. */
  readonly #pending = new Map<string, Map<number, number>>();
  #lastPurge = Date.now();
  #running: Promise<void> | undefined;

  constructor(private readonly options: RepartitionPurgeOptions) {}

  /** A commit of `topic`'s `partition` up to (not including) `nextOffset`; purges if one is due. */
  committed(topic: string, partition: number, nextOffset: number): void {
    if (!this.options.topics.has(topic)) return;
    let partitions = this.#pending.get(topic);
    if (!partitions) this.#pending.set(topic, (partitions = new Map()));
    partitions.set(partition, Math.max(partitions.get(partition) ?? 0, nextOffset));
    this.tick();
  }

  /** Purges what commits left pending once the interval is over (an idle task commits no more). */
  tick(): void {
    if (this.#running || this.#pending.size === 0 || Date.now() - this.#lastPurge < this.options.intervalMs) return;
    this.#running = this.#purge().finally(() => { this.#running = undefined; });
  }

  /** Waits for a purge under way (close waits, so that the admin client is not gone under it). */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #purge(): Promise<void> {
    this.#lastPurge = Date.now();
    const work = [...this.#pending].map(([topic, partitions]) => ({ topic, partitions: [...partitions].map(([partition, offset]) => ({ partition, offset: String(offset) })) }));
    this.#pending.clear();
    for (const { topic, partitions } of work) {
      try {
        await this.options.admin.deleteTopicRecords({ topic, partitions });
      } catch (err) {
        // Not fatal: the next commit's purge deletes up to a later offset anyway.
        this.options.log(`purging ${topic} below the committed offsets failed: ${String(err)}`);
      }
    }
  }
}
