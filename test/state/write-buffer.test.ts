// The write buffer under every persistent logged store: the store contract over two inner
// stores, then what it adds: writes reach the inner store (and its file) only at flush, a
// discard drops them, and the builder puts it where a crash could otherwise leak writes.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores, type CommitHooks, type KeyValueBytesStore, type KeyValueBytesStoreSupplier } from '../../lib/index.ts';
import { bufferedUntilCommit, type WriteBufferedKeyValueBytesStore } from '../../lib/state/write-buffer.ts';
import { fileStore } from '../../topologies/store/file-store.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';
import { RecordingContext, tempDir, text, utf8 } from './fake-context.ts';

// Not `persistent` to the contract: a close drops what no flush (commit) applied, so unflushed
// data does not survive a reopen by design (tested below with flushed data).
keyValueStoreContract({ name: 'write buffer over the file store', persistent: false, create: (name) => bufferedUntilCommit(fileStore(name).get()) });
keyValueStoreContract({ name: 'write buffer over the in-memory store', persistent: false, create: (name) => bufferedUntilCommit(Stores.inMemoryKeyValueStore(name).get()) });

/** A context that keeps the commit hooks stores register, as a task does. */
class HookedContext extends RecordingContext {
  readonly hooks: { storeName: string; hooks: CommitHooks }[] = [];
  registerCommitHooks(storeName: string, hooks: CommitHooks): void {
    this.hooks.push({ storeName, hooks });
  }
  beforeSend(): void { for (const { hooks } of this.hooks) hooks.beforeSend?.(); }
  discard(): void { for (const { hooks } of this.hooks) hooks.discard?.(); }
  pending(): boolean { return this.hooks.some(({ hooks }) => hooks.pending?.() ?? false); }
}

interface Ctx {
  dir: { path: string; remove(): void };
  context: HookedContext;
  inner: KeyValueBytesStore;
  store: WriteBufferedKeyValueBytesStore;
}

const test = suite<Ctx>('write buffer');

test.before.each(async (ctx) => {
  ctx.dir = tempDir();
  ctx.context = new HookedContext(ctx.dir.path);
  ctx.inner = fileStore('counts').get();
  ctx.store = bufferedUntilCommit(ctx.inner);
  await ctx.store.init(ctx.context);
});

test.after.each(async (ctx) => {
  if (ctx.store.isOpen) await ctx.store.close();
  ctx.dir.remove();
});

const logSize = (ctx: Ctx) => statSync(join(ctx.dir.path, 'counts', 'data.log')).size;
const contents = (store: KeyValueBytesStore) => [...store.all()].map(({ key, value }) => `${text(key)}=${text(value)}`);

test('puts and deletes are invisible to the inner store, and its file, until flush', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  ctx.store.put(utf8('b'), utf8('1'));
  await ctx.store.flush();
  const flushedSize = logSize(ctx);
  ctx.store.put(utf8('a'), utf8('2'));
  ctx.store.delete(utf8('b'));
  ctx.store.put(utf8('c'), utf8('1'));
  assert.equal(contents(ctx.store), ['a=2', 'c=1']);
  assert.equal(contents(ctx.inner), ['a=1', 'b=1']);
  assert.is(logSize(ctx), flushedSize, 'nothing appended before flush');
  await ctx.store.flush();
  assert.equal(contents(ctx.inner), ['a=2', 'c=1']);
  assert.ok(logSize(ctx) > flushedSize);
  assert.is(ctx.store.bufferedWrites, 0);
});

test('a discard drops every write since the last flush, and a later flush writes none of them', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  await ctx.store.flush();
  const flushedSize = logSize(ctx);
  ctx.store.put(utf8('a'), utf8('2'));
  ctx.store.delete(utf8('a'));
  ctx.store.put(utf8('z'), utf8('9'));
  ctx.context.discard();
  assert.equal(contents(ctx.store), ['a=1']);
  await ctx.store.flush();
  assert.equal(contents(ctx.inner), ['a=1']);
  assert.is(logSize(ctx), flushedSize);
});

test('close drops what is still buffered: a reopen over the same directory has only the flushed writes', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  await ctx.store.flush();
  ctx.store.put(utf8('a'), utf8('2'));
  ctx.store.put(utf8('big'), new Uint8Array(1000));
  await ctx.store.close();
  ctx.inner = fileStore('counts').get();
  ctx.store = bufferedUntilCommit(ctx.inner);
  await ctx.store.init(ctx.context);
  assert.equal(contents(ctx.store), ['a=1']);
});

test('range merges buffer and inner store in key order; a buffered delete hides the inner key', async (ctx) => {
  for (const k of ['b', 'd', 'f']) ctx.store.put(utf8(k), utf8('inner'));
  await ctx.store.flush();
  ctx.store.put(utf8('a'), utf8('buf'));
  ctx.store.put(utf8('d'), utf8('buf'));
  ctx.store.delete(utf8('f'));
  ctx.store.put(utf8('e'), utf8('buf'));
  assert.equal([...ctx.store.range(utf8('b'), utf8('f'))].map(({ key, value }) => `${text(key)}=${text(value)}`), ['b=inner', 'd=buf', 'e=buf']);
  assert.equal(contents(ctx.store), ['a=buf', 'b=inner', 'd=buf', 'e=buf']);
  assert.is(ctx.store.approximateNumEntries(), 4);
});

