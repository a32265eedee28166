import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record, Serdes, Stores, type KeyValueStore, type ProcessorContext } from '../../lib/index.ts';
import { MockProcessorContext } from '../../lib/testing/index.ts';

/** Forwards records with even values to "even", others to every child; schedules a punctuator. */
function evenRouter() {
  let ctx: ProcessorContext<string, number>;
  return {
    init(c: ProcessorContext<string, number>) {
      ctx = c;
      ctx.schedule(500, 'stream-time', () => ctx.commit());
    },
    process(r: Record<string, number>) {
      if (r.value % 2 === 0) ctx.forward(r, 'even');
      else ctx.forward(r);
    },
  };
}

test('captures forwards with their child names, in order', () => {
  const ctx = new MockProcessorContext<string, number>();
  const p = evenRouter();
  p.init(ctx);
  p.process(new Record('a', 2, 1));
  p.process(new Record('b', 3, 2));
  assert.equal(ctx.forwarded().map((f) => [f.record.key, f.childName]), [['a', 'even'], ['b', undefined]]);
  ctx.resetForwards();
  assert.is(ctx.forwarded().length, 0);
});

test('captures scheduled punctuators, which the test can fire and cancel', () => {
  const ctx = new MockProcessorContext<string, number>();
  evenRouter().init(ctx);
  const [scheduled] = ctx.scheduledPunctuators();
  assert.is(scheduled?.intervalMs, 500);
  assert.is(scheduled?.type, 'stream-time');
  assert.not.ok(ctx.committed());
  void scheduled!.punctuator(1000);
  assert.ok(ctx.committed(), 'the punctuator asked for a commit');
});

test('a store added to the context is initialised and records its changelog writes at flush', async () => {
  const ctx = new MockProcessorContext();
  const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), Serdes.String(), Serdes.Int32()).build();
  await ctx.addStateStore(store);
  const kv = ctx.getStateStore<KeyValueStore<string, number>>('s');
  kv.put('x', 7);
  await store.flush();
  const [change] = ctx.loggedChanges();
  assert.is(change?.storeName, 's');
  assert.is(Serdes.Int32().deserialize(change!.value!), 7);
  assert.ok(ctx.restoreCallback('s'), 'the logging store registered for restoration');
});

test('record metadata and times are whatever the test sets', () => {
  const ctx = new MockProcessorContext();
  assert.is(ctx.recordMetadata(), undefined);
  ctx.setRecordMetadata('t', 3, 42);
  ctx.setCurrentStreamTimeMs(99);
  assert.equal(ctx.recordMetadata(), { topic: 't', partition: 3, offset: 42 });
  assert.is(ctx.currentStreamTimeMs(), 99);
});

test.run();
