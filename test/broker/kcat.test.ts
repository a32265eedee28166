// kcat (librdkafka, a client no one here wrote) against the embedded broker: it negotiates
// versions through the KIP-511 ApiVersions fallback, then produces, consumes and lists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { kcat as kcatInstalled, needs } from '../requirements.ts';

const it = needs(kcatInstalled);
let broker: RunningBroker;

test.before(async () => { broker = await startBroker({ port: 0 }); });
test.after(() => broker.stop());

// Asynchronous on purpose: the broker runs in this process and must keep serving.
const kcat = (args: string[], input?: string) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn('kcat', ['-b', broker.brokers[0]!, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on('close', (code) => { clearTimeout(timer); code === 0 ? resolve(out) : reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err}`)); });
    child.stdin.end(input ?? '');
  });

it('kcat produces keyed messages and reads them back from the beginning', async () => {
  await kcat(['-P', '-t', 'kcat-plain', '-K:'], 'k1:hello\nk2:world\n');
  const out = await kcat(['-C', '-t', 'kcat-plain', '-o', 'beginning', '-e', '-q', '-f', '%k=%s@%o\n']);
  assert.equal(out.trim().split('\n'), ['k1=hello@0', 'k2=world@1']);
});

it('kcat gzip-compressed produce round-trips', async () => {
  await kcat(['-P', '-t', 'kcat-gzip', '-z', 'gzip'], 'a\nb\nc\n');
  const out = await kcat(['-C', '-t', 'kcat-gzip', '-o', 'beginning', '-e', '-q']);
  assert.equal(out.trim().split('\n'), ['a', 'b', 'c']);
});

it('kcat -L lists the broker and topics', async () => {
  await kcat(['-P', '-t', 'kcat-listed'], 'x\n');
  const out = await kcat(['-L']);
  assert.match(out, `broker 0 at ${broker.brokers[0]}`);
  assert.match(out, 'topic "kcat-listed" with 1 partitions');
});

test.run();
