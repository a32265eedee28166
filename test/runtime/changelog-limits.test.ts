// Changelogs and the broker's limits: a store value too large for its changelog, a commit's
// changelog too large for one batch, a commit that never finished, and how changelogs are created.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor, S } from './fixtures.ts';
import { Record, Stores, Topology, type KeyValueStore, type ProcessorContext, type ProductionErrorSite, type StreamsConfig } from '../../lib/index.ts';
import { resolveReplicationFactor } from '../../lib/runtime/internal-topics.ts';

const quiet = { logLevel: kafkajs.logLevel.NOTHING };
const { ConfigResourceTypes } = kafkajs;

async function withAdmin<T>(brokers: string[], fn: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = new kafkajs.Kafka({ brokers, ...quiet }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

async function createTopic(brokers: string[], topic: string): Promise<void> {
  await withAdmin(brokers, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
}

async function send(brokers: string[], topic: string, messages: { key: string; value: string; partition?: number; headers?: { [k: string]: string } }[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, ...quiet }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** Header names of every record of a topic, in offset order. */
async function headersOf(brokers: string[], topic: string, expected: number): Promise<string[][]> {
  const consumer = new kafkajs.Kafka({ brokers, ...quiet }).consumer({ groupId: uniqueName('reader') });
  const out: string[][] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { out.push(Object.keys(message.headers ?? {})); } });
  try {
    await waitFor(`${expected} records on ${topic}`, () => out.length >= expected);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await consumer.disconnect();
  }
  return out;
}

const BIG = 2 * 1024 * 1024;

/** false while the task is closed or restoring (its store throws). */
function attempt(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Entries of a store; -1 while its task is closed or restoring. */
function count(store: { all(): IterableIterator<unknown> }): number {
  try {
    return [...store.all()].length;
  } catch {
    return -1;
  }
}

/**
 * Puts each record into the store 'kv' (the value 'big' as 2 MiB); the value 'many' puts 300
 * keys of 1 KiB instead.
 */
function putting(input: string, logConfig: { [name: string]: string } = {}): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('put', () => {
      let store: KeyValueStore<string, string>;
      return {
        init(c: ProcessorContext) { store = c.getStateStore('kv'); },
        process(r: Record<string, string>) {
          if (r.value === 'many') for (let i = 0; i < 300; i++) store.put(`m${i}`, `${i}`.padEnd(1024, '.'));
          else store.put(r.key, r.value === 'big' ? 'x'.repeat(BIG) : r.value);
        },
      };
    }, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('kv'), S, S).withLoggingEnabled(logConfig), 'put');
}

function config(applicationId: string, brokers: string[], more: Partial<StreamsConfig> = {}) {
  return { applicationId, brokers, ...more };
}

forEachBroker('test/runtime/changelog-limits.test.ts', (test, brokerList) => {
  test('a store value too large for its changelog is dropped by the handler and the task rebuilt from the changelog: live and restored state agree', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('bigstore-in'), uniqueName('bigstore')];
    await createTopic(brokers, input);
    const sites: ProductionErrorSite[] = [];
    const app = newInstance(putting(input), config(applicationId, brokers, { onProductionError: (_e, site) => { sites.push(site); return 'continue'; } }));
    const kv = () => app.store<string, string>('kv');
    try {
      await app.start();
      await send(brokers, input, ['v0', 'v1', 'v2', 'big', 'v4'].map((value, i) => ({ key: `k${i}`, value })));
      await waitFor('the batch processed and the record dropped', () => app.metrics().processed === 5 && app.metrics().skippedProduction === 1);
      assert.equal(sites.map((s) => [s.outputTopic, s.changelog, s.reason, s.offset]), [[`${applicationId}-kv-changelog`, true, 'MESSAGE_TOO_LARGE', -1]]);
      await send(brokers, input, [{ key: 'k5', value: 'v5' }]);
      await waitFor('the next record in the rebuilt task', () => attempt(() => kv().get('k5') === 'v5'));
      assert.is(kv().get('k3'), undefined, 'the live store dropped what its changelog lacks');
      assert.equal(['k0', 'k1', 'k2', 'k4'].map((k) => kv().get(k)), ['v0', 'v1', 'v2', 'v4']);
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
    const restored = newInstance(putting(input), config(applicationId, brokers));
    try {
      await restored.start();
      await waitFor('the task restored', () => attempt(() => restored.store<string, string>('kv').get('k5') === 'v5'));
      assert.is(count(restored.store<string, string>('kv')), 5);
      assert.is(restored.store<string, string>('kv').get('k3'), undefined);
    } finally {
      await restored.close();
    }
  });

  test('a commit whose changelog exceeds the topic limit is sent in pieces confirmed by the last, and restored whole', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('split-in'), uniqueName('split')];
    await createTopic(brokers, input);
    const topology = () => putting(input, { 'max.message.bytes': '65536' });
    const app = newInstance(topology(), config(applicationId, brokers));
    try {
      await app.start();
      await send(brokers, input, [{ key: 'go', value: 'many' }]);
      await waitFor('300 keys', () => count(app.store('kv')) === 300);
    } finally {
      await app.close();
    }
    const headers = await headersOf(brokers, `${applicationId}-kv-changelog`, 300);
    assert.is(headers.length, 300, 'nothing dropped or sent twice');
    const pending = headers.filter((h) => h.includes('modelstream.pending')).length;
    assert.ok(pending > 0 && pending < 300, `earlier pieces pending (${pending})`);
    assert.equal(headers[299], ['modelstream.position'], 'the last record confirms the commit');
    assert.ok(headers.slice(pending).every((h) => h.includes('modelstream.position')), 'pending pieces come first');
    const restored = newInstance(topology(), config(applicationId, brokers));
    try {
      await restored.start();
      await waitFor('the restore', () => count(restored.store('kv')) === 300, 20_000);
    } finally {
      await restored.close();
    }
  });

  test('changelog records of a commit that never got confirmed are not restored', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('tail-in'), uniqueName('tail')];
    await createTopic(brokers, input);
    const app = newInstance(putting(input), config(applicationId, brokers));
    try {
      await app.start();
      await send(brokers, input, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
      await waitFor('both keys', () => count(app.store('kv')) === 2);
    } finally {
      await app.close();
    }
    // What a crash between the requests of a split changelog leaves: pending records, no confirmation.
    const changelog = `${applicationId}-kv-changelog`;
    await send(brokers, changelog, [
      { key: 'a', value: 'torn', partition: 0, headers: { 'modelstream.pending': '' } },
      { key: 'ghost', value: 'torn', partition: 0, headers: { 'modelstream.pending': '' } },
    ]);
    const restored = newInstance(putting(input), config(applicationId, brokers));
    const kv = () => restored.store<string, string>('kv');
    try {
      await restored.start();
      await waitFor('the restore', () => count(kv()) >= 2);
      assert.equal([kv().get('a'), kv().get('b'), kv().get('ghost')], ['1', '2', undefined]);
    } finally {
      await restored.close();
    }
  });

  test("changelogs are created compacted, CreateTime, with max.message.bytes, topicConfig and the store's config, and the broker's default replication factor", async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('cfg-in'), uniqueName('cfg')];
    await createTopic(brokers, input);
    const app = newInstance(putting(input, { 'min.compaction.lag.ms': '5000' }), config(applicationId, brokers, {
      topicConfig: { 'min.compaction.lag.ms': '1000', 'segment.ms': '3600000' },
    }));
    const changelog = `${applicationId}-kv-changelog`;
    try {
      await app.start();
    } finally {
      await app.close();
    }
    const names = ['cleanup.policy', 'message.timestamp.type', 'max.message.bytes', 'min.compaction.lag.ms', 'segment.ms'];
    await withAdmin(brokers, async (admin) => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: changelog, configNames: names }] });
      const got = Object.fromEntries(resources[0]!.configEntries.filter((e) => names.includes(e.configName)).map((e) => [e.configName, e.configValue]));
      assert.equal(got, {
        'cleanup.policy': 'compact', 'message.timestamp.type': 'CreateTime', 'max.message.bytes': '1048588',
        'min.compaction.lag.ms': '5000', 'segment.ms': '3600000',
      });
      const { topics } = await admin.fetchTopicMetadata({ topics: [changelog] });
      assert.is(topics[0]!.partitions[0]!.replicas.length, 1, 'the broker default (1 on the test brokers)');
      const logged: string[] = [];
      assert.is(await resolveReplicationFactor(admin, -1, (m) => logged.push(m)), 1);
      assert.equal(logged, [], 'read from the broker, not the fallback');
      assert.is(await resolveReplicationFactor(admin, 2, (m) => logged.push(m)), 2, 'an explicit factor is kept');
    });
  });
});
