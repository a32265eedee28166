// Starts a single-node Apache Kafka (combined broker + controller, KRaft) on free loopback
// ports from the jars that provision.ts fetched, waits until it serves clients and groups,
// and stops it (SIGTERM, then SIGKILL after a grace period).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { JavaNotFoundError, defaultLibsDir, javaCommand, javaMajorVersion, kafkaVersion, provisionKafka } from './provision.ts';

export const HOST = '127.0.0.1';

export class KafkaStartError extends Error {
  override readonly name = 'KafkaStartError';
}

export interface StartKafkaOptions {
  /** Client port; a free one when absent. */
  readonly port?: number;
  /** Controller (KRaft quorum) port; a free one when absent. */
  readonly controllerPort?: number;
  /** Directory for config, logs and data; a fresh temp dir (removed on stop) when absent. */
  readonly dataDir?: string;
  /** Broker settings that override the test defaults below. */
  readonly properties?: Readonly<Record<string, string>>;
  /** JVM max heap, e.g. '512m'. */
  readonly heap?: string;
  readonly startTimeoutMs?: number;
  /** Log every request with its API version to request.log (also MODELSTREAM_KAFKA_REQUEST_LOG=1). */
  readonly requestLog?: boolean;
  /** Let the broker outlive this process (the CLI's `start`); otherwise it is killed when we exit. */
  readonly detached?: boolean;
  readonly libsDir?: string;
  readonly log?: (line: string) => void;
}

export interface RunningKafka {
  readonly brokers: string[];
  readonly pid: number;
  readonly dataDir: string;
  readonly serverLog: string;
  readonly version: string;
  readonly startupMs: number;
  stop(): Promise<void>;
}

