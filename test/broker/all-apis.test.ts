// Every registered API key at every version it advertises, as Kafka 4.4's own generated
// message classes write the default request and read our answer (fixtures/AllApis.java):
// each answer parses whole, with the right correlation id and header version. ApiVersions
// advertises exactly the registry, and nothing newer than Kafka 4.4 defines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { handlers } from '../../lib/broker/handlers/index.ts';
import { Reader } from '../../lib/broker/protocol/reader.ts';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import { kafkaTools, needs } from '../requirements.ts';
import { run } from './groups/external-client.ts';
import { rawClient, requestFrame } from './raw-client.ts';

const it = needs(kafkaTools);
let broker: RunningBroker;

test.before(async () => {
  broker = await startBroker({ port: 0 });
});
test.after(() => broker.stop());

test('ApiVersions v0 advertises exactly the registered handlers and their version ranges', async () => {
  const c = await rawClient(broker.port);
  c.send(requestFrame(18, 0, 7, Buffer.alloc(0)));
  const r = new Reader(await c.nextFrame());
  c.close();
  assert.is(r.int32(), 7);
  assert.is(r.int16(), 0);
  const advertised = r.array((r) => ({ apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() }));
  const registered = handlers.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
  assert.equal(advertised, registered);
  assert.equal(new Set(advertised.map((a) => a.apiKey)).size, advertised.length, 'one entry per key');
});

test('the README table of API keys lists exactly the registry', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| (\d+) \| (\w+) \| (\d+)–(\d+) \| (\d+|—) \|$/gm)]
    .map(([, key, name, min, max, flex]) => ({ apiKey: Number(key), name, minVersion: Number(min), maxVersion: Number(max), flex: flex === '—' ? undefined : Number(flex) }));
  assert.equal(rows, handlers.map((h) => ({ apiKey: h.apiKey, name: h.name, minVersion: h.minVersion, maxVersion: h.maxVersion, flex: h.firstFlexibleVersion })));
});

it('every API key answers every advertised version with a response Kafka 4.4 parses whole', async () => {
  const source = join(import.meta.dirname, 'fixtures', 'AllApis.java');
  const specs = handlers.map((h) => `${h.apiKey}:${h.minVersion}:${h.maxVersion}`);
  const res = await run(javaCommand(), ['-Xmx128m', '-cp', join(defaultLibsDir, '*'), source, broker.brokers[0]!, ...specs], { timeoutMs: 90_000 });
  assert.is(res.code, 0, res.stderr.slice(-2000));
  const lines = res.stdout.trim().split('\n');
  const expected = handlers.reduce((n, h) => n + h.maxVersion - h.minVersion + 1, 0);
  assert.is(lines.length, expected, 'one result per advertised version');
  const failed = lines.filter((l) => l.startsWith('FAIL'));
  assert.equal(failed, [], failed.join('\n'));
  // Versions Kafka 4.4 removed (KIP-896: e.g. Produce v0-v2) cannot be written by its classes;
  // they are covered by the golden-bytes tests. None may be above what Kafka defines.
  const unknown = lines.filter((l) => l.startsWith('UNKNOWN'));
  for (const l of unknown) {
    const [, key, v] = l.split(' ').map(Number);
    const h = handlers.find((x) => x.apiKey === key)!;
    assert.ok(v! < h.maxVersion, `${l}: only versions below a newer known one may be unknown to Kafka 4.4`);
  }
  assert.ok(lines.filter((l) => l.startsWith('OK')).length >= expected / 2, `most versions checked: ${lines.length - unknown.length} of ${expected}`);
});

test.run();
