// One stream thread (a worker): the single-thread runtime, one member of the group with its
// own kafkajs clients, its tasks and its copy of the global stores, reporting to the instance.
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { KafkaStreams } from '../kafka-streams.ts';
import { topologyDefinition } from '../../streams/topology.ts';
import { compileTopology } from '../../streams/internal/compile.ts';
import { Serdes } from '../../streams/serdes.ts';
import type { Serde } from '../../streams/api/serde.ts';
import { readPage } from '../../query/pages.ts';
import { loadTopology, type LoadedThreadTopology } from './factory.ts';
import { takeSnapshot } from './published.ts';
import { toWire, type PageOp, type StoreOp, type ThreadMessage, type ThreadReport, type ThreadRequest, type ThreadStartData } from './protocol.ts';

const REPORT_EVERY_MS = 250;

const port = parentPort!;
const data = workerData as ThreadStartData;
const post = (message: ThreadMessage) => port.postMessage(message);

let loaded: LoadedThreadTopology;
let streams: KafkaStreams;
try {
  loaded = await loadTopology(data.module, { threadIndex: data.threadIndex });
  const base = data.config;
  streams = new KafkaStreams(loaded.topology, {
    ...base, ...loaded.handlers,
    numStreamThreads: 1,
    clientId: `${base.clientId ?? base.applicationId}-thread-${data.threadIndex}`,
    // A directory per thread: see the comment on ThreadedStreams for why state is not shared.
    stateDir: join(base.stateDir!, `thread-${data.threadIndex}`),
    closeOnSignals: false,
  });
} catch (err) {
  post({ type: 'start-failed', error: toWire(err) });
  throw err;
}

const compiled = compileTopology(topologyDefinition(loaded.topology));
const storeSubtopologies: { [store: string]: number } = {};
for (const sub of compiled.subtopologies) for (const s of sub.storeNames) storeSubtopologies[s] = sub.id;
const globalStores = compiled.globalStores.map((g) => g.builder.name);
const keySerdes = new Map<string, Serde<unknown>>();
for (const [name, store] of compiled.definition.stores) keySerdes.set(name, keySerdeOf(store.builder));
for (const g of compiled.globalStores) keySerdes.set(g.builder.name, keySerdeOf(g.builder));

function keySerdeOf(builder: unknown): Serde<unknown> {
  const serde = (builder as { keySerde?: Serde<unknown> }).keySerde;
  return serde ?? (Serdes.String() as Serde<unknown>);
}

function report(): ThreadReport {
  return {
    state: streams.state, metrics: streams.metrics(), metadata: streams.allMetadata(),
    connection: streams.brokerConnection(), storeSubtopologies, globalStores,
  };
}

const sendReport = () => post({ type: 'report', report: report(), ...(streams.error ? { error: toWire(streams.error) } : {}) });
streams.onStateChange(() => { sendReport(); schedulePublish(); });
// With each report, published stores go out too: a global store (models) changes without any task committing.
const timer = setInterval(() => { sendReport(); schedulePublish(); }, REPORT_EVERY_MS);

// Published stores go out after a commit, at most once per commit interval, from a timer
// rather than inside the commit: the instance's copy of a task's store is at most one interval
// behind its last commit (a global store's, one report interval).
const publishEveryMs = data.config.commitIntervalMs ?? 100;
let lastPublished = 0;
let publishTimer: NodeJS.Timeout | undefined;
function schedulePublish(): void {
  if (loaded.published.length === 0 || publishTimer) return;
  publishTimer = setTimeout(() => {
    publishTimer = undefined;
    lastPublished = Date.now();
    try {
      post({ type: 'published', snapshot: takeSnapshot(streams, loaded.published) });
    } catch (err) {
      console.error(`[modelstream] stream thread ${data.threadIndex}: publishing its stores failed: ${String(err)}`);
    }
  }, Math.max(0, lastPublished + publishEveryMs - Date.now()));
}
streams.onCommit(schedulePublish);

function storeOp(store: string, op: StoreOp): unknown {
  switch (op.kind) {
    case 'windowFetch': return streams.store<unknown, unknown>(store, 'window').fetchRange(op.key, op.from, op.to);
    case 'windowFetchAll': return streams.store<unknown, unknown>(store, 'window').fetchAll(op.from, op.to);
    case 'sessionFetch': return streams.store<unknown, unknown>(store, 'session').fetch(op.key);
    case 'sessionAll': return streams.store<unknown, unknown>(store, 'session').all();
  }
  const view = streams.store<unknown, unknown>(store);
  switch (op.kind) {
    case 'get': return view.get(op.key);
    case 'range': return [...view.range(op.from, op.to)];
    case 'all': return [...view.all()];
    case 'approximateNumEntries': return view.approximateNumEntries();
  }
}

function pageOp(store: string, page: PageOp): unknown {
  return readPage(streams.store<unknown, unknown>(store), keySerdes.get(store) ?? (Serdes.String() as Serde<unknown>), page);
}

async function handle(request: ThreadRequest): Promise<unknown> {
  switch (request.type) {
    case 'store': return storeOp(request.store, request.op);
    case 'page': return pageOp(request.store, request.page);
    case 'query': {
      const query = loaded.queries[request.name];
      if (!query) throw new Error(`the topology module defines no thread query "${request.name}"`);
      return await query(streams, request.args);
    }
    case 'close':
      await streams.close();
      clearInterval(timer);
      clearTimeout(publishTimer);
      sendReport();
      return undefined;
  }
}

let go: () => void;
const released = new Promise<void>((resolve) => { go = resolve; });

port.on('message', (request: ThreadRequest) => {
  if (request.type === 'go') return go();
  // A report first: what a reply shows (a store's contents) is never newer than the instance's metrics.
  handle(request).then(
    (value) => { sendReport(); post({ type: 'reply', id: request.id, ok: true, value }); },
    (err: unknown) => { sendReport(); post({ type: 'reply', id: request.id, ok: false, error: toWire(err) }); },
  );
});

// Threads that join the group at different times cost a rebalance each: wait for the others.
post({ type: 'loaded' });
await released;
// A failed start leaves the state ERROR with its cause: the report carries it to the instance.
await streams.start().catch(() => sendReport());
