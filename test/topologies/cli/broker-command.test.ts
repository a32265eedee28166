// runBrokerCommand (topologies/cli/broker.ts) in a child process: serves kafkajs, stops on SIGTERM.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { runBrokerCommand } from '../../../topologies/cli/broker.ts';
import { UsageError } from '../../../topologies/cli/options.ts';

const entry = `import { runBrokerCommand } from ${JSON.stringify(new URL('../../../topologies/cli/broker.ts', import.meta.url).href)};
await runBrokerCommand(process.argv.slice(1)); console.log('stopped');`;

test('broker --port 0 --max-message-bytes 2000 serves kafkajs with that limit and exits cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, '--', '--port', '0', '--max-message-bytes', '2000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in: ${out}`)), 15_000);
    child.stdout.on('data', () => {
      const m = /listening on (\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
  });
  const admin = new Kafka({ brokers: [address], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  assert.ok(await admin.createTopics({ topics: [{ topic: 'from-cli' }] }));
  const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 4, name: '0', configNames: ['message.max.bytes'] }] });
  assert.is(cfg.resources[0]!.configEntries[0]?.configValue, '2000');
  await admin.disconnect();
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.is(code, 0);
  assert.match(out, /stopped/);
});

test('an unknown option is a UsageError that shows the usage', async () => {
  try {
    await runBrokerCommand(['--prot', '1']);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, /--data-dir DIR/);
  }
});

test('a --max-message-bytes that is not a non-negative integer is a UsageError', async () => {
  try {
    await runBrokerCommand(['--max-message-bytes', '1.5']);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, /--max-message-bytes must be an integer/);
  }
});

test.run();
