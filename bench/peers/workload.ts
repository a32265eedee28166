// The serving workload every broker benchmark shares: the models the topologies score with,
// topics for one run, WineRecords pre-produced over the data topic, and the command lines of
// the contenders (our serving child, the Kafka Streams peer) that read them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { encodeModelDescriptor, encodeWineRecord, type ModelDescriptor } from '../../topologies/codecs/messages.ts';
import type { TopologyKind } from '../../topologies/index.ts';
import { files, pmmlDescriptor, tensorflowByLocation, wineRecords } from '../../test/topologies/fixtures.ts';
import { seedFile } from '../../test/seed-data.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const peerDir = join(root, 'bench/peers/kafka-streams');
export const peerJar = join(peerDir, 'target/kafka-streams-peer.jar');

export type ModelName = 'tree' | 'forest' | 'MLP' | 'TensorFlow';

/** The seed's models when the seed data is here, else the demo models of the same families. */
export function modelDescriptor(model: ModelName): ModelDescriptor {
  const seed = files.source === 'seed-data';
  const path = (seedName: string, demoName: string) => (seed ? seedFile(seedName) : join(root, 'data/models', demoName));
  switch (model) {
    case 'tree': return pmmlDescriptor(files.tree, 'wine', 'tree', 'decision tree');
    case 'forest': return pmmlDescriptor(path('winequalityRandonForrestClassification.pmml', 'wine-forest-classification.pmml'), 'wine', 'forest', 'random forest');
    case 'MLP': return pmmlDescriptor(path('winequalityMultilayerPerceptron.pmml', 'wine-mlp-regression.pmml'), 'wine', 'mlp', 'multilayer perceptron');
    case 'TensorFlow': return tensorflowByLocation('wine', 'tf', 'TensorFlow graph');
  }
}

/** The newest modification time of the peer's sources and pom (ms). */
function peerSourcesMtime(): number {
  const walk = (dir: string): number[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [statSync(join(dir, e.name)).mtimeMs]));
  return Math.max(statSync(join(peerDir, 'pom.xml')).mtimeMs, ...walk(join(peerDir, 'src')));
}

/** Builds the Kafka Streams peer with Maven when its jar is missing or older than its sources (about a minute from a cold cache). */
export function ensurePeerJar(log: (line: string) => void): void {
  if (existsSync(peerJar) && statSync(peerJar).mtimeMs >= peerSourcesMtime()) return;
  log('[bench] building the Kafka Streams peer (mvn -q -B package) ...');
  execFileSync('mvn', ['-q', '-B', '-f', join(peerDir, 'pom.xml'), 'package'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
}

export interface Produced {
  readonly data: string;
  readonly records: number;
}

/** Creates the topics and waits until each partition has a leader that answers for it. */
export type TopicSpec = { readonly topic: string; readonly numPartitions: number; readonly configEntries?: { name: string; value: string }[] };

export async function createTopics(brokers: string[], topics: readonly TopicSpec[]): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // A loaded broker can outlast kafkajs's own wait for the leaders (UNKNOWN_TOPIC_OR_PARTITION): wait on.
    await admin.createTopics({ waitForLeaders: false, topics: topics.map((t) => ({ ...t })) });
    const deadline = Date.now() + 60_000;
    for (const { topic } of topics) {
      for (;;) {
        const ok = await admin.fetchTopicOffsets(topic).then(() => true, () => false);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader after 60 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** One model on a fresh models topic (one partition). */
export async function produceModel(brokers: string[], topic: string, model: ModelName): Promise<void> {
  await createTopics(brokers, [{ topic, numPartitions: 1 }]);
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(modelDescriptor(model))) }] });
  await producer.disconnect();
}

/** `records` WineRecords (the CSV's rows over and over) spread over `partitions` of a fresh topic. */
export async function produceData(brokers: string[], topic: string, records: number, partitions: number): Promise<void> {
  await createTopics(brokers, [{ topic, numPartitions: partitions }]);
  const values = wineRecords(2000).map((r) => Buffer.from(encodeWineRecord(r)));
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < records; i += 2000) {
    const n = Math.min(2000, records - i);
    sends.push(producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `r${i + j}`, value: values[(i + j) % values.length]! })) }));
    if (sends.length >= 4) await sends.shift();
  }
  await Promise.all(sends);
  await producer.disconnect();
}

export type Contender = { readonly kind: 'ours'; readonly topology: TopologyKind } | { readonly kind: 'java'; readonly threads: number };

export function contenderName(c: Contender): string {
  return c.kind === 'ours' ? c.topology : `Java ${c.threads} thread${c.threads > 1 ? 's' : ''}`;
}

export interface ContenderRun {
  readonly brokers: string[];
  readonly applicationId: string;
  readonly stateDir: string;
  readonly topics: { readonly data: string; readonly models: string; readonly results: string };
  /** Our query server's port (0: any free one); none when absent. */
  readonly port?: number;
  /** The Java peer only: its producer's linger.ms (Kafka Streams' own default is 100). */
  readonly lingerMs?: number;
  /** Ours only: run the topology on this many worker stream threads (`serve --threads`); absent: on the main thread. */
  readonly threads?: number;
}

/** The command line of one contender: our serving child in Node, or the peer's JVM. */
export function contenderCommand(c: Contender, run: ContenderRun): { command: string; args: string[] } {
  const common = [
    '--brokers', run.brokers.join(','), '--application-id', run.applicationId, '--state-dir', run.stateDir,
    '--data-topic', run.topics.data, '--models-topic', run.topics.models, '--results-topic', run.topics.results,
  ];
  if (c.kind === 'ours') {
    return {
      command: process.execPath,
      // MODELSTREAM_BENCH_CPU_PROF=DIR: a V8 CPU profile of each of our servers, written there when it exits.
      args: [...(process.env.MODELSTREAM_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MODELSTREAM_BENCH_CPU_PROF}`] : []), '--import', 'tsx', join(root, 'bench/peers/serving-child.ts'), '--topology', c.topology, ...common, ...(run.port !== undefined ? ['--port', String(run.port)] : []), ...(run.threads !== undefined ? ['--threads', String(run.threads)] : [])],
    };
  }
  // An explicit replication factor: the embedded broker cannot take Kafka Streams' default (-1).
  return { command: 'java', args: ['-jar', peerJar, ...common, '--threads', String(c.threads), '--replication-factor', '1', ...(run.lingerMs !== undefined ? ['--linger-ms', String(run.lingerMs)] : [])] };
}
