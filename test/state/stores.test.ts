import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores, type KeyValueStore, type Serde } from '../../lib/index.ts';
import { RecordingContext, tempDir, text } from './fake-context.ts';

interface Ctx {
  dir: { path: string; remove(): void };
  context: RecordingContext;
  opened: KeyValueStore<unknown, unknown>[];
}

const test = suite<Ctx>('Stores.keyValueStoreBuilder');

test.before.each((ctx) => {
  ctx.dir = tempDir();
  ctx.context = new RecordingContext(ctx.dir.path);
  ctx.opened = [];
});

test.after.each(async (ctx) => {
  for (const store of ctx.opened) if (store.isOpen) await store.close();
  ctx.dir.remove();
});

async function initStore<K, V>(ctx: Ctx, store: KeyValueStore<K, V>): Promise<KeyValueStore<K, V>> {
  await store.init(ctx.context);
  ctx.opened.push(store as KeyValueStore<unknown, unknown>);
  return store;
}

const builder = () => Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), Serdes.String(), Serdes.Int32());

test('the builder takes the name of its supplier', () => {
  assert.is(builder().name, 'counts');
  assert.is(builder().build().name, 'counts');
});

test('logging is enabled by default, with a compacted changelog', () => {
  const b = builder();
  assert.is(b.loggingEnabled, true);
  assert.is(b.logConfig['cleanup.policy'], 'compact');
});

test('a store built with default settings logs its changes at flush, as serialized bytes', async (ctx) => {
  const store = await initStore(ctx, builder().build());
  store.put('word', 3);
  await store.flush();
  assert.is(ctx.context.logged.length, 1);
  const change = ctx.context.logged[0]!;
  assert.is(change.storeName, 'counts');
  assert.is(text(change.key), 'word');
  assert.is(Serdes.Int32().deserialize(change.value!), 3);
  assert.is(ctx.context.registered.length, 1);
});

test('withLoggingDisabled builds a store that neither logs nor registers for restore', async (ctx) => {
  const b = builder().withLoggingDisabled();
  assert.is(b.loggingEnabled, false);
  const store = await initStore(ctx, b.build());
  store.put('word', 3);
  await store.flush();
  assert.equal(ctx.context.logged, []);
  assert.equal(ctx.context.registered, []);
  assert.is(store.get('word'), 3);
});

test('withLoggingEnabled keeps the given topic configs and adds compaction', () => {
  const b = builder().withLoggingDisabled().withLoggingEnabled({ 'min.insync.replicas': '2' });
  assert.is(b.loggingEnabled, true);
  assert.equal({ ...b.logConfig }, { 'min.insync.replicas': '2', 'cleanup.policy': 'compact' });
});

test('withLoggingEnabled refuses a cleanup policy without compaction', () => {
  assert.throws(() => builder().withLoggingEnabled({ 'cleanup.policy': 'delete' }), /compact/);
  assert.is(builder().withLoggingEnabled({ 'cleanup.policy': 'compact,delete' }).logConfig['cleanup.policy'], 'compact,delete');
});

test('each build makes a separate store, one per task', async (ctx) => {
  const b = builder();
  const first = await initStore(ctx, b.build());
  const second = await initStore(ctx, b.build());
  first.put('a', 1);
  assert.is(second.get('a'), undefined);
});

test('the typed store serializes keys and values through its serdes', async (ctx) => {
  const store = await initStore(ctx, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), Serdes.String(), Serdes.Json<{ n: number }>()).build());
  store.putAll([{ key: 'b', value: { n: 2 } }, { key: 'a', value: { n: 1 } }]);
  assert.equal(store.get('a'), { n: 1 });
  assert.is(store.putIfAbsent('a', { n: 9 })?.n, 1);
  assert.equal(store.delete('b'), { n: 2 });
  assert.equal([...store.all()], [{ key: 'a', value: { n: 1 } }]);
});

test('typed range follows serialized-byte order: big-endian Int32 puts negatives after positives', async (ctx) => {
  const store = await initStore(ctx, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('ints'), Serdes.Int32(), Serdes.String()).build());
  for (const k of [-1, 5, 0, 300]) store.put(k, String(k));
  // 0x00000000 < 0x00000005 < 0x0000012c < 0xffffffff
  assert.equal([...store.all()].map(({ key }) => key), [0, 5, 300, -1]);
  assert.equal([...store.range(1, 300)].map(({ value }) => value), ['5', '300']);
});

test('serdes of the typed store see the changelog topic name', async (ctx) => {
  const topics: (string | undefined)[] = [];
  const spy: Serde<string> = {
    serialize: (v, topic) => { topics.push(topic); return Serdes.String().serialize(v); },
    deserialize: (b, topic) => { topics.push(topic); return Serdes.String().deserialize(b); },
  };
  const store = await initStore(ctx, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('words'), spy, spy).build());
  store.put('k', 'v');
  assert.is(store.get('k'), 'v');
  assert.ok(topics.length >= 3);
  assert.ok(topics.every((t) => t === 'app-words-changelog'), String(topics));
});

test('a null key is refused', async (ctx) => {
  const store = await initStore(ctx, builder().build());
  assert.throws(() => store.put(null as unknown as string, 1), /null key/);
});

test('store names that could leave the state directory or break a topic name are refused', () => {
  for (const name of ['..', '../x', 'a/b', '', 'sp ace']) {
    assert.throws(() => Stores.persistentKeyValueStore(name), /Invalid store name/, name);
  }
});

test('a LevelDB store built with logging restores into LevelDB and survives reopen', async (ctx) => {
  const b = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('lvl'), Serdes.String(), Serdes.Int32());
  const store = await initStore(ctx, b.build());
  ctx.context.registered[0]!.callback.restoreBatch([{ key: Serdes.String().serialize('r'), value: Serdes.Int32().serialize(7) }]);
  await store.close();
  const reopened = await initStore(ctx, b.build());
  assert.is(reopened.get('r'), 7);
  assert.is(reopened.persistent, true);
});

test.run();
