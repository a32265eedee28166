// A Kafka 4.4 Java consumer (fixtures/GroupMember.java) as a child process for the KIP-848
// tests: what it read, its latest assignment, a clean stop (it leaves the group) or a kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { defaultLibsDir, javaCommand } from '../../../scripts/kafka/provision.ts';
import { run } from './external-client.ts';

const SOURCE = join(import.meta.dirname, 'fixtures', 'GroupMember.java');

export interface JavaMember {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  readonly closed: Promise<number | null>;
  /** Asks it to close (leaving the group); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Values of the records it printed, in order. */
  records(): string[];
  /** Its latest "A [..]" assignment line. */
  lastAssignment(): string;
}

export interface MemberOptions {
  readonly bootstrap: string;
  readonly topic: string;
  readonly group: string;
  readonly protocol: 'consumer' | 'classic';
  readonly assignor?: string;
  /** group.instance.id: a static member (KIP-345). */
  readonly instanceId?: string;
}

let compiled: Promise<string> | undefined;

/** Compiles the fixture once per test process; a source-file launch would compile it for every member. */
function compileOnce(): Promise<string> {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'group-member-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const java = javaCommand();
    const javac = java === 'java' ? 'javac' : join(dirname(java), basename(java).replace(/java$/, 'javac'));
    const res = await run(javac, ['-cp', join(defaultLibsDir, '*'), '-d', dir, SOURCE], { timeoutMs: 90_000 });
    if (res.code !== 0) throw new Error(`javac GroupMember.java failed: ${res.stderr}`);
    return dir;
  })();
  return compiled;
}

export async function javaMember(o: MemberOptions): Promise<JavaMember> {
  const classes = await compileOnce();
  const args = ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-cp', `${classes}:${join(defaultLibsDir, '*')}`, 'GroupMember', o.bootstrap, o.topic, o.group, o.protocol, o.assignor ?? '-', ...(o.instanceId ? [o.instanceId] : [])];
  const child = spawn(javaCommand(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const kill = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => { clearTimeout(kill); resolve(code); }));
  return {
    child, out: () => out, err: () => err, closed,
    stop() { child.stdin!.end('stop\n'); return closed; },
    records: () => out.split('\n').filter((l) => l.startsWith('R ')).map((l) => l.split(' ')[3]!),
    lastAssignment: () => out.split('\n').filter((l) => l.startsWith('A ')).at(-1) ?? 'A none',
  };
}

export async function until(what: string, cond: () => boolean, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends the values round-robin over `partitions` partitions. */
export async function produce(brokers: string[], topic: string, values: string[], partitions = 4): Promise<void> {
  const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % partitions })) });
  await producer.disconnect();
}
