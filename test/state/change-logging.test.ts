import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Stores, type KeyValueBytesStore } from '../../lib/index.ts';
import { changeLogging } from '../../lib/state/change-logging.ts';
import { RecordingContext, tempDir, text, utf8 } from './fake-context.ts';

interface Ctx {
  dir: { path: string; remove(): void };
  context: RecordingContext;
  inner: KeyValueBytesStore;
  store: KeyValueBytesStore;
}

const test = suite<Ctx>('changeLogging');

test.before.each(async (ctx) => {
  ctx.dir = tempDir();
  ctx.context = new RecordingContext(ctx.dir.path);
  ctx.inner = Stores.inMemoryKeyValueStore('counts').get();
  ctx.store = changeLogging(ctx.inner);
  await ctx.store.init(ctx.context);
});

test.after.each(async (ctx) => {
  if (ctx.store.isOpen) await ctx.store.close();
  ctx.dir.remove();
});

const changes = (ctx: Ctx) => ctx.context.logged.map((c) => `${c.storeName}:${text(c.key)}=${c.value === null ? 'null' : text(c.value)}`);

test('nothing is logged before flush', ({ store, context }) => {
  store.put(utf8('a'), utf8('1'));
  store.delete(utf8('a'));
  assert.equal(context.logged, []);
});

test('at flush each changed key is logged once with its latest value', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  ctx.store.put(utf8('b'), utf8('1'));
  ctx.store.put(utf8('a'), utf8('2'));
  await ctx.store.flush();
  assert.equal(changes(ctx), ['counts:a=2', 'counts:b=1']);
});

test('a deleted key is logged as a tombstone (null)', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  await ctx.store.flush();
  ctx.store.delete(utf8('a'));
  await ctx.store.flush();
  assert.equal(changes(ctx), ['counts:a=1', 'counts:a=null']);
});

test('putAll and putIfAbsent are logged; a putIfAbsent that finds a value is not', async (ctx) => {
  ctx.store.put(utf8('kept'), utf8('old'));
  await ctx.store.flush();
  ctx.context.logged.length = 0;
  ctx.store.putAll([{ key: utf8('x'), value: utf8('1') }, { key: utf8('y'), value: utf8('2') }]);
  ctx.store.putIfAbsent(utf8('kept'), utf8('new'));
  ctx.store.putIfAbsent(utf8('z'), utf8('3'));
  await ctx.store.flush();
  assert.equal(changes(ctx), ['counts:x=1', 'counts:y=2', 'counts:z=3']);
});

test('a second flush without writes logs nothing more', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  await ctx.store.flush();
  await ctx.store.flush();
  assert.is(ctx.context.logged.length, 1);
});

test('a change carries the timestamp of the record that made it last', async (ctx) => {
  ctx.context.now = 100;
  ctx.store.put(utf8('a'), utf8('1'));
  ctx.context.now = 250;
  ctx.store.put(utf8('a'), utf8('2'));
  ctx.context.now = 999;
  await ctx.store.flush();
  assert.is(ctx.context.logged[0]?.timestamp, 250);
});

test('the logged key is a copy, safe from a caller reusing its buffer', async (ctx) => {
  const key = utf8('a');
  ctx.store.put(key, utf8('1'));
  key[0] = 0x62;
  await ctx.store.flush();
  assert.equal(changes(ctx), ['counts:a=1']);
});

test('init registers the store for restoration', ({ store, context }) => {
  assert.is(context.registered.length, 1);
  assert.is(context.registered[0]?.store, store);
});

test('restore writes straight into the inner store and logs nothing', async (ctx) => {
  const restore = ctx.context.registered[0]!.callback;
  ctx.inner.put(utf8('gone'), utf8('x'));
  restore.restoreBatch([
    { key: utf8('a'), value: utf8('1') },
    { key: utf8('b'), value: utf8('1') },
    { key: utf8('a'), value: utf8('2') },
    { key: utf8('gone'), value: null },
  ]);
  await ctx.store.flush();
  assert.equal(ctx.context.logged, []);
  assert.equal([...ctx.store.all()].map(({ key, value }) => `${text(key)}=${text(value)}`), ['a=2', 'b=1']);
});

test('close logs the changes not yet flushed', async (ctx) => {
  ctx.store.put(utf8('a'), utf8('1'));
  await ctx.store.close();
  assert.equal(changes(ctx), ['counts:a=1']);
  assert.is(ctx.store.isOpen, false);
});

test.run();
