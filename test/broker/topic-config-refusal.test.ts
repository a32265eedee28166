// A topic config the embedded broker would not act on is refused with INVALID_CONFIG and a
// message, at CreateTopics and at AlterConfigs, instead of being stored and ignored. kafkajs
// keeps only the error code, so the message is checked where the handlers take it from.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { brokerStateOf, startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { topicConfigProblem } from '../../lib/broker/storage/topic-config.ts';

let broker: RunningBroker;
let admin: kafkajs.Admin;
test.before(async () => {
  broker = await startBroker({ port: 0 });
  admin = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await admin.connect();
});
test.after(async () => { await admin.disconnect(); await broker.stop(); });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { type?: string; message: string; errors?: { type?: string; message: string }[] };
    const inner = e.errors?.[0] ?? e;
    return `${inner.type ?? ''} ${inner.message}`;
  }
  throw new Error('accepted');
}

test('CreateTopics refuses a config name the broker does not honour, naming it; no topic is made', async () => {
  const msg = await refusal(admin.createTopics({ topics: [{ topic: 'r1', configEntries: [{ name: 'unclean.leader.election.enable', value: 'true' }] }] }));
  assert.match(msg, /INVALID_CONFIG/);
  assert.match(topicConfigProblem(new Map([['unclean.leader.election.enable', 'true']]))!, /unclean\.leader\.election\.enable is not supported/);
  assert.is(brokerStateOf(broker).topics.get('r1'), undefined);
});

test('CreateTopics refuses retention.ms other than -1 (nothing is deleted by age here) and accepts -1', async () => {
  const msg = await refusal(admin.createTopics({ topics: [{ topic: 'r2', configEntries: [{ name: 'retention.ms', value: '1000' }] }] }));
  assert.match(msg, /INVALID_CONFIG/);
  assert.match(topicConfigProblem(new Map([['retention.ms', '1000']]))!, /retention\.ms: this broker supports only -1/);
  await admin.createTopics({ topics: [{ topic: 'r2', configEntries: [{ name: 'retention.ms', value: '-1' }, { name: 'segment.bytes', value: '52428800' }] }] });
  assert.is(brokerStateOf(broker).topics.get('r2')?.configs.get('segment.bytes'), '52428800');
});

test('AlterConfigs refuses compression.type other than producer; the topic keeps its configs', async () => {
  await admin.createTopics({ topics: [{ topic: 'r3', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
  const msg = await refusal(admin.alterConfigs({ validateOnly: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: 'r3', configEntries: [{ name: 'compression.type', value: 'zstd' }] }] }));
  assert.match(msg, /INVALID_CONFIG|compression\.type/);
  const configs = brokerStateOf(broker).topics.get('r3')!.configs;
  assert.is(configs.get('compression.type'), undefined);
  assert.is(configs.get('cleanup.policy'), 'compact');
});

test.run();
