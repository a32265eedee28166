// The Kafka Streams (Java) reference peer of bench/throughput.ts, end to end on real Kafka:
// it builds, reads the model through its global store, and gives one ServingResult per record
// with the value our PMML evaluator gives for the same record.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { loadPmml } from '../../lib/models/index.ts';
import { decodeServingResult, encodeModelDescriptor, encodeWineRecord, type ServingResult } from '../../topologies/codecs/messages.ts';
import { jpmml, kafkaBrokers, needs, realKafka } from '../requirements.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { createTopics } from '../runtime/fixtures.ts';
import { files, pmmlDescriptor, wineRecords } from '../topologies/fixtures.ts';

const it = needs([jpmml, realKafka]);
const peerDir = fileURLToPath(new URL('../../bench/peers/kafka-streams/', import.meta.url));
const jar = join(peerDir, 'target/kafka-streams-peer.jar');
const RECORDS = 100;

const nonZero = (p: Readonly<{ [label: string]: number }> | undefined) => Object.fromEntries(Object.entries(p ?? {}).filter(([, v]) => v !== 0));

async function readResults(brokers: string[], topic: string, count: number, timeoutMs: number): Promise<ServingResult[]> {
  const consumer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: uniqueName('peer-reader') });
  const results: ServingResult[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { results.push(decodeServingResult(message.value!)); } });
    const deadline = Date.now() + timeoutMs;
    while (results.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return results;
  } finally {
    await consumer.disconnect();
  }
}

it('the peer scores 100 records end to end, each as our PMML evaluator does', async () => {
  // Built once (Maven, from the local repository when it has the artifacts); bench/throughput.ts reuses it.
  if (!existsSync(jar)) execFileSync('mvn', ['-q', '-B', '-f', join(peerDir, 'pom.xml'), 'package'], { stdio: 'ignore', timeout: 240_000 });
  const brokers = kafkaBrokers();
  const topics = { data: uniqueName('peer-data'), models: uniqueName('peer-models'), results: uniqueName('peer-results') };
  await createTopics(brokers, [{ topic: topics.data, numPartitions: 4 }, { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 4 }]);
  const records = wineRecords(RECORDS);
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(pmmlDescriptor(files.tree, 'wine', 'tree', ''))) }] });
  await producer.send({ topic: topics.data, acks: -1, messages: records.map((r, i) => ({ key: `r${i}`, partition: i % 4, value: Buffer.from(encodeWineRecord(r)) })) });
  await producer.disconnect();

  const stateDir = mkdtempSync(join(tmpdir(), 'peer-test-'));
  const peer = spawn('java', ['-jar', jar, '--brokers', brokers.join(','), '--application-id', uniqueName('peer'), '--state-dir', stateDir,
    '--data-topic', topics.data, '--models-topic', topics.models, '--results-topic', topics.results, '--commit-interval-ms', '200'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => peer.once('exit', resolve));
  try {
    const results = await readResults(brokers, topics.results, RECORDS, 45_000);
    assert.is(results.length, RECORDS);
    const model = loadPmml(readFileSync(files.tree));
    const seen = new Set<number>();
    for (const result of results) {
      // Record i went to partition i % 4 at offset i / 4 of a fresh topic: the result names its record.
      const i = Number(result.offset) * 4 + result.partition;
      seen.add(i);
      const ours = model.score(records[i] as never);
      assert.ok(result.outcome.kind === 'scored', `record ${i}: ${JSON.stringify(result.outcome)}`);
      assert.is(result.outcome.value, typeof ours.value === 'string' ? Number(ours.value) : ours.value, `record ${i}`);
      // JPMML lists only the classes of the leaf's ScoreDistribution; ours lists every class, 0 included.
      assert.equal(nonZero(result.outcome.probabilities), nonZero(ours.probabilities), `record ${i}`);
      assert.is(result.modelName, 'tree');
    }
    assert.is(seen.size, RECORDS);
    model.close();
  } finally {
    peer.kill('SIGTERM');
    await exited;
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