/** A supplier that lets the test look at the store it handed out, under every wrapper. */
function watched(supplier: KeyValueBytesStoreSupplier): { supplier: KeyValueBytesStoreSupplier; made: KeyValueBytesStore[] } {
  const made: KeyValueBytesStore[] = [];
  return { made, supplier: { name: supplier.name, get: () => { const s = supplier.get(); made.push(s); return s; } } };
}

const builder = suite<{ dir: { path: string; remove(): void }; context: HookedContext }>('Stores.keyValueStoreBuilder and the write buffer');
builder.before.each((ctx) => { ctx.dir = tempDir(); ctx.context = new HookedContext(ctx.dir.path); });
builder.after.each((ctx) => ctx.dir.remove());

builder('a logged persistent store: changes are logged before send, reach the inner store only at flush, and a discard drops them', async (ctx) => {
  const { supplier, made } = watched(fileStore('counts'));
  const store = Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Int32()).build();
  await store.init(ctx.context);
  try {
    const inner = made[0]!;
    store.put('x', 1);
    ctx.context.beforeSend();
    assert.equal(ctx.context.logged.map((c) => `${text(c.key)}=${Serdes.Int32().deserialize(c.value!)}`), ['x=1']);
    assert.is(inner.get(utf8('x')), undefined, 'logged, not yet in the local store');
    await store.flush();
    assert.is(Serdes.Int32().deserialize(inner.get(utf8('x'))!), 1);
    assert.is(ctx.context.logged.length, 1, 'flush logs nothing twice');
    store.put('x', 2);
    store.put('y', 1);
    ctx.context.discard();
    await store.flush();
    assert.is(store.get('x'), 1);
    assert.is(store.get('y'), undefined);
    assert.is(ctx.context.logged.length, 1, 'discarded changes are not logged either');
  } finally {
    await store.close();
  }
});

const watchedIn = watched(Stores.inMemoryKeyValueStore('mem'));
const watchedFile = watched(fileStore('plain'));

builder('an in-memory store, or a persistent one without a changelog, writes through', async (ctx) => {
  for (const [what, build] of [
    ['in-memory logged', () => Stores.keyValueStoreBuilder(watchedIn.supplier, Serdes.String(), Serdes.Int32()).build()],
    ['persistent unlogged', () => Stores.keyValueStoreBuilder(watchedFile.supplier, Serdes.String(), Serdes.Int32()).withLoggingDisabled().build()],
  ] as const) {
    const store = build();
    await store.init(ctx.context);
    store.put('x', 1);
    const inner = (what === 'in-memory logged' ? watchedIn : watchedFile).made.at(-1)!;
    assert.is(Serdes.Int32().deserialize(inner.get(utf8('x'))!), 1, what);
    await store.close();
  }
});
builder('restored changelog records reach the inner store batch by batch, past the write buffer', async (ctx) => {
  const { supplier, made } = watched(fileStore('counts'));
  const store = Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Int32()).build();
  await store.init(ctx.context);
  try {
    const { callback } = ctx.context.registered.at(-1)!;
    const inner = made.at(-1)!;
    const batch = (from: number) => Array.from({ length: 100 }, (_, i) => ({ key: utf8(`k${from + i}`), value: Serdes.Int32().serialize(from + i) }));
    callback.restoreBatch(batch(0));
    assert.is(inner.approximateNumEntries(), 100, 'the first batch is in the inner store before the restore ends');
    callback.restoreBatch([...batch(100), { key: utf8('k0'), value: null }]);
    assert.is(inner.approximateNumEntries(), 199);
    assert.is(inner.get(utf8('k0')), undefined, 'a restored tombstone deletes');
    assert.is(ctx.context.logged.length, 0, 'restored records are not logged again');
    assert.not.ok(ctx.context.pending(), 'nothing for a commit to carry');
  } finally {
    await store.close();
  }
});

builder('a write is pending for the commit hooks until the commit logs it, and a discard clears it', async (ctx) => {
  const store = Stores.keyValueStoreBuilder(fileStore('counts'), Serdes.String(), Serdes.Int32()).build();
  await store.init(ctx.context);
  try {
    assert.not.ok(ctx.context.pending());
    store.put('x', 1);
    assert.ok(ctx.context.pending(), 'after a put');
    ctx.context.beforeSend();
    assert.not.ok(ctx.context.pending(), 'after the commit logged it');
    store.delete('x');
    assert.ok(ctx.context.pending(), 'after a delete');
    ctx.context.discard();
    assert.not.ok(ctx.context.pending(), 'after a discard');
  } finally {
    await store.close();
  }
});
test.run();
builder.run();
