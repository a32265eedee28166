// The edges of a task's commit: a clean close whose commit fails, store writes made only by a
// wall-clock punctuator while no input arrives, and a checkpoint left beyond the end of a
// changelog that was deleted and recreated.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor, S } from './fixtures.ts';
import { BIG, attempt, createTopic, putting, send, withAdmin } from './produce-fixtures.ts';
import { changelogTopic } from '../../lib/streams/internal/record-collector.ts';
import { Stores, Topology, type KeyValueStore, type ProcessorContext, type Record } from '../../lib/index.ts';

/** Puts `key=seen` per record into the persistent logged store 'kv'; `extra` adds writes of its own. */
function seen(input: string, extra: { onClose?: boolean; punctuateMs?: number } = {}): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('p', () => {
      let store: KeyValueStore<string, string>;
      return {
        init(c: ProcessorContext<string, string>) {
          store = c.getStateStore('kv');
          // Writes once, after the first record, and forwards nothing.
          if (extra.punctuateMs) c.schedule(extra.punctuateMs, 'wall-clock', () => { if (store.get('a') && !store.get('tick')) store.put('tick', 'punctuated'); });
        },
        process(r: Record<string, string>) { store.put(r.key, 'seen'); },
        close() { if (extra.onClose) store.put('big', 'x'.repeat(BIG)); },
      };
    }, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('kv'), S, S), 'p');
}

const highWatermark = (brokers: string[], topic: string) =>
  withAdmin(brokers, async (admin) => Number((await admin.fetchTopicOffsets(topic))[0]!.high));

forEachBroker('test/runtime/commit-edges.test.ts', (test, brokerList) => {
  test('a clean close whose commit fails leaves nothing of that commit in the local store', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('cf-in'), uniqueName('cf')];
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-cf-'));
    await createTopic(brokers, input);
    // The processor's close writes 2 MiB, over the changelog's limit: the close's commit fails.
    const first = newInstance(seen(input, { onClose: true }), { applicationId, brokers, stateDir, onProductionError: () => 'fail' });
    await first.start();
    await send(brokers, input, [{ key: 'a', value: 'x' }]);
    await waitFor('a committed', async () => first.metrics().processed === 1 && (await highWatermark(brokers, changelogTopic(applicationId, 'kv'))) >= 1);
    await first.close().catch(() => {});
    const second = newInstance(seen(input), { applicationId, brokers, stateDir });
    try {
      await second.start();
      const store = second.store<string, string>('kv');
      await waitFor('the store restored', () => attempt(() => store.get('a') === 'seen'));
      assert.is(store.get('big')?.length, undefined, 'the failed commit\'s write is not in the local store');
      assert.is(await highWatermark(brokers, changelogTopic(applicationId, 'kv')), 1, 'nor in the changelog');
    } finally {
      await second.close();
    }
  });

  test('a write made only by a wall-clock punctuator reaches the changelog within a commit interval, with no new input', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('pw-in'), uniqueName('pw')];
    await createTopic(brokers, input);
    const app = newInstance(seen(input, { punctuateMs: 200 }), { applicationId, brokers, commitIntervalMs: 300 });
    try {
      await app.start();
      await send(brokers, input, [{ key: 'a', value: 'x' }]);
      const store = app.store<string, string>('kv');
      await waitFor('the punctuator wrote', () => attempt(() => store.get('tick') === 'punctuated'));
      const wrote = Date.now();
      await waitFor('the punctuator\'s write in the changelog', async () => (await highWatermark(brokers, changelogTopic(applicationId, 'kv'))) >= 2, 5000);
      assert.ok(Date.now() - wrote < 3000, `committed ${Date.now() - wrote} ms after the write`);
      assert.is(app.metrics().processed, 1, 'no input since');
    } finally {
      await app.close();
    }
  });

  test('a changelog deleted and recreated between two runs: the second run restores from it, not from the stale local state', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('rc-in'), uniqueName('rc')];
    const changelog = changelogTopic(applicationId, 'kv');
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-rc-'));
    await createTopic(brokers, input);
    const first = newInstance(putting(input), { applicationId, brokers, stateDir });
    try {
      await first.start();
      await send(brokers, input, [{ key: 'k0', value: 'v0' }, { key: 'k1', value: 'v1' }]);
      await waitFor('both committed', async () => first.metrics().processed === 2 && (await highWatermark(brokers, changelog)) >= 2);
    } finally {
      await first.close();
    }
    await withAdmin(brokers, async (admin) => {
      await admin.deleteTopics({ topics: [changelog] });
      await waitFor('the changelog deleted', async () => !(await admin.listTopics()).includes(changelog));
    });
    await createTopic(brokers, changelog, { 'cleanup.policy': 'compact' });
    const second = newInstance(putting(input), { applicationId, brokers, stateDir });
    try {
      await second.start();
      await send(brokers, input, [{ key: 'k2', value: 'v2' }]);
      const store = second.store<string, string>('kv');
      await waitFor('k2 processed', () => attempt(() => store.get('k2') === 'v2'));
      assert.equal([...store.all()].map((e) => e.key), ['k2'], 'the state of the recreated changelog only');
    } finally {
      await second.close();
    }
  });
});
