// The custom file store of topologies/store: the shared contract, then its log file's own
// behaviour (crash recovery, compaction) and its use through the public builder.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores } from '../../lib/index.ts';
import { fileStore, type FileKeyValueStore, type FileStoreOptions } from '../../topologies/store/file-store.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';
import { RecordingContext, tempDir, text, utf8 } from './fake-context.ts';

keyValueStoreContract({ name: 'file store', persistent: true, create: (name) => fileStore(name).get() });

async function withStore(
  options: FileStoreOptions,
  body: (store: FileKeyValueStore, reopen: () => Promise<FileKeyValueStore>, logPath: string) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const context = new RecordingContext(dir.path);
  const opened: FileKeyValueStore[] = [];
  const open = async () => {
    const store = fileStore('counts', options).get();
    await store.init(context);
    opened.push(store);
    return store;
  };
  try {
    await body(await open(), open, join(dir.path, 'counts', 'data.log'));
  } finally {
    for (const s of opened) if (s.isOpen) await s.close();
    dir.remove();
  }
}

const contents = (store: FileKeyValueStore) => [...store.all()].map(({ key, value }) => `${text(key)}=${text(value)}`);

test('a torn last entry after a crash is cut off and the entries before it are kept', () =>
  withStore({}, async (store, reopen, logPath) => {
    store.put(utf8('a'), utf8('1'));
    store.put(utf8('b'), utf8('2'));
    await store.close();
    const goodSize = statSync(logPath).size;
    // Half of an entry, as a crash mid-write leaves it: a length that promises more than follows.
    appendFileSync(logPath, Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 1, 0]));

    const again = await reopen();
    assert.equal(contents(again), ['a=1', 'b=2']);
    assert.equal(again.recovery, { kind: 'truncated', validBytes: goodSize, droppedBytes: 10 });
    assert.is(statSync(logPath).size, goodSize);
  }));

test('a last entry whose checksum does not match is dropped', () =>
  withStore({}, async (store, reopen, logPath) => {
    store.put(utf8('a'), utf8('1'));
    await store.flush();
    const firstSize = statSync(logPath).size;
    store.put(utf8('b'), utf8('2'));
    await store.close();
    const log = readFileSync(logPath);
    log.writeUInt8(log.readUInt8(log.length - 1) ^ 0xff, log.length - 1); // flip the last entry's value byte
    writeFileSync(logPath, log);

    const again = await reopen();
    assert.equal(contents(again), ['a=1']);
    assert.is(statSync(logPath).size, firstSize);
  }));

test('writes after a recovery are appended to the good prefix and survive another reopen', () =>
  withStore({}, async (store, reopen, logPath) => {
    store.put(utf8('a'), utf8('1'));
    await store.close();
    appendFileSync(logPath, Buffer.from([0xde, 0xad]));
    const recovered = await reopen();
    recovered.put(utf8('b'), utf8('2'));
    await recovered.close();
    const again = await reopen();
    assert.equal(again.recovery, { kind: 'clean' });
    assert.equal(contents(again), ['a=1', 'b=2']);
  }));

test('a clean file reports a clean recovery', () =>
  withStore({}, async (store, reopen) => {
    store.put(utf8('a'), utf8('1'));
    await store.close();
    assert.equal((await reopen()).recovery, { kind: 'clean' });
  }));

test('the log is compacted once dead entries outnumber live ones by the ratio, and data is intact', () =>
  withStore({ compactionRatio: 2, minDeadEntries: 10 }, async (store, reopen, logPath) => {
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 5; k++) store.put(utf8(`k${k}`), utf8(`r${round}`));
      await store.flush();
      // after each flush: not (dead >= minDeadEntries and dead > ratio x live)
      const dead = store.fileEntries - 5;
      assert.ok(dead < 10 || dead <= 2 * 5, `file holds ${dead} dead entries`);
    }
    const sizeAfter = statSync(logPath).size;
    await store.close();
    const again = await reopen();
    assert.equal(contents(again), [0, 1, 2, 3, 4].map((k) => `k${k}=r19`));
    assert.ok(again.fileEntries < 20 * 5, `compacted: ${again.fileEntries} of ${20 * 5} entries written`);
    assert.is(statSync(logPath).size, sizeAfter);
  }));

test('below the minimum of dead entries the log is not compacted', () =>
  withStore({ compactionRatio: 1, minDeadEntries: 1000 }, async (store) => {
    for (let round = 0; round < 10; round++) {
      store.put(utf8('k'), utf8(`r${round}`));
      await store.flush();
    }
    assert.is(store.fileEntries, 10);
  }));

test('a partial copy left by a crash during compaction is discarded', () =>
  withStore({}, async (store, reopen, logPath) => {
    store.put(utf8('a'), utf8('1'));
    await store.close();
    writeFileSync(`${logPath}.compacting`, Buffer.from([1, 2, 3]));
    const again = await reopen();
    assert.equal(contents(again), ['a=1']);
    assert.throws(() => statSync(`${logPath}.compacting`), /ENOENT/);
  }));

test('the file store plugs into Stores.keyValueStoreBuilder with serdes and change logging', async () => {
  const dir = tempDir();
  const context = new RecordingContext(dir.path);
  try {
    const builder = Stores.keyValueStoreBuilder(fileStore('words'), Serdes.String(), Serdes.Int32());
    const store = builder.build();
    await store.init(context);
    store.put('hello', 2);
    await store.close();
    assert.is(context.logged.length, 1);
    const reopened = builder.build();
    await reopened.init(context);
    assert.is(reopened.get('hello'), 2);
    await reopened.close();
  } finally {
    dir.remove();
  }
});

test('the file store imports nothing of modelstream but its public API', () => {
  const source = readFileSync(new URL('../../topologies/store/file-store.ts', import.meta.url), 'utf8');
  const specifiers = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
  assert.ok(specifiers.includes('../../lib/index.ts'));
  assert.equal(specifiers.filter((s) => !s.startsWith('node:') && s !== '../../lib/index.ts'), []);
});

test.run();
