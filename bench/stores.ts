// Records/s of the key-value stores a topology can use (in-memory, LevelDB, the custom
// topology's file store): puts with a flush every 1000 as a task commit does, point gets in
// another order, one full scan, and a restore into a fresh logged store through the restore
// callback the runtime feeds from the changelog (batches of 1000, then a flush).
// 12-byte keys in a scrambled order, 100-byte values.
// Run: node --import tsx bench/stores.ts [--quick] [--ops N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Serdes, Stores, type KeyValueBytesStoreSupplier, type RestoreCallback, type StateStoreContext } from '../lib/index.ts';
import { fileStore } from '../topologies/store/file-store.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/stores.ts',
  summary: 'Records/s of the key-value stores (in-memory, LevelDB, the file store): puts with a flush every\n1000, point gets, one full scan, and a restore into a fresh logged store.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'accepted and ignored (no broker is used)' },
    ops: { type: 'string', value: 'count', description: 'keys put, got and restored', defaultText: '100000; 20000 with --quick' },
  },
  examples: ['node --import tsx bench/stores.ts --ops 50000'],
});
const OPS = Number(flags.ops ?? (flags.quick ? 20_000 : 100_000));
const FLUSH_EVERY = 1000;
const VALUE = new Uint8Array(100).fill(7);
// A multiplicative permutation of 0..OPS-1, so that neither puts nor gets come in key order.
const keys = Array.from({ length: OPS }, (_, i) => new TextEncoder().encode(`key-${String((i * 7919) % OPS).padStart(8, '0')}`));

function contextFor(stateDir: string, onRegister: (callback: RestoreCallback) => void = () => {}): StateStoreContext {
  return { applicationId: 'bench', taskId: '0_0', stateDir, register: (_store, callback) => onRegister(callback), logChange: () => {} };
}

interface Rates { readonly put: number; readonly get: number; readonly scan: number; readonly restore: number }
const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function bench(label: string, supplier: () => KeyValueBytesStoreSupplier): Promise<Rates> {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-bench-'));
  try {
    const store = supplier().get();
    await store.init(contextFor(join(dir, 'a')));
    let t = performance.now();
    for (let i = 0; i < OPS; i++) {
      store.put(keys[i]!, VALUE);
      if ((i + 1) % FLUSH_EVERY === 0) await store.flush();
    }
    await store.flush();
    const put = perSecond(OPS, performance.now() - t);
    t = performance.now();
    let found = 0;
    for (let i = 0; i < OPS; i++) if (store.get(keys[(i * 31) % OPS]!) !== undefined) found++;
    const get = perSecond(OPS, performance.now() - t);
    if (found !== OPS) throw new Error(`${label}: found ${found} of ${OPS} keys`);
    t = performance.now();
    let scanned = 0;
    for (const _ of store.all()) scanned++;
    const scan = perSecond(scanned, performance.now() - t);
    await store.close();

    // Restore: the logged store the builder makes, fed as the runtime feeds it.
    let callback: RestoreCallback | undefined;
    const logged = Stores.keyValueStoreBuilder(supplier(), Serdes.Bytes(), Serdes.Bytes()).build();
    await logged.init(contextFor(join(dir, 'b'), (c) => { callback = c; }));
    if (!callback) throw new Error(`${label}: the logged store registered no restore callback`);
    t = performance.now();
    for (let i = 0; i < OPS; i += 1000) callback.restoreBatch(keys.slice(i, i + 1000).map((key) => ({ key, value: VALUE })));
    await logged.flush();
    const restore = perSecond(OPS, performance.now() - t);
    const restored = [...logged.all()].length;
    await logged.close();
    if (restored !== OPS) throw new Error(`${label}: ${restored} of ${OPS} entries after the restore`);
    console.error(`[bench] ${label}: ${JSON.stringify({ put, get, scan, restore })}`);
    return { put, get, scan, restore };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const stores = { 'in-memory': () => Stores.inMemoryKeyValueStore('bench'), LevelDB: () => Stores.persistentKeyValueStore('bench'), 'file store': () => fileStore('bench') };
const figures: Figure[] = [];
for (const [label, supplier] of Object.entries(stores)) {
  const r = await bench(label, supplier);
  for (const op of ['put', 'get', 'scan', 'restore'] as const) {
    figures.push({ group: `store ${op}`, name: `${label}, ${OPS.toLocaleString('en-US')} records`, unit: 'rec/s', ours: r[op] });
  }
}
emitFigures(figures);
