// librdkafka's admin API (rd_kafka_ListConsumerGroups, Debian's librdkafka 2.0.2, from a small C
// program) listing groups with and without a state filter (ListGroups v4, KIP-518), on the
// embedded broker and on real Kafka 4.4 with the same assertions: a Stable classic group (a
// kafkajs member) and an Empty one (offsets set by kafkajs's admin, whose member has left).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBroker } from '../../../lib/broker/server.ts';
import { uniqueName } from '../../kafka/brokers.ts';
import { kafkaBrokers, needs, present, realKafka, type Dependency } from '../../requirements.ts';
import { buildListGroups, librdkafkaDev, listGroups } from '../librdkafka-c/list-groups.ts';

interface Scenario { readonly stable: string; readonly empty: string; stop(): Promise<void> }

/** One topic; `stable` has a live kafkajs member (Stable once it has synced); `empty` only offsets. */
async function buildScenario(brokers: string[]): Promise<Scenario> {
  const topic = uniqueName('rdlg-t'), stable = uniqueName('rdlg-stable'), empty = uniqueName('rdlg-empty');
  const kafka = new Kafka({ brokers, clientId: 'rdlg', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let consumer: Consumer | undefined;
  const stop = async () => {
    await consumer?.disconnect();
    await admin.disconnect();
  };
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.setOffsets({ groupId: empty, topic, partitions: [{ partition: 0, offset: '0' }] });
    consumer = kafka.consumer({ groupId: stable });
    const c = consumer;
    // GROUP_JOIN fires after SyncGroup: the coordinator has moved the group to Stable by then.
    const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ eachMessage: async () => {} });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${stable} did not join within 30 s`)), 30_000)));
    await Promise.race([joined, late]).finally(() => clearTimeout(timer));
    return { stable, empty, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface Target { readonly brokers: string[]; close(): Promise<void> }

function register(name: string, deps: Dependency[], open: () => Promise<Target>): void {
  const s = suite(name);
  const it = needs(deps, s);
  let target: Target | undefined;
  let scenario: Scenario | undefined;
  let bootstrap = '';
  s.before(async () => {
    if (!present(deps)) return;
    buildListGroups();
    target = await open();
    bootstrap = target.brokers[0]!;
    scenario = await buildScenario(target.brokers);
  });
  s.after(async () => {
    await scenario?.stop();
    await target?.close();
  });

  /** This scenario's lines only: a shared Kafka also holds other tests' groups. */
  const ours = async (states?: string[]) => {
    const n = scenario!;
    return (await listGroups(bootstrap, states)).filter((l) => l.startsWith(`${n.stable} `) || l.startsWith(`${n.empty} `));
  };
  // kafkajs's setOffsets joins the group to commit, so the empty group keeps protocol type
  // `consumer`: not a simple consumer group (is_simple 0) for librdkafka.
  const stableLine = () => `${scenario!.stable} Stable 0`;
  const emptyLine = () => `${scenario!.empty} Empty 0`;

  it('with no filter, both groups are listed with their states', async () => {
    assert.equal(await ours(), [emptyLine(), stableLine()].sort());
  });
  it('states=Stable lists only the stable group', async () => {
    assert.equal(await ours(['Stable']), [stableLine()]);
  });
  it('states=Empty lists only the empty group', async () => {
    assert.equal(await ours(['Empty']), [emptyLine()]);
  });
  it('states=Stable,Empty lists both groups', async () => {
    assert.equal(await ours(['Stable', 'Empty']), [emptyLine(), stableLine()].sort());
  });
  it('states=PreparingRebalance lists neither group', async () => {
    assert.equal(await ours(['PreparingRebalance']), []);
  });
  s.run();
}

register('librdkafka ListConsumerGroups: kafka', [librdkafkaDev, realKafka], async () => ({ brokers: kafkaBrokers(), close: async () => {} }));
register('librdkafka ListConsumerGroups: embedded', [librdkafkaDev], async () => {
  const broker = await startBroker({ port: 0 });
  return { brokers: broker.brokers, close: () => broker.stop() };
});
