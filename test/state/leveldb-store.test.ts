import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stores, type KeyValueBytesStore } from '../../lib/index.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';
import { RecordingContext, tempDir, text, utf8 } from './fake-context.ts';

keyValueStoreContract({ name: 'LevelDB', persistent: true, create: (name) => Stores.persistentKeyValueStore(name).get() });

// What is particular to the LevelDB store: its directory, its cache and its write buffer.

async function withStore(
  options: { cacheEntries?: number },
  body: (store: KeyValueBytesStore, reopen: () => Promise<KeyValueBytesStore>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const context = new RecordingContext(dir.path);
  const opened: KeyValueBytesStore[] = [];
  const open = async () => {
    const store = Stores.persistentKeyValueStore('counts', options).get();
    await store.init(context);
    opened.push(store);
    return store;
  };
  try {
    await body(await open(), open, dir.path);
  } finally {
    for (const s of opened) if (s.isOpen) await s.close();
    dir.remove();
  }
}

test('the database lives in <stateDir>/<storeName>', () =>
  withStore({}, async (store, _reopen, dir) => {
    store.put(utf8('a'), utf8('1'));
    await store.flush();
    assert.ok(existsSync(join(dir, 'counts', 'CURRENT')), 'a LevelDB directory named after the store');
  }));

test('values beyond the cache capacity are read back from LevelDB', () =>
  withStore({ cacheEntries: 2 }, async (store, reopen) => {
    for (let i = 0; i < 50; i++) store.put(utf8(`k${i}`), utf8(`v${i}`));
    await store.close();
    const again = await reopen();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 50; i++) assert.is(text(again.get(utf8(`k${i}`))), `v${i}`);
    }
  }));

test('a cached value is replaced by a later put and dropped by a delete', () =>
  withStore({}, async (store) => {
    store.put(utf8('a'), utf8('1'));
    await store.flush();
    assert.is(text(store.get(utf8('a'))), '1');
    store.put(utf8('a'), utf8('2'));
    assert.is(text(store.get(utf8('a'))), '2');
    await store.flush();
    store.delete(utf8('a'));
    assert.is(store.get(utf8('a')), undefined);
  }));

test('writes made while a flush is in progress are kept, and reads meanwhile see the flushing values', () =>
  withStore({}, async (store, reopen) => {
    for (let i = 0; i < 100; i++) store.put(utf8(`k${i}`), utf8('first'));
    const flushing = store.flush();
    assert.is(text(store.get(utf8('k7'))), 'first');
    store.put(utf8('k7'), utf8('second'));
    store.put(utf8('new'), utf8('second'));
    const second = store.flush();
    await Promise.all([flushing, second]);
    await store.close();
    const again = await reopen();
    assert.is(text(again.get(utf8('k7'))), 'second');
    assert.is(text(again.get(utf8('k8'))), 'first');
    assert.is(text(again.get(utf8('new'))), 'second');
    assert.is(again.approximateNumEntries(), 101);
  }));

test('the key index loaded at init answers range scans in byte order after reopen', () =>
  withStore({}, async (store, reopen) => {
    const keys = Array.from({ length: 300 }, (_, i) => new Uint8Array([(i * 7) % 256, i >> 8]));
    for (const k of keys) store.put(k, k);
    await store.close();
    const again = await reopen();
    const scanned = [...again.all()].map(({ key }) => Buffer.from(key).toString('hex'));
    const expected = keys.map((k) => Buffer.from(k).toString('hex')).sort(); // hex strings sort as unsigned bytes
    assert.equal(scanned, expected);
  }));

test('a second store over the same directory cannot open while the first holds it', () =>
  withStore({}, async (_store, reopen) => {
    await reopen().then(
      () => assert.unreachable('two stores opened the same LevelDB directory'),
      (err: unknown) => assert.instance(err, Error),
    );
  }));

test.run();
