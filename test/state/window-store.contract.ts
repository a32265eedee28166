// The contract of window and session stores, run against every implementation by window-stores.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores, type SessionStore, type WindowStore } from '../../lib/index.ts';
import { RecordingContext, tempDir } from './fake-context.ts';

export interface WindowStoreFactory {
  readonly name: string;
  readonly persistent: boolean;
  readonly storeType: 'in-memory' | 'persistent';
}

const S = Serdes.String();

interface Ctx {
  dir: { path: string; remove(): void };
  context: RecordingContext;
}

export function windowStoreContract(factory: WindowStoreFactory): void {
  const test = suite<Ctx>(`window and session store contract: ${factory.name}`);
  const windowSupplier = (options: Parameters<typeof Stores.inMemoryWindowStore>[1]) =>
    factory.storeType === 'in-memory' ? Stores.inMemoryWindowStore('win', options) : Stores.persistentWindowStore('win', options);
  type Options = { retentionMs: number; windowSizeMs: number; retainDuplicates?: boolean; segmentIntervalMs?: number };
  const openWindow = async (ctx: Ctx, options: Options = { retentionMs: 100, windowSizeMs: 10 }, logged = true): Promise<WindowStore<string, string>> => {
    const builder = Stores.windowStoreBuilder(windowSupplier(options), S, S);
    if (!logged) builder.withLoggingDisabled();
    const store = builder.build();
    await store.init(ctx.context);
    return store;
  };
  const openSession = async (ctx: Ctx, retentionMs = 100): Promise<SessionStore<string, string>> => {
    const supplier = factory.storeType === 'in-memory' ? Stores.inMemorySessionStore('ses', { retentionMs }) : Stores.persistentSessionStore('ses', { retentionMs });
    const store = Stores.sessionStoreBuilder(supplier, S, S).build();
    await store.init(ctx.context);
    return store;
  };
  const starts = (entries: { windowStart: number; value: string }[]) => entries.map((e) => `${e.windowStart}=${e.value}`);

  test.before.each((ctx) => {
    ctx.dir = tempDir();
    ctx.context = new RecordingContext(ctx.dir.path);
  });
  test.after.each((ctx) => ctx.dir.remove());

  test('a window put is fetched by key and start; a second put replaces it, null deletes it', async (ctx) => {
    const store = await openWindow(ctx);
    store.put('a', 'one', 10);
    assert.is(store.fetch('a', 10), 'one');
    assert.is(store.fetch('a', 0), undefined);
    store.put('a', 'two', 10);
    assert.is(store.fetch('a', 10), 'two');
    store.put('a', null, 10);
    assert.is(store.fetch('a', 10), undefined);
    await store.close();
  });

  test('fetchRange gives one key\'s windows from..to inclusive, oldest first, never a longer key\'s', async (ctx) => {
    const store = await openWindow(ctx);
    for (const t of [30, 0, 10, 20]) store.put('a', `a${t}`, t);
    store.put('ab', 'other', 10);
    store.put('b', 'other', 10);
    assert.equal(starts(store.fetchRange('a', 10, 30)), ['10=a10', '20=a20', '30=a30']);
    assert.equal(starts(store.fetchRange('a', 11, 19)), []);
    await store.close();
  });

  test('the timestamp of a window is kept beside its value', async (ctx) => {
    const store = await openWindow(ctx);
    store.put('a', 'v', 10, 17);
    assert.equal(store.fetchWithTimestamp('a', 10), { value: 'v', timestamp: 17 });
    await store.close();
  });

  test('fetchAll gives every key\'s windows in a time range, with their window ends', async (ctx) => {
    const store = await openWindow(ctx);
    store.put('a', '1', 0);
    store.put('b', '2', 10);
    store.put('c', '3', 20);
    const found = store.fetchAll(5, 20).map((e) => `${e.key.key}@${e.key.window.start}/${e.key.window.end}=${e.value}`).sort();
    assert.equal(found, ['b@10/20=2', 'c@20/30=3']);
    await store.close();
  });

  test('windows older than the retention are hidden, and a put of one is dropped', async (ctx) => {
    const store = await openWindow(ctx, { retentionMs: 50, windowSizeMs: 10 });
    store.put('a', 'old', 0);
    store.put('a', 'new', 60);
    assert.is(store.fetch('a', 0), undefined, 'start 0 <= 60 - 50: expired');
    store.put('a', 'late', 5);
    assert.is(store.fetch('a', 5), undefined);
    assert.equal(store.all().map((e) => e.value), ['new']);
    await store.close();
  });

  test('an expired segment is deleted from the underlying store, through the changelog', async (ctx) => {
    const store = await openWindow(ctx, { retentionMs: 20, windowSizeMs: 10, segmentIntervalMs: 10 });
    store.put('a', 'x', 0);
    store.put('a', 'y', 100);
    await store.flush();
    const deletes = ctx.context.logged.filter((c) => c.value === null);
    assert.is(deletes.length, 1, 'the segment of window 0 was dropped: one tombstone');
    await store.close();
  });

  test('a store that retains duplicates keeps every put of the same key and window', async (ctx) => {
    const store = await openWindow(ctx, { retentionMs: 100, windowSizeMs: 10, retainDuplicates: true });
    store.put('a', 'one', 10);
    store.put('a', 'two', 10);
    assert.equal(starts(store.fetchRange('a', 0, 50)), ['10=one', '10=two']);
    await store.close();
  });

  test('the changelog restores a new store to the same windows', async (ctx) => {
    const store = await openWindow(ctx);
    store.put('a', '1', 0);
    store.put('b', '2', 10);
    store.put('a', '3', 20);
    await store.flush();
    await store.close();
    const other = new RecordingContext(tempDir().path);
    const restored = await openWindow({ dir: ctx.dir, context: other });
    other.registered[0]!.callback.restoreBatch(ctx.context.logged.map((c) => ({ key: c.key, value: c.value })));
    assert.equal(starts(restored.fetchRange('a', 0, 100)), ['0=1', '20=3']);
    assert.is(restored.fetch('b', 10), '2');
    await restored.close();
  });

  if (factory.persistent) {
    test('windows survive a close and reopen in the same directory', async (ctx) => {
      const store = await openWindow(ctx, undefined, false);
      store.put('a', 'kept', 10);
      await store.flush();
      await store.close();
      const reopened = await openWindow(ctx, undefined, false);
      assert.is(reopened.fetch('a', 10), 'kept');
      await reopened.close();
    });
  }

  test('findSessions finds the sessions ending at or after the earliest end and starting at or before the latest start', async (ctx) => {
    const store = await openSession(ctx);
    store.put({ key: 'a', window: { start: 0, end: 5 } }, 'first');
    store.put({ key: 'a', window: { start: 20, end: 30 } }, 'second');
    store.put({ key: 'ab', window: { start: 0, end: 5 } }, 'other key');
    const found = (from: number, to: number) => store.findSessions('a', from, to).map((s) => s.value);
    assert.equal(found(0, 100), ['first', 'second']);
    assert.equal(found(6, 100), ['second']);
    assert.equal(found(0, 19), ['first']);
    assert.equal(found(5, 20), ['first', 'second']);
    await store.close();
  });

  test('a removed session is gone; fetchSession finds one by its exact bounds', async (ctx) => {
    const store = await openSession(ctx);
    const s = { key: 'a', window: { start: 1, end: 4 } };
    store.put(s, 'v');
    assert.is(store.fetchSession('a', 1, 4), 'v');
    assert.is(store.fetchSession('a', 1, 5), undefined);
    store.remove(s);
    assert.equal(store.fetch('a'), []);
    await store.close();
  });

  test('sessions that ended before the retention are hidden', async (ctx) => {
    const store = await openSession(ctx, 10);
    store.put({ key: 'a', window: { start: 0, end: 2 } }, 'old');
    store.put({ key: 'a', window: { start: 20, end: 20 } }, 'new');
    assert.equal(store.all().map((s) => s.value), ['new']);
    await store.close();
  });

  test.run();
}
