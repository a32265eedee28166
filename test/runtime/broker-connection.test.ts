// brokerConnection(), /health and modelstream_broker_connected through a real outage: the
// embedded broker stopped and restarted on its port, and a real Kafka whose advertised port
// (a TCP forwarder) is closed and reopened. The state stays RUNNING throughout the outage.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaStreams, type StreamsState } from '../../lib/index.ts';
import { startBroker } from '../../lib/broker/index.ts';
import { startServingServer } from '../../topologies/http/server.ts';
import { freePort, startKafka, type RunningKafka } from '../../scripts/kafka/kafka.ts';
import { brokersFromEnv } from '../kafka/brokers.ts';
import { fakeServing } from '../topologies/http/fake-serving.ts';
import { createTopics, newInstance, produceKeys, waitFor } from './fixtures.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** A cluster this test may take away and bring back on the same address. */
interface Outage {
  readonly brokers: string[];
  takeAway(): Promise<void>;
  bringBack(): Promise<void>;
  close(): Promise<void>;
}

async function health(url: string): Promise<{ code: number; body: { status: string; state: string; error?: string } }> {
  const res = await fetch(`${url}/health`);
  return { code: res.status, body: await res.json() as never };
}

async function gauge(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = /^modelstream_broker_connected (\S+)$/m.exec(text);
  if (!line) throw new Error('no modelstream_broker_connected in /metrics');
  return Number(line[1]);
}

function register(name: string, open: () => Promise<Outage>): void {
  const test = suite(name);
  let outage: Outage | undefined;
  test.before(async () => { outage = await open(); });
  test.after(async () => { await outage?.close(); });

  test('an outage turns brokerConnection() disconnected within seconds, /health 503 and the gauge 0; recovery turns them back, the state stays RUNNING', async () => {
    const o = outage!;
    const topic = `conn-${name}-${Date.now()}`;
    await createTopics(o.brokers, [{ topic, numPartitions: 2 }]);
    const serving = fakeServing(topic);
    const app: KafkaStreams = newInstance(serving.topology, { applicationId: `conn-${name}-${Date.now()}`, brokers: o.brokers, brokerUnreachableAfterMs: 2000 });
    const states: StreamsState[] = [];
    app.onStateChange((next) => states.push(next));
    const server = await startServingServer({ streams: app, serving, port: 0 });
    try {
      await app.start();
      await produceKeys(o.brokers, topic, 4, 5);
      await waitFor('20 records processed', () => app.metrics().processed === 20);
      assert.is(app.brokerConnection().status, 'connected');
      assert.is((await health(server.url)).code, 200);
      assert.is(await gauge(server.url), 1);

      const stoppedAt = Date.now();
      await o.takeAway();
      await waitFor('disconnected', () => app.brokerConnection().status === 'disconnected', 8000);
      const detectedMs = Date.now() - stoppedAt;
      const conn = app.brokerConnection();
      if (conn.status !== 'disconnected') throw new Error('unreachable');
      assert.match(conn.reason, /ECONNREFUSED|timeout|closed/i, conn.reason);
      assert.ok(conn.since >= stoppedAt, 'since is when it changed');
      assert.is(app.state, 'RUNNING', 'the outage does not change the state');
      const down = await health(server.url);
      assert.is(down.code, 503);
      assert.equal([down.body.status, down.body.state], ['DOWN', 'RUNNING']);
      assert.match(down.body.error ?? '', /ECONNREFUSED|timeout|closed/i, 'the reason is in the answer');
      assert.is(await gauge(server.url), 0);
      assert.is(app.metrics().brokerConnected, false);
      console.log(`[${name}] disconnected ${detectedMs} ms after the stop: ${conn.reason}`);
      await new Promise((r) => setTimeout(r, 2000));
      assert.is(app.state, 'RUNNING', 'still RUNNING a while into the outage');
      assert.is(app.brokerConnection().status, 'disconnected');

      const backAt = Date.now();
      await o.bringBack();
      await waitFor('connected again', () => app.brokerConnection().status === 'connected', 20_000);
      console.log(`[${name}] connected ${Date.now() - backAt} ms after the broker returned`);
      assert.ok(app.brokerConnection().since >= backAt);
      await waitFor('RUNNING and /health 200', async () => app.state === 'RUNNING' && (await health(server.url)).code === 200, 60_000);
      assert.equal((await health(server.url)).body, { status: 'UP', state: 'RUNNING' });
      assert.is(await gauge(server.url), 1);
      assert.not.ok(states.includes('ERROR'));
    } finally {
      await server.close();
      await app.close();
    }
  });

  test.run();
}

register('embedded', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'modelstream-conn-'));
  let broker = await startBroker({ port: 0, dataDir });
  const port = broker.port;
  let up = true;
  return {
    brokers: broker.brokers,
    takeAway: async () => { await broker.stop(); up = false; },
    bringBack: async () => { broker = await startBroker({ port, dataDir }); up = true; },
    close: async () => { if (up) await broker.stop(); },
  };
});

// A private Kafka (the run's shared one must not go away): it advertises the forwarder's port.
if (brokersFromEnv('test/runtime/broker-connection.test.ts')) {
  register('kafka', async () => {
    const [proxyPort, kafkaPort] = [await freePort(), await freePort()];
    const proxy: TcpProxy = await startTcpProxy({ port: proxyPort, targetPort: kafkaPort });
    let kafka: RunningKafka | undefined;
    try {
      kafka = await startKafka({ port: kafkaPort, heap: '256m', properties: { 'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxyPort}` }, log: () => {} });
    } catch (err) {
      await proxy.stop();
      throw err;
    }
    return {
      brokers: [`127.0.0.1:${proxyPort}`],
      takeAway: () => proxy.stop(),
      bringBack: () => proxy.start(),
      close: async () => { await proxy.stop(); await kafka!.stop(); },
    };
  });
}
