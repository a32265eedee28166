// provide → serve → read, each a `modelstream` child process, on an embedded broker in this process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type RunningBroker } from '../../../lib/broker/index.ts';
import type { ServingResult } from '../../../topologies/codecs/messages.ts';
import { runCli, startCli } from './spawn.ts';

const COUNT = 40;
let broker: RunningBroker;
let stateDir: string;

test.before(async () => {
  broker = await startBroker({ port: 0 });
  stateDir = mkdtempSync(join(tmpdir(), 'modelstream-cli-'));
});

test.after(async () => {
  await broker.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

test('a model and records from provide are scored by serve, and read prints every result', async () => {
  const brokers = broker.brokers.join(',');
  // The reader starts first, before the topics exist, and waits for them.
  const reader = startCli(['read', '--brokers', brokers, '--from-beginning', '--max', String(COUNT), '--json']);
  await reader.waitFor(/waiting for models_results to be created/);
  const model = await runCli(['provide', '--brokers', brokers, '--only', 'models', '--model', 'data/models/wine-tree-classification.pmml']);
  assert.is(model.code, 0, model.stderr);
  assert.match(model.stdout, /created topics models_data \(2 partitions\), models_models \(1 partition\), models_results \(2 partitions\)/);
  assert.match(model.stdout, /model wine-tree-classification \(PMML model from wine-tree-classification\.pmml; by value, \d+ bytes\) → models_models key wine/);

  const serve = startCli(['serve', '--brokers', brokers, '--topology', 's', '--port', '0', '--state-dir', stateDir]);
  try {
    await serve.waitFor(/instance REBALANCING → RUNNING/, 30_000);
    const [, url] = await serve.waitFor(/query server on (http:\/\/[\d.]+:\d+)/);
    // Records before the model has compiled would be skipped (by design): wait until it serves.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await (await fetch(`${url}/state/value`)).json() as { name: string }).name !== 'wine-tree-classification') {
      await new Promise((r) => setTimeout(r, 100));
    }
    const records = await runCli(['provide', '--brokers', brokers, '--only', 'records', '--data', 'data', '--count', String(COUNT), '--rate', '400']);
    assert.is(records.code, 0, records.stderr);
    assert.match(records.stdout, new RegExp(`sent ${COUNT} records and 0 models`));

    const timer = setTimeout(() => reader.child.kill('SIGKILL'), 30_000);
    const read = await reader.exited;
    clearTimeout(timer);
    assert.is(read.code, 0, read.stderr);
    const results = read.stdout.trim().split('\n').map((l) => JSON.parse(l) as ServingResult);
    assert.is(results.length, COUNT);
    assert.equal(new Set(results.map((r) => `${r.partition}@${r.offset}`)).size, COUNT, 'each record once');
    for (const r of results) {
      assert.is(r.modelName, 'wine-tree-classification');
      assert.is(r.outcome.kind, 'scored');
    }
    // Records without a key are spread over both data partitions, and both are served.
    assert.equal([...new Set(results.map((r) => r.partition))].sort(), [0, 1]);

    const stats = await (await fetch(`${url}/state/value`)).json() as { invocations: number; name: string };
    assert.is(stats.invocations, COUNT);
    assert.is(stats.name, 'wine-tree-classification');
  } finally {
    if (reader.child.exitCode === null) reader.child.kill('SIGKILL');
    serve.child.kill('SIGINT');
    const { code } = await serve.exited;
    assert.is(code, 0, serve.stderr());
  }
  assert.match(serve.stdout(), /\[serve\] stopped/);
});

test.run();
