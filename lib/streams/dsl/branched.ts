import type { ProcessorContext } from '../api/processor.ts';
import type { KStream } from './kstream.ts';
import { processor } from './internal.ts';
import { KStream as Stream } from './kstream.ts';

/** A branch of `split()`: its name (appended to the split's name) and what to do with it. */
export interface Branched<K, V> {
  readonly name?: string;
  /** Continues the branch; what it returns (if a stream) is the branch's entry in the result map. */
  readonly chain?: (branch: KStream<K, V>) => KStream<K, V> | void;
}

interface Branch<K, V> {
  readonly child: string;
  readonly predicate: (key: K, value: V) => boolean;
}

/**
 * The branches of a split stream (Kafka Streams' `BranchedKStream`): a record goes to the first
 * branch whose predicate holds, else to the default branch, else nowhere.
 */
export class BranchedKStream<K, V> {
  readonly #branches: Branch<K, V>[] = [];
  readonly #result = new Map<string, KStream<K, V>>();
  #done = false;

  constructor(private readonly parent: KStream<K, V>, private readonly splitter: string, private readonly prefix: string) {
    const branches = this.#branches;
    parent.dsl.topology.addProcessor(splitter, processor<K, V, K, V>((ctx: ProcessorContext<K, V>) => (r) => {
      const branch = branches.find((b) => b.predicate(r.key, r.value));
      if (branch) ctx.forward(r, branch.child);
    }), parent.nodeName);
  }

  branch(predicate: (key: K, value: V) => boolean, branched: Branched<K, V> = {}): this {
    this.#add(predicate, branched);
    return this;
  }

  defaultBranch(branched: Branched<K, V> = {}): Map<string, KStream<K, V>> {
    this.#add(() => true, branched);
    return this.noDefaultBranch();
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    this.#done = true;
    return this.#result;
  }

  #add(predicate: (key: K, value: V) => boolean, branched: Branched<K, V>): void {
    if (this.#done) throw new TypeError('This split is finished: add branches before defaultBranch()/noDefaultBranch()');
    const child = `${this.prefix}${branched.name ?? String(this.#branches.length + 1)}`;
    this.parent.dsl.topology.addProcessor(child, processor<K, V, K, V>((ctx) => (r) => ctx.forward(r)), this.splitter);
    this.#branches.push({ child, predicate });
    const stream = new Stream<K, V>(this.parent.dsl, child, this.parent.serdes, this.parent.repartitionRequired);
    const chained = branched.chain ? branched.chain(stream) : stream;
    if (chained) this.#result.set(child, chained);
  }
}
