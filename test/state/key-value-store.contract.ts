// The contract every key-value byte store meets, run against each store by its own test file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidStateStoreError, type KeyValueBytesStore } from '../../lib/index.ts';
import { RecordingContext, bytes, tempDir, text, utf8 } from './fake-context.ts';

export interface StoreFactory {
  /** Names the suite. */
  readonly name: string;
  /** Whether data survives close and reopen in the same state directory. */
  readonly persistent: boolean;
  /** A new, uninitialised store instance; each call is a fresh instance over the same directory. */
  create(storeName: string): KeyValueBytesStore;
}

interface Ctx {
  dir: { path: string; remove(): void };
  context: RecordingContext;
  store: KeyValueBytesStore;
}

const keysOf = (store: { range(from?: Uint8Array, to?: Uint8Array): Iterable<{ key: Uint8Array }> }, from?: Uint8Array, to?: Uint8Array) =>
  [...store.range(from, to)].map(({ key }) => [...key]);

export function keyValueStoreContract(factory: StoreFactory): void {
  const test = suite<Ctx>(`key-value store contract: ${factory.name}`);

  const open = async (ctx: Ctx): Promise<KeyValueBytesStore> => {
    const store = factory.create('counts');
    await store.init(ctx.context);
    return store;
  };

  test.before.each(async (ctx) => {
    ctx.dir = tempDir();
    ctx.context = new RecordingContext(ctx.dir.path);
    ctx.store = await open(ctx);
  });

  test.after.each(async (ctx) => {
    if (ctx.store.isOpen) await ctx.store.close();
    ctx.dir.remove();
  });

  test('a key never written reads as undefined', ({ store }) => {
    assert.is(store.get(utf8('missing')), undefined);
  });

  test('put then get returns the value, and a second put replaces it', ({ store }) => {
    store.put(utf8('k'), utf8('one'));
    assert.is(text(store.get(utf8('k'))), 'one');
    store.put(utf8('k'), utf8('two'));
    assert.is(text(store.get(utf8('k'))), 'two');
  });

  test('an empty value is stored as a value, not as an absence', ({ store }) => {
    store.put(utf8('k'), bytes());
    assert.equal([...store.get(utf8('k'))!], []);
    assert.is(store.approximateNumEntries(), 1);
  });

  test('the store keeps its own copy of the key and the value it was given', ({ store }) => {
    const key = utf8('k'), value = utf8('v');
    store.put(key, value);
    key[0] = 0x7a; value[0] = 0x77;
    assert.is(text(store.get(utf8('k'))), 'v');
    assert.is(store.get(utf8('z')), undefined);
  });

  test('delete returns the removed value and the key is gone', ({ store }) => {
    store.put(utf8('k'), utf8('v'));
    assert.is(text(store.delete(utf8('k'))), 'v');
    assert.is(store.get(utf8('k')), undefined);
    assert.is(store.delete(utf8('k')), undefined);
  });

  test('putIfAbsent writes only an absent key and returns what was there', ({ store }) => {
    assert.is(store.putIfAbsent(utf8('k'), utf8('first')), undefined);
    assert.is(text(store.putIfAbsent(utf8('k'), utf8('second'))), 'first');
    assert.is(text(store.get(utf8('k'))), 'first');
  });

  test('putAll writes every entry', ({ store }) => {
    store.putAll([{ key: utf8('a'), value: utf8('1') }, { key: utf8('b'), value: utf8('2') }]);
    assert.is(text(store.get(utf8('a'))), '1');
    assert.is(text(store.get(utf8('b'))), '2');
  });

  test('all returns keys in unsigned byte order, prefixes first, bytes >= 0x80 after 0x7f', ({ store }) => {
    // Written by hand in unsigned lexicographic order.
    const sorted = [[0x00], [0x01], [0x01, 0x00], [0x01, 0xff], [0x7f], [0x7f, 0x7f, 0x7f], [0x80], [0x80, 0x00], [0xc3, 0xa9], [0xff], [0xff, 0xff]];
    const shuffled = [7, 2, 10, 0, 5, 9, 1, 8, 3, 6, 4].map((i) => sorted[i]!);
    for (const key of shuffled) store.put(bytes(...key), bytes(key.length));
    assert.equal([...store.all()].map(({ key }) => [...key]), sorted);
    assert.equal([...store.all()].map(({ value }) => value[0]), sorted.map((k) => k.length));
  });

  test('long keys sharing a long prefix sort by their first differing unsigned byte', ({ store }) => {
    const prefix = Array.from({ length: 70 }, (_, i) => (i * 37) % 256);
    const sorted = [[...prefix], [...prefix, 0x00], [...prefix, 0x7f, 0xff], [...prefix, 0x80], [...prefix.slice(0, 69), 0xff]];
    for (const key of [3, 0, 4, 2, 1].map((i) => sorted[i]!)) store.put(bytes(...key), bytes(1));
    assert.equal([...store.all()].map(({ key }) => [...key]), sorted);
  });

  test('range includes both bounds', ({ store }) => {
    for (const k of ['a', 'b', 'c', 'd']) store.put(utf8(k), utf8(k));
    assert.equal(keysOf(store, utf8('b'), utf8('c')), [[...utf8('b')], [...utf8('c')]]);
  });

  test('range bounds need not be keys, and a prefix bound includes its extensions only above it', ({ store }) => {
    for (const k of [[0x01], [0x01, 0x00], [0x02], [0x80], [0x80, 0x01], [0x81]]) store.put(bytes(...k), bytes(1));
    assert.equal(keysOf(store, bytes(0x01, 0x00, 0x00), bytes(0x80, 0x00)), [[0x02], [0x80]]);
    assert.equal(keysOf(store, bytes(0x80), bytes(0x80, 0xff)), [[0x80], [0x80, 0x01]]);
  });

  test('range with an omitted bound is open on that side', ({ store }) => {
    for (const k of [1, 2, 3, 0x90]) store.put(bytes(k), bytes(k));
    assert.equal(keysOf(store, undefined, bytes(2)), [[1], [2]]);
    assert.equal(keysOf(store, bytes(3)), [[3], [0x90]]);
  });

  test('range with from after to is empty', ({ store }) => {
    for (const k of [1, 2, 3]) store.put(bytes(k), bytes(k));
    assert.equal(keysOf(store, bytes(3), bytes(1)), []);
  });

  test('range and all on an empty store yield nothing', ({ store }) => {
    assert.equal([...store.all()], []);
    assert.equal([...store.range(bytes(0), bytes(0xff))], []);
  });

  test('deleting keys while iterating over all visits each key once', ({ store }) => {
    for (const k of [1, 2, 3, 4]) store.put(bytes(k), bytes(k));
    const seen: number[] = [];
    for (const { key } of store.all()) {
      seen.push(key[0]!);
      store.delete(key);
    }
    assert.equal(seen, [1, 2, 3, 4]);
    assert.is(store.approximateNumEntries(), 0);
  });

  test('reads see writes and deletes made after the last flush, mixed with flushed data', async ({ store }) => {
    for (const k of ['a', 'b', 'c']) store.put(utf8(k), utf8(`${k}1`));
    await store.flush();
    store.delete(utf8('b'));
    store.put(utf8('d'), utf8('d1'));
    store.put(utf8('a'), utf8('a2'));
    assert.equal([...store.all()].map(({ key, value }) => `${text(key)}=${text(value)}`), ['a=a2', 'c=c1', 'd=d1']);
    assert.is(store.get(utf8('b')), undefined);
    assert.is(store.approximateNumEntries(), 3);
  });

  test('approximateNumEntries follows puts, overwrites and deletes', ({ store }) => {
    store.put(utf8('a'), utf8('1'));
    store.put(utf8('b'), utf8('1'));
    store.put(utf8('a'), utf8('2'));
    assert.is(store.approximateNumEntries(), 2);
    store.delete(utf8('a'));
    assert.is(store.approximateNumEntries(), 1);
  });

  test('after close every read and write throws InvalidStateStoreError', async ({ store }) => {
    store.put(utf8('a'), utf8('1'));
    await store.close();
    assert.is(store.isOpen, false);
    const calls: [string, () => unknown][] = [
      ['get', () => store.get(utf8('a'))],
      ['put', () => store.put(utf8('a'), utf8('2'))],
      ['putIfAbsent', () => store.putIfAbsent(utf8('b'), utf8('2'))],
      ['putAll', () => store.putAll([{ key: utf8('c'), value: utf8('3') }])],
      ['delete', () => store.delete(utf8('a'))],
      ['range', () => [...store.range(utf8('a'), utf8('z'))]],
      ['all', () => [...store.all()]],
      ['approximateNumEntries', () => store.approximateNumEntries()],
    ];
    for (const [name, call] of calls) {
      assert.throws(call, (err: unknown) => err instanceof InvalidStateStoreError, `${name} after close`);
    }
    await store.flush().then(
      () => assert.unreachable('flush after close resolved'),
      (err: unknown) => assert.instance(err, InvalidStateStoreError),
    );
  });

  test('a store used before init throws InvalidStateStoreError', () => {
    const fresh = factory.create('other');
    assert.is(fresh.isOpen, false);
    assert.throws(() => fresh.get(utf8('a')), (err: unknown) => err instanceof InvalidStateStoreError);
    assert.throws(() => fresh.put(utf8('a'), utf8('1')), (err: unknown) => err instanceof InvalidStateStoreError);
  });

  if (factory.persistent) {
    test('data survives close and reopen in the same state directory, without an explicit flush', async (ctx) => {
      const sorted = [[0x01], [0x01, 0x00], [0x7f], [0x80], [0xff]];
      for (const key of [...sorted].reverse()) ctx.store.put(bytes(...key), bytes(...key, 0xaa));
      ctx.store.put(bytes(0x42), bytes(1));
      await ctx.store.flush();
      ctx.store.delete(bytes(0x42));
      ctx.store.put(bytes(0x7f), bytes(0x7f, 0xbb));
      await ctx.store.close();

      ctx.store = await open(ctx);
      assert.equal([...ctx.store.all()].map(({ key }) => [...key]), sorted);
      assert.equal([...ctx.store.get(bytes(0x7f))!], [0x7f, 0xbb]);
      assert.equal([...ctx.store.get(bytes(0x80))!], [0x80, 0xaa]);
      assert.is(ctx.store.get(bytes(0x42)), undefined);
      assert.is(ctx.store.approximateNumEntries(), sorted.length);
    });

    test('writes after a reopen persist through a second reopen', async (ctx) => {
      ctx.store.put(utf8('a'), utf8('1'));
      await ctx.store.close();
      ctx.store = await open(ctx);
      ctx.store.put(utf8('b'), utf8('2'));
      ctx.store.delete(utf8('a'));
      await ctx.store.close();
      ctx.store = await open(ctx);
      assert.equal([...ctx.store.all()].map(({ key, value }) => `${text(key)}=${text(value)}`), ['b=2']);
    });

    test('stores of different names keep separate data in the same state directory', async (ctx) => {
      const other = factory.create('other');
      await other.init(ctx.context);
      ctx.store.put(utf8('a'), utf8('counts'));
      other.put(utf8('a'), utf8('other'));
      await other.close();
      await ctx.store.close();
      ctx.store = await open(ctx);
      assert.is(text(ctx.store.get(utf8('a'))), 'counts');
    });
  } else {
    test('a new instance starts empty: nothing survives close', async (ctx) => {
      ctx.store.put(utf8('a'), utf8('1'));
      await ctx.store.close();
      ctx.store = await open(ctx);
      assert.is(ctx.store.approximateNumEntries(), 0);
    });
  }

  test.run();
}
