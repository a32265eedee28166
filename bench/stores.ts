// Put/get throughput of the byte stores, flushing every 1000 puts as a task commit would.
// Run: node --import tsx bench/stores.ts [ops]   (default 100 000 ops per phase and store)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Stores, type KeyValueBytesStore, type StateStoreContext } from '../lib/index.ts';
import { fileStore } from '../topologies/store/file-store.ts';

const OPS = Number(process.argv[2] ?? 100_000);
const FLUSH_EVERY = 1000;
const VALUE = new Uint8Array(100).fill(7);

// Keys in a scrambled order (a multiplicative permutation of 0..OPS-1), 12 bytes each.
const keys = Array.from({ length: OPS }, (_, i) => new TextEncoder().encode(`key-${String((i * 7919) % OPS).padStart(8, '0')}`));

function contextFor(stateDir: string): StateStoreContext {
  return {
    applicationId: 'bench', taskId: '0_0', stateDir,
    register: () => {},
    logChange: () => {},
  };
}

const rate = (ops: number, ms: number) => Math.round((ops / ms) * 1000).toLocaleString('en-US');

async function bench(label: string, make: () => KeyValueBytesStore): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-bench-'));
  try {
    const store = make();
    await store.init(contextFor(dir));

    let started = performance.now();
    for (let i = 0; i < OPS; i++) {
      store.put(keys[i]!, VALUE);
      if ((i + 1) % FLUSH_EVERY === 0) await store.flush();
    }
    await store.flush();
    const putMs = performance.now() - started;

    started = performance.now();
    let found = 0;
    for (let i = 0; i < OPS; i++) if (store.get(keys[(i * 31) % OPS]!) !== undefined) found++;
    const getMs = performance.now() - started;
    if (found !== OPS) throw new Error(`${label}: found ${found} of ${OPS} keys`);

    started = performance.now();
    let scanned = 0;
    for (const _ of store.all()) scanned++;
    const scanMs = performance.now() - started;
    await store.close();

    console.log(`${label.padEnd(10)} put ${rate(OPS, putMs).padStart(11)} ops/s   get ${rate(OPS, getMs).padStart(11)} ops/s   scan ${rate(scanned, scanMs).padStart(11)} entries/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${OPS} puts (flush every ${FLUSH_EVERY}), ${OPS} gets, one full scan; 12-byte keys, 100-byte values`);
await bench('in-memory', () => Stores.inMemoryKeyValueStore('bench').get());
await bench('LevelDB', () => Stores.persistentKeyValueStore('bench').get());
await bench('file', () => fileStore('bench').get());