// Single node: every internal topic has one replica; groups start at once (no initial
// rebalance delay) and may use short session timeouts so failover tests stay quick.
export const TEST_DEFAULTS: Readonly<Record<string, string>> = {
  'offsets.topic.replication.factor': '1',
  'offsets.topic.num.partitions': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '1',
  'share.coordinator.state.topic.replication.factor': '1',
  'share.coordinator.state.topic.min.isr': '1',
  'min.insync.replicas': '1',
  'default.replication.factor': '1',
  'group.initial.rebalance.delay.ms': '0',
  'group.min.session.timeout.ms': '1000',
  'num.partitions': '1',
  'auto.create.topics.enable': 'true',
  'delete.topic.enable': 'true',
  'log.cleaner.dedupe.buffer.size': String(32 * 1024 * 1024),
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A KRaft cluster id: 16 random bytes, base64url without padding, not starting with '-'. */
export function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(dataDir: string, port: number, controllerPort: number, extra: Readonly<Record<string, string>>): string {
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.bootstrap.servers': `${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': join(dataDir, 'data'),
    ...TEST_DEFAULTS,
    ...extra,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

export function log4jProperties(dataDir: string, requestLog: boolean): string {
  const lines = [
    'status = warn',
    'appender.server.type = File',
    'appender.server.name = SERVER',
    `appender.server.fileName = ${join(dataDir, 'server.log')}`,
    'appender.server.layout.type = PatternLayout',
    'appender.server.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.server.ref = SERVER',
  ];
  if (requestLog) {
    // kafka.request.logger at DEBUG logs each completed request with its header (API key, version).
    lines.push(
      'appender.request.type = File',
      'appender.request.name = REQUEST',
      `appender.request.fileName = ${join(dataDir, 'request.log')}`,
      'appender.request.layout.type = PatternLayout',
      'appender.request.layout.pattern = [%d] %m%n',
      'logger.request.name = kafka.request.logger',
      'logger.request.level = DEBUG',
      'logger.request.additivity = false',
      'logger.request.appenderRef.request.ref = REQUEST',
    );
  }
  return lines.join('\n') + '\n';
}

export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type StopOutcome = 'not-running' | 'terminated' | 'killed';

/** SIGTERM (Kafka shuts down cleanly on it), then SIGKILL if still there after graceMs. */
export async function stopPid(pid: number, graceMs = 15_000): Promise<StopOutcome> {
  if (!alive(pid)) return 'not-running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (!alive(pid)) return 'terminated';
  process.kill(pid, 'SIGKILL');
  while (alive(pid)) await sleep(50);
  return 'killed';
}

/** Answers when the broker serves metadata and its group coordinator has loaded. */
async function waitUntilServing(brokers: string[], child: ChildProcess, deadline: number): Promise<void> {
  const kafka = new kafkajs.Kafka({
    brokers,
    clientId: 'modelstream-kafka-probe',
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new KafkaStartError('broker process exited during startup');
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      // The first group request creates __consumer_offsets; until it has loaded, group
      // APIs answer COORDINATOR_LOAD_IN_PROGRESS, which kafkajs consumers treat as a crash.
      await admin.fetchOffsets({ groupId: 'modelstream-kafka-probe' });
      return;
    } catch (err) {
      lastError = err;
      await sleep(250);
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
  throw new KafkaStartError(`broker did not answer before the start timeout`, { cause: lastError });
}

function format(libsDir: string, configPath: string, log: string): void {
  const out = spawnSync(javaCommand(), [
    '-Xmx256m', '-cp', join(libsDir, '*'), 'kafka.tools.StorageTool',
    'format', '-t', clusterId(), '-c', configPath, '--standalone',
  ], { encoding: 'utf8' });
  writeFileSync(log, `${out.stdout ?? ''}${out.stderr ?? ''}`);
  if (out.error || out.status !== 0) {
    throw new KafkaStartError(`formatting KRaft storage failed (status ${out.status}):\n${tail(log)}`, { cause: out.error });
  }
}

async function startOnce(options: StartKafkaOptions, dataDir: string, libsDir: string, log: (l: string) => void): Promise<RunningKafka> {
  const started = Date.now();
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  if (port === controllerPort) throw new KafkaStartError('broker and controller ports must differ');
  const requestLog = options.requestLog ?? process.env.MODELSTREAM_KAFKA_REQUEST_LOG === '1';
  const configPath = join(dataDir, 'server.properties');
  const log4jPath = join(dataDir, 'log4j2.properties');
  const stdoutPath = join(dataDir, 'kafka.out');
  writeFileSync(configPath, serverProperties(dataDir, port, controllerPort, options.properties ?? {}));
  writeFileSync(log4jPath, log4jProperties(dataDir, requestLog));
  rmSync(join(dataDir, 'data'), { recursive: true, force: true }); // each start is a new cluster
  format(libsDir, configPath, join(dataDir, 'format.out'));

  const out = openSync(stdoutPath, 'a');
  const child = spawn(javaCommand(), [
    `-Xmx${options.heap ?? '512m'}`, '-Xms128m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4jPath}`, `-Dkafka.logs.dir=${dataDir}`,
    '-cp', join(libsDir, '*'), 'kafka.Kafka', configPath,
  ], { stdio: ['ignore', out, out], detached: options.detached ?? false });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new KafkaStartError(`could not spawn ${javaCommand()}`);
  // A broker we started must not outlive us (unless detached on purpose).
  const killOnExit = () => { if (alive(pid)) process.kill(pid, 'SIGKILL'); };
  if (options.detached) child.unref();
  else process.on('exit', killOnExit);

  const brokers = [`${HOST}:${port}`];
  const serverLog = join(dataDir, 'server.log');
  try {
    await waitUntilServing(brokers, child, started + (options.startTimeoutMs ?? 90_000));
  } catch (err) {
    await stopPid(pid, 2000);
    process.off('exit', killOnExit);
    const details = `${tail(stdoutPath)}\n${tail(serverLog)}`.trim();
    throw new KafkaStartError(`Kafka did not start on ${brokers[0]}:\n${details}`, { cause: err });
  }
  const startupMs = Date.now() - started;
  log(`[kafka] Apache Kafka ${kafkaVersion()} serving on ${brokers.join(',')} after ${(startupMs / 1000).toFixed(1)} s (logs: ${dataDir})`);
  let stopping: Promise<void> | undefined;
  return {
    brokers, pid, dataDir, serverLog, version: kafkaVersion(), startupMs,
    stop: () => (stopping ??= (async () => {
      if ((await stopPid(pid)) === 'killed') log(`[kafka] broker pid ${pid} ignored SIGTERM for 15 s: killed`);
      process.off('exit', killOnExit);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    })()),
  };
}

/**
 * Provisions the jars if needed, formats storage and starts a broker. When the ports are
 * chosen here, a lost race for a free port (another process took it) is retried afresh.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<RunningKafka> {
  const log = options.log ?? ((line: string) => console.error(line));
  const libsDir = options.libsDir ?? defaultLibsDir;
  const java = javaMajorVersion();
  if (java === undefined || java < 17) {
    throw new JavaNotFoundError(`Kafka 4.x needs Java 17+; ${javaCommand()} ${java === undefined ? 'was not found' : `is Java ${java}`}`);
  }
  await provisionKafka({ libsDir, log });
  const retryable = options.port === undefined && options.controllerPort === undefined;
  for (let attempt = 1; ; attempt++) {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'modelstream-kafka-'));
    mkdirSync(dataDir, { recursive: true });
    log(`[kafka] starting Apache Kafka ${kafkaVersion()} (KRaft, single node) ...`);
    try {
      return await startOnce(options, dataDir, libsDir, log);
    } catch (err) {
      const text = String((err as Error).message);
      const portTaken = /BindException|Address already in use/.test(text);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!(retryable && portTaken && attempt < 3)) throw err;
      log(`[kafka] port taken meanwhile, retrying with new ports`);
    }
  }
}
