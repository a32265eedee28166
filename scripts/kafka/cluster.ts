// A multi-node Apache Kafka cluster (KRaft) for failure tests: N combined broker+controller
// nodes with one static controller quorum of all N, one cluster id, free loopback ports
// chosen once, so a node stopped (cleanly or with kill -9) restarts on its own ports and dirs.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import {
  HOST, KafkaStartError, TEST_DEFAULTS, alive, clusterId, freePort, log4jProperties, stopPid, tail, type StopOutcome,
} from './broker.ts';
import { JavaNotFoundError, defaultLibsDir, javaCommand, javaMajorVersion, kafkaVersion, provisionKafka } from './provision.ts';

export interface StartKafkaClusterOptions {
  /** Number of nodes, each broker and controller; default 3. */
  readonly brokers?: number;
  /** Root for every node's config, logs and data; a fresh temp dir (removed on stop) when absent. */
  readonly dataDir?: string;
  /** Settings over the cluster defaults below, for every node. */
  readonly properties?: Readonly<Record<string, string>>;
  /** JVM max heap per node; default '384m'. */
  readonly heap?: string;
  readonly startTimeoutMs?: number;
  /** Let the nodes outlive this process (the CLI's `start`); otherwise they die with it. */
  readonly detached?: boolean;
  readonly libsDir?: string;
  readonly log?: (line: string) => void;
  /**
   * Fixed client ports per node id: `port` it listens on, `advertisedPort` it names to clients
   * and other brokers (a proxy in front of it, to cut its network off in a test).
   */
  readonly listeners?: Readonly<Record<number, { readonly port: number; readonly advertisedPort?: number }>>;
}

export type StopMode = 'clean' | 'kill';

