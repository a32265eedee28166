// A 5 MiB dataType on a real broker, through the kv topology and its query server: the record is
// skipped and counted, no store key or /metrics label carries it, and the records after it are served.
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { KafkaStreams, type KeyValueStore, type StateStore } from '../../lib/index.ts';
import { startServingServer } from '../../topologies/http/server.ts';
import { buildKvTopology } from '../../topologies/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { waitFor } from '../runtime/fixtures.ts';
import { files, pmmlDescriptor, serdes, wineRecords } from '../topologies/fixtures.ts';
import { ensureTopics } from '../../lib/index.ts';

const HUGE = 'x'.repeat(5 * 1024 * 1024);

forEachBroker('test/integration/bad-input.kafka.test.ts', (test, brokers) => {
  test('kv: a record with a 5 MiB dataType is skipped and counted; no store key or metric label carries it; the next records are served', async () => {
    const topics = { data: uniqueName('bad-data'), models: uniqueName('bad-models'), results: uniqueName('bad-results') };
    const kafka = new kafkajs.Kafka({ brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // Kafka refuses records over 1 MB by default: the data topic takes the big one on purpose.
    await ensureTopics(admin, [
        { topic: topics.data, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(8 * 1024 * 1024) }] },
        { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 1 },
      ]);
    await admin.disconnect();
    const logs: string[] = [];
    const serving = buildKvTopology({ topics, log: (m) => logs.push(m) });
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-bad-kafka-'));
    const streams = new KafkaStreams(serving.topology, {
      applicationId: uniqueName('bad-kv'), brokers: brokers(), stateDir, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000,
    });
    const server = await startServingServer({ streams, serving, port: 0 });
    const producer = kafka.producer();
    try {
      await streams.start();
      await producer.connect();
      await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(serdes.descriptor.serialize(pmmlDescriptor(files.tree, 'wine', 'tree', ''))) }] });
      await waitFor('the model installed', () => serving.localStats(streams, 'wine')?.name === 'tree');
      const [first, ...rest] = wineRecords(4);
      const encode = (w: unknown) => Buffer.from(serdes.wine.serialize(w as never));
      await producer.send({ topic: topics.data, acks: -1, messages: [{ value: encode(first) }] });
      await producer.send({ topic: topics.data, acks: -1, messages: [{ value: encode({ ...first, dataType: HUGE }) }] });
      await producer.send({ topic: topics.data, acks: -1, messages: rest.map((w) => ({ value: encode(w) })) });

      await waitFor('the 4 valid records scored', () => serving.localStats(streams, 'wine')?.invocations === 4, 60_000);
      assert.is(serving.localBadInput(streams)['invalid-data-type'], 1);
      assert.is(streams.metrics().processed, 5, 'the big record was read, and skipped');
      const keys = streams.localStores<KeyValueStore<string, unknown> & StateStore>(serving.stores.stats).flatMap((s) => [...s.all()].map((e) => e.key));
      assert.ok(keys.every((k) => k.length <= 256), `stats store keys: ${keys.map((k) => k.length)}`);
      assert.equal(serving.localDataTypes(streams), ['wine']);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.ok(metrics.length < 100_000, `/metrics is ${metrics.length} chars`);
      assert.match(metrics, /^modelstream_records_skipped_total\{reason="invalid-data-type"\} 1$/m);
      assert.match(metrics, /^modelstream_model_invocations_total\{dataType="wine",model="tree",modelType="PMML"\} 4$/m);
      assert.not.match(metrics, /x{300}/, 'no label carries the dataType');
      assert.ok(logs.every((l) => l.length < 400), 'no log line carries it either');
      assert.ok(logs.some((l) => l.includes('[invalid-data-type: 1 so far')), 'the skip is logged');
    } finally {
      await producer.disconnect().catch(() => {});
      await server.close();
      await streams.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
