// A word count on a TopologyTestDriver behind the interactive-query app: "counts" (word → count,
// string keys, the defaults) and "lengths" (word length → words of it, Int32 keys, a custom codec).
import { Record, Serdes, Stores, Topology, type HostInfo, type KeyValueStore, type ProcessorContext } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { createQueryApp, driverInstance, storeCodec, type QueryAppOptions, type QueryableInstance } from '../../lib/query/index.ts';

const S = Serdes.String();
const I = Serdes.Int32();

function counter(store: string, keyOf: (word: string) => string | number) {
  return () => {
    let counts: KeyValueStore<string | number, number>;
    return {
      init(c: ProcessorContext<never, never>) { counts = c.getStateStore(store); },
      process(r: Record<string, string>) {
        const key = keyOf(r.key);
        counts.put(key, (counts.get(key) ?? 0) + 1);
      },
    };
  };
}

export function wordCountTopology(): Topology {
  return new Topology()
    .addSource('lines', { topics: ['text'], keySerde: S, valueSerde: S })
    .addProcessor('split', () => {
      let ctx: ProcessorContext<string, string>;
      return {
        init: (c: ProcessorContext<string, string>) => { ctx = c; },
        process: (r: Record<string, string>) => {
          for (const w of r.value.toLowerCase().split(/\W+/).filter(Boolean)) ctx.forward(new Record(w, w, r.timestamp));
        },
      };
    }, 'lines')
    .addProcessor('count', counter('counts', (w) => w), 'split')
    .addProcessor('by-length', counter('lengths', (w) => w.length), 'split')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), S, I), 'count')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('lengths'), I, I), 'by-length');
}

/** The words piped by `startWordCount`: "the" 3 times, "fox" twice, and `extraWords` words w000… once. */
export const FIXED_COUNTS: ReadonlyMap<string, number> = new Map([
  ['the', 3], ['quick', 1], ['brown', 1], ['fox', 2], ['lazy', 1], ['dog', 1], ['and', 1],
]);

export function extraWord(i: number): string {
  return `w${String(i).padStart(3, '0')}`;
}

export interface WordCountOptions {
  /** Lines piped in (default: the README's two lines, "the" 3 times, "fox" twice…). */
  readonly lines?: readonly string[];
  /** Words w000, w001, … piped once each after the lines. */
  readonly extraWords?: number;
  /** The address the instance claims (default localhost:0). */
  readonly host?: HostInfo;
  /** Wraps the driver's instance (to change who owns which key). */
  readonly wrap?: (instance: QueryableInstance) => QueryableInstance;
  readonly app?: Partial<QueryAppOptions>;
}

export async function startWordCount(options: WordCountOptions = {}) {
  const topology = wordCountTopology();
  const driver = new TopologyTestDriver(topology, { applicationId: 'word-count' });
  const input = driver.createInputTopic('text', S, S);
  const lines = options.lines ?? ['the quick brown fox', 'The lazy dog and the fox'];
  for (const [i, line] of lines.entries()) await input.pipeInput(`l${i}`, line);
  const extra = Array.from({ length: options.extraWords ?? 0 }, (_, i) => extraWord(i));
  for (let i = 0; i < extra.length; i += 50) await input.pipeInput(`x${i}`, extra.slice(i, i + 50).join(' '));
  const instance = driverInstance(driver, { topology, ...(options.host ? { host: options.host } : {}) });
  const { app, registry } = createQueryApp({
    instance: options.wrap ? options.wrap(instance) : instance, self: instance.host,
    stores: {
      counts: true,
      lengths: storeCodec<number, number>({ keySerde: I, key: (text) => Number.parseInt(text, 10), value: (n) => ({ words: n }) }),
    },
    ...options.app,
  });
  const getJson = async (path: string, init?: RequestInit) => {
    const res = await app.request(path, init);
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  return { driver, instance, app, registry, getJson, close: () => driver.close() };
}