export interface RunningKafkaCluster {
  /** Every node's client address, in node-id order (node ids are 1..N). */
  readonly brokers: string[];
  readonly nodeIds: number[];
  readonly dataDir: string;
  readonly version: string;
  readonly startupMs: number;
  addressOf(nodeId: number): string;
  /** The node's JVM pid, or undefined while it is stopped. */
  pidOf(nodeId: number): number | undefined;
  /** 'clean': SIGTERM (controlled shutdown moves its leaderships first); 'kill': SIGKILL at once. */
  stopBroker(nodeId: number, mode: StopMode): Promise<StopOutcome>;
  /** Starts a stopped node again (same ports, same data) and waits until it serves. */
  startBroker(nodeId: number): Promise<void>;
  /** The node id leading a partition now, or -1 when it has no leader. */
  leaderOf(topic: string, partition: number): Promise<number>;
  /** Waits until every partition of `topics` has all its replicas in sync. */
  waitForInSync(topics: string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

// Internal topics get one replica per node and need two in sync, as production clusters do;
// a dead node is fenced (and its leaderships moved) 3 s after its last heartbeat.
const clusterDefaults = (n: number): Record<string, string> => ({
  ...TEST_DEFAULTS,
  'offsets.topic.replication.factor': String(n),
  'transaction.state.log.replication.factor': String(n),
  'transaction.state.log.min.isr': String(Math.min(2, n)),
  'share.coordinator.state.topic.replication.factor': String(n),
  'share.coordinator.state.topic.min.isr': String(Math.min(2, n)),
  'default.replication.factor': String(n),
  'min.insync.replicas': String(Math.min(2, n)),
  'broker.heartbeat.interval.ms': '500',
  'broker.session.timeout.ms': '3000',
  'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024),
});

interface NodeSpec { readonly id: number; readonly port: number; readonly advertisedPort: number; readonly controllerPort: number; readonly dir: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function nodeProperties(node: NodeSpec, voters: string, extra: Readonly<Record<string, string>>, n: number): string {
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.id),
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${node.advertisedPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': join(node.dir, 'data'),
    ...clusterDefaults(n),
    ...extra,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

function runJava(args: string[], logFile: string): Promise<number | null> {
  const out = openSync(logFile, 'a');
  const child = spawn(javaCommand(), args, { stdio: ['ignore', out, out] });
  closeSync(out);
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

/**
 * Formats node 1 with Kafka's StorageTool, then gives the others the same bootstrap metadata
 * (the feature levels: nothing node-specific with a static quorum) and their own
 * meta.properties, which is what StorageTool would write: one JVM start instead of N.
 */
async function formatNodes(nodes: readonly NodeSpec[], id: string, libsDir: string): Promise<void> {
  const [first, ...rest] = nodes as [NodeSpec, ...NodeSpec[]];
  const code = await runJava(['-Xmx192m', '-cp', join(libsDir, '*'), 'kafka.tools.StorageTool', 'format', '-t', id, '-c', join(first.dir, 'server.properties')], join(first.dir, 'format.out'));
  if (code !== 0) throw new KafkaStartError(`formatting KRaft storage failed (status ${code}):\n${tail(join(first.dir, 'format.out'))}`);
  for (const node of rest) {
    mkdirSync(join(node.dir, 'data'), { recursive: true });
    cpSync(join(first.dir, 'data', '__cluster_metadata-0'), join(node.dir, 'data', '__cluster_metadata-0'), { recursive: true });
    writeFileSync(join(node.dir, 'data', 'meta.properties'), `node.id=${node.id}\ndirectory.id=${clusterId()}\nversion=1\ncluster.id=${id}\n`);
  }
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function admin(brokers: string[]) {
  return new kafkajs.Kafka({
    brokers, clientId: 'modelstream-cluster-probe', logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 },
  }).admin();
}

/** Polls `check` against the given brokers until it returns true or the deadline passes. */
async function poll(what: string, brokers: () => string[], check: (a: kafkajs.Admin) => Promise<boolean>, deadline: number, alive?: () => boolean): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (alive && !alive()) throw new KafkaStartError(`a Kafka node exited while waiting for ${what}`);
    const a = admin(brokers());
    try {
      await a.connect();
      if (await check(a)) return;
    } catch (err) {
      lastError = err;
    } finally {
      await a.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new KafkaStartError(`timed out waiting for ${what}`, { cause: lastError });
}

/** Formats N nodes under one cluster id, starts them, and waits until the cluster serves groups. */
export async function startKafkaCluster(options: StartKafkaClusterOptions = {}): Promise<RunningKafkaCluster> {
  const started = Date.now();
  const n = options.brokers ?? 3;
  const log = options.log ?? ((line: string) => console.error(line));
  const libsDir = options.libsDir ?? defaultLibsDir;
  const java = javaMajorVersion();
  if (java === undefined || java < 17) {
    throw new JavaNotFoundError(`Kafka 4.x needs Java 17+; ${javaCommand()} ${java === undefined ? 'was not found' : `is Java ${java}`}`);
  }
  await provisionKafka({ libsDir, log });
  const root = options.dataDir ?? mkdtempSync(join(tmpdir(), 'modelstream-kafka-cluster-'));
  const ports = await distinctFreePorts(2 * n);
  const nodes: NodeSpec[] = Array.from({ length: n }, (_, i) => {
    const fixed = options.listeners?.[i + 1];
    const port = fixed?.port ?? ports[2 * i]!;
    return { id: i + 1, port, advertisedPort: fixed?.advertisedPort ?? port, controllerPort: ports[2 * i + 1]!, dir: join(root, `node-${i + 1}`) };
  });
  const voters = nodes.map((x) => `${x.id}@${HOST}:${x.controllerPort}`).join(',');
  const id = clusterId();
  log(`[kafka] starting Apache Kafka ${kafkaVersion()} (KRaft, ${n} nodes, cluster ${id}) ...`);
  for (const node of nodes) {
    rmSync(node.dir, { recursive: true, force: true });
    mkdirSync(node.dir, { recursive: true });
    writeFileSync(join(node.dir, 'server.properties'), nodeProperties(node, voters, options.properties ?? {}, n));
    writeFileSync(join(node.dir, 'log4j2.properties'), log4jProperties(node.dir, false));
  }
  await formatNodes(nodes, id, libsDir);

  const children = new Map<number, ChildProcess>();
  const killAll = () => { for (const c of children.values()) if (c.pid && alive(c.pid)) process.kill(c.pid, 'SIGKILL'); };
  if (!options.detached) process.on('exit', killAll);
  const spec = (nodeId: number) => {
    const node = nodes.find((x) => x.id === nodeId);
    if (!node) throw new KafkaStartError(`no node ${nodeId} in this cluster (nodes ${nodes.map((x) => x.id).join(', ')})`);
    return node;
  };
  const running = () => nodes.filter((x) => children.has(x.id)).map((x) => `${HOST}:${x.port}`);
  const spawnNode = (node: NodeSpec) => {
    const out = openSync(join(node.dir, 'kafka.out'), 'a');
    const child = spawn(javaCommand(), [
      `-Xmx${options.heap ?? '384m'}`, '-Xms64m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${join(node.dir, 'log4j2.properties')}`, `-Dkafka.logs.dir=${node.dir}`,
      '-cp', join(libsDir, '*'), 'kafka.Kafka', join(node.dir, 'server.properties'),
    ], { stdio: ['ignore', out, out], detached: options.detached ?? false });
    closeSync(out);
    if (child.pid === undefined) throw new KafkaStartError(`could not spawn ${javaCommand()}`);
    if (options.detached) child.unref();
    children.set(node.id, child);
    return child;
  };
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  const details = () => nodes.map((x) => `node ${x.id}:\n${tail(join(x.dir, 'kafka.out'), 5)}\n${tail(join(x.dir, 'server.log'), 8)}`).join('\n');

  const deadline = started + (options.startTimeoutMs ?? 120_000);
  try {
    for (const node of nodes) spawnNode(node);
    await poll(`${n} registered brokers and a loaded group coordinator`, running, async (a) => {
      if ((await a.describeCluster()).brokers.length < n) return false;
      // The first group request creates __consumer_offsets (RF n): until it has loaded, group
      // APIs answer COORDINATOR_LOAD_IN_PROGRESS, which kafkajs consumers treat as a crash.
      await a.fetchOffsets({ groupId: 'modelstream-kafka-probe' });
      return true;
    }, deadline, () => [...children.values()].every((c) => !exited(c)));
  } catch (err) {
    killAll();
    process.off('exit', killAll);
    throw new KafkaStartError(`the ${n}-node Kafka cluster did not start:\n${details()}`, { cause: err });
  }
  const startupMs = Date.now() - started;
  log(`[kafka] ${n} nodes serving on ${running().join(',')} after ${(startupMs / 1000).toFixed(1)} s (logs: ${root})`);

  let stopping: Promise<void> | undefined;
  return {
    brokers: nodes.map((x) => `${HOST}:${x.port}`),
    nodeIds: nodes.map((x) => x.id),
    dataDir: root,
    version: kafkaVersion(),
    startupMs,
    addressOf: (nodeId) => `${HOST}:${spec(nodeId).port}`,
    pidOf: (nodeId) => children.get(spec(nodeId).id)?.pid,
    async stopBroker(nodeId, mode) {
      const child = children.get(spec(nodeId).id);
      if (!child?.pid) return 'not-running';
      let outcome: StopOutcome;
      if (mode === 'kill') {
        process.kill(child.pid, 'SIGKILL');
        while (alive(child.pid)) await sleep(20);
        outcome = 'killed';
      } else {
        outcome = await stopPid(child.pid, 30_000);
      }
      children.delete(nodeId);
      return outcome;
    },
    async startBroker(nodeId) {
      const node = spec(nodeId);
      if (children.has(node.id)) throw new KafkaStartError(`node ${node.id} is already running`);
      const child = spawnNode(node);
      // Serving = its own listener answers and the controller lists it (unfenced) again.
      await poll(`node ${node.id} to serve again`, () => [`${HOST}:${node.port}`], async (a) =>
        (await a.describeCluster()).brokers.some((b) => b.nodeId === node.id), Date.now() + (options.startTimeoutMs ?? 120_000), () => !exited(child))
        .catch((err: unknown) => { throw new KafkaStartError(`node ${node.id} did not come back:\n${details()}`, { cause: err }); });
    },
    async leaderOf(topic, partition) {
      let leader = -1;
      // Metadata may still name a node just killed: a refused connection is retried.
      await poll(`the leader of ${topic}-${partition}`, running, async (a) => {
        const meta = await a.fetchTopicMetadata({ topics: [topic] });
        leader = meta.topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader ?? -1;
        return true;
      }, Date.now() + 15_000);
      return leader;
    },
    waitForInSync: (topics, timeoutMs = 60_000) => poll(`every replica of ${topics.join(', ')} in sync`, running, async (a) => {
      const meta = await a.fetchTopicMetadata({ topics });
      return meta.topics.every((t) => t.partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length));
    }, Date.now() + timeoutMs),
    stop: () => (stopping ??= (async () => {
      await Promise.all([...children.values()].map(async (c) => {
        if (c.pid && (await stopPid(c.pid, 20_000)) === 'killed') log(`[kafka] node pid ${c.pid} ignored SIGTERM for 20 s: killed`);
      }));
      children.clear();
      process.off('exit', killAll);
      if (!options.dataDir) rmSync(root, { recursive: true, force: true });
    })()),
  };
}
